import { StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, StandardRetryBackoffStrategy, StandardRetryToken } from '@smithy/types';
import { isAwsError } from '../errors';

/**
 * Attempts per Lambda call. A new role becomes assumable by Lambda within about 10 s (IAM
 * propagation); with the SDK's throttling backoff (1 s base, doubling, full jitter, 20 s cap)
 * eight attempts wait about 35 s in all on average.
 */
export const LAMBDA_MIN_ATTEMPTS = 8;

/** Lambda's refusal while a just-created role is not yet visible to it. */
export function isRolePropagationError(error: unknown): boolean {
  return isAwsError(error, 'InvalidParameterValueException') && /role.*cannot be assumed/i.test((error as Error).message ?? '');
}

/**
 * Lambda's "not now": another update of the function is in progress, or it is still Pending.
 * Not "Function already exist" nor "statement id already exists", the other ResourceConflictExceptions.
 */
export function isLambdaBusy(error: unknown): boolean {
  return isAwsError(error, 'ResourceConflictException') && /cannot be performed at this time|in progress|currently in the following state/i.test((error as Error).message ?? '');
}

/**
 * The SDK's standard retry strategy for Lambda clients, which also waits out two conditions the
 * SDK classifies as client errors but that pass with time: a busy function and a role IAM has
 * not propagated yet. They are retried as throttling (the SDK's longer backoff and cheaper
 * retry cost); everything else is classified and retried exactly as the SDK does.
 */
export class LambdaRetryStrategy extends StandardRetryStrategy {
  constructor(options: { maxAttempts: number; backoff?: StandardRetryBackoffStrategy }) {
    super(options.backoff ? { maxAttempts: options.maxAttempts, backoff: options.backoff } : { maxAttempts: options.maxAttempts });
  }

  override refreshRetryTokenForRetry(token: StandardRetryToken, errorInfo: RetryErrorInfo): Promise<StandardRetryToken> {
    const settling = isLambdaBusy(errorInfo.error) || isRolePropagationError(errorInfo.error);
    return super.refreshRetryTokenForRetry(token, settling ? { ...errorInfo, errorType: 'THROTTLING' } : errorInfo);
  }
}
