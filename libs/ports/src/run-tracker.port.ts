import { CaribouError } from '@caribou/domain-common';

/** One function execution of a run, as `caribou run --wait` reports it. */
export interface TrackedExecution {
  instance_name: string;
  /** `<provider>:<region>` of the copy that ran. */
  region: string;
  status: string;
  error?: string | null;
}

/** Waits for a run to finish and reports what ran where (`caribou run --wait`). */
export interface RunTracker {
  /** Resolves when another run may start (the local engine runs a bounded number at once); absent where runs execute remotely. */
  waitForSlot?(): Promise<void>;
  waitForRun(runId: string): Promise<{ failed: boolean; executions: TrackedExecution[] }>;
}

/** Seconds `caribou run --wait` waits for a run's log lines on a cloud provider (log ingestion takes seconds to minutes). */
export const RUN_WAIT_TIMEOUT_VARIABLE = 'CARIBOU_RUN_WAIT_TIMEOUT';
const DEFAULT_RUN_WAIT_TIMEOUT_S = 300;

/** CARIBOU_RUN_WAIT_TIMEOUT in ms (default 300 s); a value that is not a positive number is refused in one line. */
export function runWaitTimeoutMs(env: Record<string, string | undefined>): number {
  const raw = env[RUN_WAIT_TIMEOUT_VARIABLE];
  if (raw === undefined || raw.trim() === '') return DEFAULT_RUN_WAIT_TIMEOUT_S * 1000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new CaribouError(`${RUN_WAIT_TIMEOUT_VARIABLE} must be a positive number of seconds, got '${raw}'`);
  return seconds * 1000;
}
