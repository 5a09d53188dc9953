/** Wall-clock time in epoch milliseconds (fractional part allowed for microseconds). */
export interface Clock {
  now(): number;
}

/** Waiting, for a loop that wakes at scheduled instants (`caribou serve`); tests advance a fake clock instead. */
export interface Sleeper {
  /** Resolves after `ms`, or as soon as `signal` aborts (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Randomness: uniform [0, 1) draws and 32-hex-digit ids (uuid4().hex in the reference). */
export interface RandomSource {
  random(): number;
  uuid(): string;
}

/** Where user-facing progress of long work goes (CLI: terminal; tests: a recorder). */
export interface ProgressReporter {
  step<T>(title: string, work: (update: (detail: string) => void) => Promise<T>): Promise<T>;
  info(message: string): void;
  warn(message: string): void;
}
