import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CaribouError, type ProviderRegion } from '@caribou/domain-common';
import type { Clock, ExecutionMarkerProvider, FunctionInvoker, KeyValueStore, RandomSource, SyncStore } from '@caribou/ports';
import type { CaribouWorkflow } from '../workflow';
import { handleInvocation } from './handler';
import type { RuntimeServices } from './services';

/** What a platform's entry binds once per process: its services and the workflow function it runs. */
export type PlatformBinding = Omit<RuntimeServices, 'requestId' | 'remainingTimeMs'> & { workflowFunction: string };

/** Options every platform entry takes; tests use them to watch an entry at work. */
export interface PlatformEntryOptions {
  /** Where the configuration is read from, on the first invocation. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Wraps the real invoker, e.g. to record the successor sends in a test. */
  wrapInvoker?: (invoker: FunctionInvoker) => FunctionInvoker;
  /** Where `[CARIBOU]` lines go. Default: raw lines on stdout (the platform's log service reads them). */
  log?: (line: string) => void;
  /** Default: the `model name` of /proc/cpuinfo. */
  cpuModel?: string;
}

/** What differs between platforms: where the function runs and its clients. */
export interface PlatformParts {
  region: ProviderRegion;
  /** Framework tables in the system region (the placement decision). */
  store: KeyValueStore;
  syncStores: { forRegion(region: ProviderRegion): SyncStore };
  /** Execution markers; the function's own region's are used. */
  executionMarkers: ExecutionMarkerProvider;
  invoker: FunctionInvoker;
}

/** Set by every platform at deploy: the workflow function (decorator name) a deployed function runs. */
export const WORKFLOW_FUNCTION_VARIABLE = 'CARIBOU_WORKFLOW_FUNCTION';

/**
 * A platform's binding: the workflow function named by the environment (checked before any
 * client is made), the platform's parts, and the clock, ids, log and CPU model every platform
 * shares.
 */
export function bindPlatform(env: NodeJS.ProcessEnv, parts: () => PlatformParts, options: PlatformEntryOptions): PlatformBinding {
  const workflowFunction = env[WORKFLOW_FUNCTION_VARIABLE]?.trim();
  if (!workflowFunction) throw new CaribouError(`${WORKFLOW_FUNCTION_VARIABLE} is not set on this function; deploy the workflow again with caribou deploy`);
  const { region, store, syncStores, executionMarkers, invoker } = parts();
  return {
    workflowFunction,
    region,
    store,
    syncStore: (target) => syncStores.forRegion(target),
    markers: executionMarkers.forRegion(region),
    invoker: options.wrapInvoker ? options.wrapInvoker(invoker) : invoker,
    clock: systemClock,
    random: uuidRandom,
    log: options.log ?? rawStdoutLog,
    cpuModel: options.cpuModel ?? cachedCpuModel(),
  };
}

/**
 * One invocation on a platform: the decoded event, the platform's id for it, and how long it
 * may still run (absent: the longest a Lambda function may run).
 */
export type PlatformInvocation = (event: unknown, requestId: string, remainingTimeMs?: () => number) => Promise<unknown>;

/** Lambda's maximum timeout: the lease of an invocation whose platform does not say how long it may run. */
export const DEFAULT_REMAINING_TIME_MS = 15 * 60_000;

/**
 * The part every deployed entry (Lambda, functions-framework) shares: check the bundle's
 * workflow export, bind the platform's clients on the first invocation and keep them for
 * the warm instance's later ones, then run the invocation logic of `handleInvocation`.
 */
export function createPlatformInvocation(workflow: CaribouWorkflow, bind: () => PlatformBinding): PlatformInvocation {
  let binding: PlatformBinding | undefined;
  return async (event, requestId, remainingTimeMs = () => DEFAULT_REMAINING_TIME_MS) => {
    if (!workflow || typeof (workflow as Partial<CaribouWorkflow>).getFunction !== 'function') {
      throw new CaribouError('The workflow app exports no workflow; export it as `export const workflow = new CaribouWorkflow({...})`');
    }
    binding ??= bind();
    const { workflowFunction, ...services } = binding;
    return handleInvocation(workflow, workflowFunction, event, { ...services, requestId, remainingTimeMs });
  };
}

export const systemClock: Clock = { now: () => Date.now() };

/** `uuid4().hex` as the reference writes ids. */
export const uuidRandom: RandomSource = { random: () => Math.random(), uuid: () => randomUUID().replace(/-/g, '') };

/**
 * Platforms decorate what console.log prints (Lambda adds a timestamp, request id and level);
 * the log syncer parses `[CARIBOU]` lines from their first character, so write them raw.
 */
export const rawStdoutLog = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** The CPU this instance runs on (logged per invocation, as the reference does). */
export function readCpuModel(cpuinfoPath = '/proc/cpuinfo'): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync(cpuinfoPath, 'utf8'));
    return match?.[1]?.trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}

let cpuModel: string | undefined;

/** The CPU model, read once per process (it does not change while an instance lives). */
export function cachedCpuModel(): string {
  cpuModel ??= readCpuModel();
  return cpuModel;
}
