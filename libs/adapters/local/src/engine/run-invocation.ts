import { randomUUID } from 'node:crypto';
import { formatWithOptions } from 'node:util';
import { CaribouError, type ProviderRegion } from '@caribou/domain-common';
import { formatReportLine } from '@caribou/domain-telemetry';
import type { FunctionInvoker, KeyValueStore, RandomSource } from '@caribou/ports';
import type { LocalDatabase } from '../database';
import { LocalFunctionPlatform, parseLocalFunctionIdentifier } from '../function-platform';
import { LocalKeyValueStore } from '../key-value-store';
import { LocalLogStore } from '../log-store';
import { LocalExecutionMarkerProvider } from '../execution-markers';
import { LocalSyncStoreProvider } from '../sync-store';
import { invocationClock } from './simulation-clock';
import type { InvocationOutcome, InvocationTask, OutgoingMessage, WorkflowModule } from './types';

export const cryptoRandom: RandomSource = {
  random: () => Math.random(),
  uuid: () => randomUUID().replace(/-/g, ''),
};

/**
 * A function invoker for code running in the simulation: checks that the target
 * exists (as Lambda's Invoke would) and hands the message to the engine.
 */
export function simulatedInvoker(
  platform: LocalFunctionPlatform,
  from: ProviderRegion | null,
  now: () => number,
  onSend: (send: OutgoingMessage) => void,
): FunctionInvoker {
  return {
    async invokeAsync(region, identifier, message) {
      const target = parseLocalFunctionIdentifier(identifier);
      if (region.provider !== 'local' || target.region.region !== region.region) {
        throw new CaribouError(`Identifier ${identifier} does not belong to region ${region.provider}:${region.region}`);
      }
      if (!platform.find(target.region, target.functionName)) {
        throw new CaribouError(`Function not found: ${target.functionName} in local:${region.region}`);
      }
      onSend({ sentAtMs: now(), from, target: target.region, identifier, message });
    },
  };
}

/**
 * Executes one invocation against the local database: builds the runtime services the
 * SDK expects, runs the bundle's handler, writes the platform's REPORT line.
 * Shared by the in-thread executor and the worker threads.
 */
export async function runLocalInvocation(
  db: LocalDatabase,
  functionsDir: string,
  module: WorkflowModule,
  task: InvocationTask,
  onSend: (send: OutgoingMessage) => void,
  options: { captureConsole?: boolean } = {},
): Promise<InvocationOutcome> {
  // The function reads its data first: the round trip delays its work and counts in its duration.
  const clock = invocationClock(task.startMs, task.slowdown, task.dataAccessMs ?? 0);
  const platform = new LocalFunctionPlatform(db, functionsDir, clock);
  const logs = new LocalLogStore(db);
  const store: KeyValueStore = new LocalKeyValueStore(db);
  const syncStores = new LocalSyncStoreProvider(db, clock);
  const region = task.region;
  const services = {
    region,
    store,
    syncStore: (r: ProviderRegion) => syncStores.forRegion(r),
    invoker: simulatedInvoker(platform, region, () => clock.now(), onSend),
    markers: new LocalExecutionMarkerProvider(db, clock).forRegion(region),
    // The simulated timeout of the copy, as Lambda's remaining time.
    remainingTimeMs: () => Math.max(0, task.startMs + task.fn.timeout_s * 1000 - clock.now()),
    clock,
    random: cryptoRandom,
    log: (line: string) => logs.append(region, task.fn.name, clock.now(), line),
    requestId: task.requestId,
    cpuModel: task.cpuModel,
  };
  const workflowId = `${module.workflow.name}-${module.workflow.version}`;
  let instanceName = '';
  try {
    instanceName = (JSON.parse(task.message) as { workflow_placement_decision?: { current_instance_name?: string } })
      .workflow_placement_decision?.current_instance_name ?? '';
  } catch {
    /* the handler reports unreadable events itself */
  }
  let status: InvocationOutcome['status'] = 'succeeded';
  let error: string | undefined;
  const restoreConsole = options.captureConsole
    ? captureConsole((level, text) => logs.append(region, task.fn.name, clock.now(), `${new Date(clock.now()).toISOString()}\t${task.requestId}\t${level}\t${text}`))
    : () => undefined;
  try {
    await module.handleInvocation(module.workflow, task.fn.handler, task.message, services);
  } catch (caught) {
    status = 'failed';
    error = caught instanceof Error ? caught.message : String(caught);
  } finally {
    restoreConsole();
  }
  const endMs = clock.now();
  const maxMemoryUsedMb = Math.min(task.fn.memory_mb, process.memoryUsage().heapUsed / 1024 / 1024);
  logs.append(
    region,
    task.fn.name,
    endMs,
    formatReportLine({
      requestId: task.requestId,
      durationMs: endMs - task.startMs,
      memorySizeMb: task.fn.memory_mb,
      maxMemoryUsedMb,
      ...(task.coldStart ? { initDurationMs: COLD_START_MS } : {}),
    }),
  );
  return { status, ...(error !== undefined ? { error } : {}), endMs, instanceName, workflowId, maxMemoryUsedMb };
}

/** Simulated initialisation of a function copy the first time it runs (a Lambda cold start). */
export const COLD_START_MS = 180;

/**
 * Sends what the function prints to its own log, as Lambda sends stdout to CloudWatch,
 * instead of the terminal of whoever runs the workflow. Only for one invocation at a
 * time per thread (the worker executor); returns the function that undoes it.
 */
function captureConsole(write: (level: string, text: string) => void): () => void {
  const methods = { log: 'INFO', info: 'INFO', debug: 'DEBUG', warn: 'WARN', error: 'ERROR' } as const;
  const originals = new Map<string, (...args: unknown[]) => void>();
  for (const [name, level] of Object.entries(methods)) {
    const key = name as keyof typeof methods;
    originals.set(name, console[key] as (...args: unknown[]) => void);
    console[key] = (...args: unknown[]) => write(level, formatWithOptions({ colors: false }, ...args));
  }
  return () => {
    for (const [name, original] of originals) console[name as keyof typeof methods] = original;
  };
}
