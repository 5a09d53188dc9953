import type { ProviderRegion } from '@caribou/domain-common';

/** One role per function with the workflow's inline policy (`.caribou/iam_policy.json`, key of the provider). */
export interface IdentityManager {
  /** Creates the role or replaces its policy; returns the role identifier (ARN on AWS). */
  ensureRole(region: ProviderRegion, roleName: string, policyJson: string): Promise<{ roleIdentifier: string }>;
  roleExists(region: ProviderRegion, roleName: string): Promise<boolean>;
  /** Removing a missing role is not an error. */
  removeRole(region: ProviderRegion, roleName: string): Promise<void>;
}
