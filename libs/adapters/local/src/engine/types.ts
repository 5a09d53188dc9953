import type { ProviderRegion } from '@caribou/domain-common';
import type { LocalFunctionRow } from '../function-platform';

/** What a deployed bundle exports (see the bundler's local entry). */
export interface WorkflowModule {
  workflow: { name: string; version: string; getFunction(name: string): unknown };
  handleInvocation(workflow: unknown, functionName: string, event: unknown, services: unknown): Promise<unknown>;
}

export interface InvocationTask {
  requestId: string;
  region: ProviderRegion;
  fn: LocalFunctionRow;
  message: string;
  /** Simulated time the handler starts (delivery time plus any cold start). */
  startMs: number;
  coldStart: boolean;
  /** Simulated runtime ÷ real runtime for this region. */
  slowdown: number;
  /** Simulated ms the function waits for its data first (its `CARIBOU_DATA_REGION` is elsewhere); 0 when none. */
  dataAccessMs?: number;
  cpuModel: string;
}

export interface OutgoingMessage {
  sentAtMs: number;
  from: ProviderRegion | null;
  target: ProviderRegion;
  identifier: string;
  message: string;
}

export interface InvocationOutcome {
  status: 'succeeded' | 'failed';
  error?: string;
  endMs: number;
  instanceName: string;
  workflowId: string;
  maxMemoryUsedMb: number;
}

/** Runs one invocation somewhere (this thread or a worker) and reports its sends as they happen. */
export interface InvocationExecutor {
  execute(task: InvocationTask, onSend: (send: OutgoingMessage) => void): Promise<InvocationOutcome>;
  close(): Promise<void>;
}

/** Loads the workflow module a deployed function runs (the bundle, or an in-memory module in tests). */
export type WorkflowModuleLoader = (fn: LocalFunctionRow) => Promise<WorkflowModule>;
