import { randomUUID } from 'node:crypto';
import type { HttpFunction } from '@google-cloud/functions-framework';
import { CaribouError, type ProviderRegion } from '@caribou/domain-common';
import type { FunctionInvoker } from '@caribou/ports';
import type { CaribouWorkflow } from '@caribou/sdk';
import { cachedCpuModel, createPlatformInvocation, rawStdoutLog, systemClock, uuidRandom, type PlatformBinding } from '@caribou/sdk/runtime';
import { checkGcpRegion, GcpClients } from '../config';
import { gcpConfigFromEnv, GcpFunctionEnvironment } from '../env';
import { FirestoreKeyValueStore } from '../firestore/key-value-store';
import { FirestoreSyncStoreProvider } from '../firestore/sync-store';
import { PubSubFunctionInvoker } from '../pubsub/function-invoker';
import { BadPushRequest, decodePushRequest } from './push-envelope';

export interface FunctionsFrameworkHandlerOptions {
  /** Where the configuration is read from, on the first invocation. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Wraps the real invoker, e.g. to record the successor sends in a test. */
  wrapInvoker?: (invoker: FunctionInvoker) => FunctionInvoker;
  /** Where `[CARIBOU]` lines go. Default: raw lines on stdout (Cloud Logging reads them). */
  log?: (line: string) => void;
  cpuModel?: string;
  /** Where a failed invocation is reported in one line. Default: stderr (Cloud Logging reads it). */
  reportError?: (line: string) => void;
}

function platformServices(options: FunctionsFrameworkHandlerOptions): PlatformBinding {
  const env = options.env ?? process.env;
  const region = env[GcpFunctionEnvironment.region]?.trim();
  if (!region) throw new CaribouError(`${GcpFunctionEnvironment.region} is not set on this function; deploy the workflow again with caribou deploy`);
  checkGcpRegion(region, GcpFunctionEnvironment.region);
  const workflowFunction = env[GcpFunctionEnvironment.workflowFunction]?.trim();
  if (!workflowFunction) {
    throw new CaribouError(`${GcpFunctionEnvironment.workflowFunction} is not set on this function; deploy the workflow again with caribou deploy`);
  }
  const clients = new GcpClients(gcpConfigFromEnv(env));
  const syncStores = new FirestoreSyncStoreProvider(clients, systemClock);
  const invoker = new PubSubFunctionInvoker(clients);
  return {
    workflowFunction,
    region: { provider: 'gcp', region },
    store: new FirestoreKeyValueStore(clients),
    syncStore: (target: ProviderRegion) => syncStores.forRegion(target),
    invoker: options.wrapInvoker ? options.wrapInvoker(invoker) : invoker,
    clock: systemClock,
    random: uuidRandom,
    log: options.log ?? rawStdoutLog,
    cpuModel: options.cpuModel ?? cachedCpuModel(),
  };
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
      const result = await invoke(decoded.event, requestId);
      res.status(200).json({ status: 'ok', request_id: requestId, result: result ?? null });
    } catch (error) {
      // One line for the logs; the subscription's retry policy decides what happens next.
      report(`Caribou invocation ${requestId} failed: ${firstLine(error)}`);
      res.status(500).type('text/plain').send(firstLine(error));
    }
  };
}
