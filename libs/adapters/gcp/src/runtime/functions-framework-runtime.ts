import { randomUUID } from 'node:crypto';
import type { HttpFunction } from '@google-cloud/functions-framework';
import { CaribouError } from '@caribou/domain-common';
import type { CaribouWorkflow } from '@caribou/sdk';
import { bindPlatform, createPlatformInvocation, systemClock, type PlatformBinding, type PlatformEntryOptions } from '@caribou/sdk/runtime';
import { checkGcpRegion, GcpClients } from '../config';
import { gcpConfigFromEnv, GcpFunctionEnvironment } from '../env';
import { FirestoreKeyValueStore } from '../firestore/key-value-store';
import { FirestoreExecutionMarkerProvider } from '../firestore/execution-markers';
import { FirestoreSyncStoreProvider } from '../firestore/sync-store';
import { PubSubFunctionInvoker } from '../pubsub/function-invoker';
import { BadPushRequest, decodePushRequest } from './push-envelope';
import { withRequestConsole } from './request-console';

export interface FunctionsFrameworkHandlerOptions extends PlatformEntryOptions {
  /** Where a failed invocation is reported in one line. Default: stderr (Cloud Logging reads it). */
  reportError?: (line: string) => void;
}

function platformServices(options: FunctionsFrameworkHandlerOptions): PlatformBinding {
  const env = options.env ?? process.env;
  const region = env[GcpFunctionEnvironment.region]?.trim();
  if (!region) throw new CaribouError(`${GcpFunctionEnvironment.region} is not set on this function; deploy the workflow again with caribou deploy`);
  checkGcpRegion(region, GcpFunctionEnvironment.region);
  return bindPlatform(
    env,
    () => {
      const clients = new GcpClients(gcpConfigFromEnv(env));
      return {
        region: { provider: 'gcp', region },
        store: new FirestoreKeyValueStore(clients),
        syncStores: new FirestoreSyncStoreProvider(clients, systemClock),
        executionMarkers: new FirestoreExecutionMarkerProvider(clients, systemClock),
        invoker: new PubSubFunctionInvoker(clients),
      };
    },
    options,
  );
}

const firstLine = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split('\n', 1)[0]!;

/**
 * The HTTP function every Cloud Run function of a workflow runs under the functions
 * framework (`--target=caribou`). Each request is one Pub/Sub push delivery: the envelope
 * is unwrapped and the same invocation logic as on Lambda and locally runs to completion
 * (successors published) before the answer, so a 2xx acknowledges the message and a 500
 * makes Pub/Sub deliver it again under the subscription's retry policy. A request that is
 * not a Caribou message gets 400.
 */
export function createFunctionsFrameworkHandler(workflow: CaribouWorkflow, options: FunctionsFrameworkHandlerOptions = {}): HttpFunction {
  const invoke = createPlatformInvocation(workflow, () => platformServices(options));
  const report = options.reportError ?? ((line: string) => process.stderr.write(`${line}\n`));
  return async (req, res) => {
    let decoded;
    try {
      decoded = decodePushRequest(req.body ?? req.rawBody);
    } catch (error) {
      if (!(error instanceof BadPushRequest)) throw error;
      res.status(400).type('text/plain').send(error.message);
      return;
    }
    const requestId = decoded.messageId ?? req.executionId ?? req.get('function-execution-id') ?? randomUUID();
    try {
      const result = await withRequestConsole(requestId, () => invoke(decoded.event, requestId));
      res.status(200).json({ status: 'ok', request_id: requestId, result: result ?? null });
    } catch (error) {
      // One line for the logs; the subscription's retry policy decides what happens next.
      report(`Caribou invocation ${requestId} failed: ${firstLine(error)}`);
      res.status(500).type('text/plain').send(firstLine(error));
    }
  };
}
