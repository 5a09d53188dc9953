import type { ProviderRegion } from '@caribou/domain-common';

/** What a workflow function's role must allow: the facts a provider derives its generated policy from. */
export interface FunctionRoleRequest {
  workflowName: string;
  workflowVersion: string;
  workflowId: string;
  /** Every region a function of the workflow may run in (home and allowed), or `any` when a function is not restricted. */
  regions: ProviderRegion[] | 'any';
  /** The provider's entry of `.caribou/iam_policy.json`: what the user's own code needs, added to the generated policy. */
  userPolicy: unknown;
}

/** One role per workflow function (shared by its region copies) with a generated inline policy. */
export interface IdentityManager {
  /** Creates the role or replaces its policy; returns the role identifier (ARN on AWS). */
  ensureRole(region: ProviderRegion, roleName: string, policyJson: string): Promise<{ roleIdentifier: string }>;
  roleExists(region: ProviderRegion, roleName: string): Promise<boolean>;
  /** Removing a missing role is not an error. */
  removeRole(region: ProviderRegion, roleName: string): Promise<void>;
  /**
   * The policy document (JSON) of a workflow function's role: what the runtime calls for this
   * workflow, scoped to its own resources, plus the user's statements. Providers without IAM
   * leave it out; the user's policy is then used as it is.
   */
  rolePolicy?(request: FunctionRoleRequest): Promise<string>;
}
