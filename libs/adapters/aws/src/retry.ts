export interface BackoffPolicy {
  /** Total attempts, the first one included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injected in tests so backoff does not cost wall time. */
  sleep?: (ms: number) => Promise<void>;
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Retries `operation` while `retryable(error)` says so, with exponential backoff and full
 * jitter. For conditions the SDK's own retry strategy does not treat as transient (IAM
 * role propagation, Lambda update-in-progress conflicts).
 */
export async function withBackoff<T>(policy: BackoffPolicy, retryable: (error: unknown) => boolean, operation: (attempt: number) => Promise<T>): Promise<T> {
  const sleep = policy.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= policy.attempts || !retryable(error)) throw error;
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await sleep(ceiling / 2 + Math.random() * (ceiling / 2));
    }
  }
}
