import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CaribouError, type ProviderRegion } from '@caribou/domain-common';
import type { Clock, FunctionInvoker, RandomSource } from '@caribou/ports';
import type { CaribouWorkflow } from '@caribou/sdk';
import { handleInvocation, type RuntimeServices } from '@caribou/sdk/runtime';
import { AwsClientCache } from '../client-cache';
import { DynamoDbKeyValueStore } from '../dynamodb/key-value-store';
import { DynamoDbSyncStoreProvider } from '../dynamodb/sync-store';
import { LambdaFunctionInvoker } from '../lambda/function-invoker';
import { LambdaEnvironment } from '../lambda/environment';
import { awsConfigFromEnv } from '../env';

/** The part of the Lambda context object the runtime reads. */
export interface LambdaContext {
  awsRequestId?: string;
}

export type LambdaHandler = (event: unknown, context?: LambdaContext) => Promise<unknown>;

export interface LambdaHandlerOptions {
  /** Where the configuration is read from, on the first invocation. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Wraps the real invoker, e.g. to record the successor invokes in a test. */
  wrapInvoker?: (invoker: FunctionInvoker) => FunctionInvoker;
  /** Where `[CARIBOU]` lines go. Default: raw lines on stdout. */
  log?: (line: string) => void;
  /** Default: the `model name` of /proc/cpuinfo. */
  cpuModel?: string;
}

/**
 * Only the DynamoDB and Lambda clients: a function's bundle then loads two SDK clients at a
 * cold start instead of every client the deploy side uses.
 */
class FunctionRuntimeClients extends AwsClientCache {
  dynamodb(region: string = this.systemRegion): DynamoDBClient {
    return this.client('dynamodb', region, (r) => new DynamoDBClient(this.clientOptions(r)));
  }

  lambda(region: string = this.systemRegion): LambdaClient {
    return this.client('lambda', region, (r) => new LambdaClient(this.clientOptions(r)));
  }
}

const systemClock: Clock = { now: () => Date.now() };
const cryptoRandom: RandomSource = { random: () => Math.random(), uuid: () => randomUUID().replace(/-/g, '') };

/**
 * Lambda's Node.js runtime prefixes what console.log prints with a timestamp, request id and
 * level; the log syncer parses `[CARIBOU]` lines from their first character, so write them raw.
 */
const stdoutLog = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

let cpuModelCache: string | undefined;

/** The CPU this container runs on (logged per invocation, as the reference does). */
export function readCpuModel(cpuinfoPath = '/proc/cpuinfo'): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync(cpuinfoPath, 'utf8'));
    return match?.[1]?.trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}

type PlatformServices = Omit<RuntimeServices, 'requestId'> & { workflowFunction: string };

function platformServices(options: LambdaHandlerOptions): PlatformServices {
  const env = options.env ?? process.env;
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new CaribouError('AWS_REGION is not set; the Caribou Lambda handler runs inside AWS Lambda, which sets it (set it by hand when invoking it elsewhere)');
  const workflowFunction = env[LambdaEnvironment.workflowFunction];
  if (!workflowFunction) {
    throw new CaribouError(`${LambdaEnvironment.workflowFunction} is not set on this function; deploy the workflow again with caribou deploy`);
  }
  const clients = new FunctionRuntimeClients(awsConfigFromEnv(env));
  const syncStores = new DynamoDbSyncStoreProvider(clients, systemClock);
  const invoker = new LambdaFunctionInvoker(clients);
  return {
    workflowFunction,
    region: { provider: 'aws', region },
    store: new DynamoDbKeyValueStore(clients),
    syncStore: (target: ProviderRegion) => syncStores.forRegion(target),
    invoker: options.wrapInvoker ? options.wrapInvoker(invoker) : invoker,
    clock: systemClock,
    random: cryptoRandom,
    log: options.log ?? stdoutLog,
    cpuModel: options.cpuModel ?? (cpuModelCache ??= readCpuModel()),
  };
}

/**
 * The Lambda handler of every function of a workflow: `CARIBOU_WORKFLOW_FUNCTION` (set by
 * the platform at deploy) names the workflow function to run. SDK clients and stores are
 * created on the first invocation and kept for the warm container's later invocations;
 * everything about one invocation lives inside `handleInvocation`.
 */
export function createLambdaHandler(workflow: CaribouWorkflow, options: LambdaHandlerOptions = {}): LambdaHandler {
  let platform: PlatformServices | undefined;
  return async (event, context) => {
    if (!workflow || typeof (workflow as Partial<CaribouWorkflow>).getFunction !== 'function') {
      throw new CaribouError('The workflow app exports no workflow; export it as `export const workflow = new CaribouWorkflow({...})`');
    }
    platform ??= platformServices(options);
    const { workflowFunction, ...services } = platform;
    return handleInvocation(workflow, workflowFunction, event, { ...services, requestId: context?.awsRequestId ?? randomUUID() });
  };
}
