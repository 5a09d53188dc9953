import type { ProviderRegion } from '@caribou/domain-common';

/**
 * Where the platform keeps a function's logs, where Caribou owns it (a CloudWatch log group on
 * AWS): created with a retention before the function writes a line, so the platform never
 * creates one that keeps logs forever, and deleted with the function.
 */
export interface FunctionLogGroups {
  /** Creates the function's log group when missing and sets its retention (idempotent); returns the group's name. */
  ensure(region: ProviderRegion, functionName: string, retentionDays: number): Promise<string>;
  /** Deleting a missing group is not an error. */
  remove(region: ProviderRegion, functionName: string): Promise<void>;
}
