import { CaribouError, type ProviderRegion } from '@caribou/domain-common';
import type { FunctionRoleRequest, IdentityManager } from '@caribou/ports';
import type { GcpClients } from '../config';
import { serviceAccountEmail, serviceAccountId } from '../names';
import { isGoogleApiError, type GoogleRestClient } from './rest-client';

/**
 * What every function's service account is granted on the project: Firestore documents (the
 * framework tables and fan-in state, `roles/datastore.user`), publishing to the successors'
 * topics (`roles/pubsub.publisher`), and invoking Cloud Run services (`roles/run.invoker`):
 * a function's push subscription authenticates as the function's own account, and Cloud Run
 * functions refuse unauthenticated requests. Cloud Run writes a function's stdout to Cloud
 * Logging without a grant.
 */
export const FUNCTION_ROLES = ['roles/datastore.user', 'roles/pubsub.publisher', 'roles/run.invoker'] as const;

/** The policy document of a gcp function's service account: the project roles it holds. */
export interface GcpRolePolicy {
  roles: string[];
}

interface ProjectPolicy {
  etag?: string;
  version?: number;
  bindings?: Array<{ role: string; members: string[]; condition?: unknown }>;
}

const ROLE = /^roles\/[A-Za-z0-9_.]+$/;
/** Pub/Sub's service agent: publish dead letters, acknowledge the messages it forwards. */
export const PUBSUB_AGENT_ROLES = ['roles/pubsub.publisher', 'roles/pubsub.subscriber'] as const;
const POLICY_ATTEMPTS = 5;

/** The `gcp` entry of `.caribou/iam_policy.json`: `{"roles": ["roles/…", …]}`; absent or `{}` adds nothing. */
export function userRolesOf(userPolicy: unknown): string[] {
  if (userPolicy === undefined || userPolicy === null) return [];
  if (typeof userPolicy !== 'object' || Array.isArray(userPolicy)) {
    throw new CaribouError('.caribou/iam_policy.json: gcp must be an object like {"roles": ["roles/storage.objectViewer"]}');
  }
  const roles = (userPolicy as { roles?: unknown }).roles;
  if (roles === undefined) return [];
  if (!Array.isArray(roles) || roles.some((role) => typeof role !== 'string' || !ROLE.test(role))) {
    throw new CaribouError('.caribou/iam_policy.json: gcp.roles must be a list of IAM role names like "roles/storage.objectViewer"');
  }
  return roles as string[];
}

function parsePolicy(policyJson: string): GcpRolePolicy {
  const parsed = JSON.parse(policyJson) as { roles?: unknown };
  return { roles: userRolesOf(parsed) };
}

/**
 * One IAM service account per workflow function (the role of the other providers), its id
 * mapped from our role name to IAM's 6–30 character ids, holding the policy's roles as
 * bindings on the project (Resource Manager `setIamPolicy`, a read-modify-write the etag
 * guards; a concurrent change makes it read again).
 */
export class ServiceAccountIdentityManager implements IdentityManager {
  constructor(
    private readonly clients: Pick<GcpClients, 'projectId'>,
    private readonly rest: GoogleRestClient,
  ) {}

  private email(roleName: string): string {
    return serviceAccountEmail(this.clients.projectId, serviceAccountId(roleName));
  }

  async rolePolicy(request: FunctionRoleRequest): Promise<string> {
    const roles = [...new Set([...FUNCTION_ROLES, ...userRolesOf(request.userPolicy)])];
    return JSON.stringify({ roles } satisfies GcpRolePolicy);
  }

  async ensureRole(_region: ProviderRegion, roleName: string, policyJson: string): Promise<{ roleIdentifier: string }> {
    const { roles } = parsePolicy(policyJson);
    const accountId = serviceAccountId(roleName);
    const email = this.email(roleName);
    if (!(await this.roleExists(_region, roleName))) {
      try {
        await this.rest.request('iam', 'POST', `/v1/projects/${this.clients.projectId}/serviceAccounts`, {
          accountId,
          serviceAccount: { displayName: roleName.slice(0, 100), description: `Caribou workflow function role ${roleName}` },
        });
      } catch (error) {
        if (!isGoogleApiError(error, 409)) throw error;
      }
    }
    await this.updateBindings(`serviceAccount:${email}`, roles, 'exactly');
    return { roleIdentifier: email };
  }

  async roleExists(_region: ProviderRegion, roleName: string): Promise<boolean> {
    try {
      await this.rest.request('iam', 'GET', `/v1/projects/${this.clients.projectId}/serviceAccounts/${this.email(roleName)}`);
      return true;
    } catch (error) {
      if (isGoogleApiError(error, 404)) return false;
      throw error;
    }
  }

  async removeRole(_region: ProviderRegion, roleName: string): Promise<void> {
    const email = this.email(roleName);
    await this.updateBindings(`serviceAccount:${email}`, [], 'exactly');
    try {
      await this.rest.request('iam', 'DELETE', `/v1/projects/${this.clients.projectId}/serviceAccounts/${email}`);
    } catch (error) {
      if (!isGoogleApiError(error, 404)) throw error;
    }
  }

  /**
   * What Pub/Sub's own service agent (`service-<project number>@gcp-sa-pubsub…`) needs for the
   * bounded delivery: publishing dead letters to the failed-invocations topic and acknowledging
   * them on the push subscriptions. Added to the project's bindings, nothing taken away (Google
   * grants the agent its own role there).
   */
  async ensurePubSubAgentRoles(): Promise<string> {
    const project = await this.rest.request<{ projectNumber?: string }>('resourceManager', 'GET', `/v1/projects/${this.clients.projectId}`);
    if (!project.projectNumber) throw new CaribouError(`Resource Manager gave no project number for ${this.clients.projectId}; check the project id`);
    const member = `serviceAccount:service-${project.projectNumber}@gcp-sa-pubsub.iam.gserviceaccount.com`;
    await this.updateBindings(member, PUBSUB_AGENT_ROLES, 'at least');
    return member;
  }

  /**
   * Makes `roles` the project roles `member` holds — `exactly` (others taken away) or `at least`
   * (others kept). Unconditional bindings only; the rest of the policy is left alone.
   */
  private async updateBindings(member: string, roles: readonly string[], mode: 'exactly' | 'at least'): Promise<void> {
    const resource = `/v1/projects/${this.clients.projectId}`;
    for (let attempt = 1; ; attempt += 1) {
      const policy = await this.rest.request<ProjectPolicy>('resourceManager', 'POST', `${resource}:getIamPolicy`, {});
      const bindings = (policy.bindings ?? []).map((binding) => ({ ...binding, members: [...binding.members] }));
      let changed = false;
      for (const binding of bindings) {
        if (binding.condition !== undefined) continue;
        const has = binding.members.includes(member);
        const wanted = roles.includes(binding.role);
        if (has && !wanted && mode === 'exactly') {
          binding.members = binding.members.filter((m) => m !== member);
          changed = true;
        }
        if (!has && wanted) {
          binding.members.push(member);
          changed = true;
        }
      }
      for (const role of roles) {
        if (!bindings.some((binding) => binding.role === role && binding.condition === undefined)) {
          bindings.push({ role, members: [member] });
          changed = true;
        }
      }
      if (!changed) return;
      try {
        await this.rest.request('resourceManager', 'POST', `${resource}:setIamPolicy`, {
          policy: { ...policy, bindings: bindings.filter((binding) => binding.members.length > 0) },
        });
        return;
      } catch (error) {
        // ABORTED (409): someone changed the policy since it was read; read it again.
        if (!isGoogleApiError(error, 409) || attempt >= POLICY_ATTEMPTS) throw error;
      }
    }
  }
}
