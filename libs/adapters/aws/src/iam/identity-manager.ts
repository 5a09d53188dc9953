import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  UpdateAssumeRolePolicyCommand,
  paginateListAttachedRolePolicies,
  paginateListInstanceProfilesForRole,
  paginateListRolePolicies,
  waitUntilRoleExists,
  type IAMClient,
  type Role,
} from '@aws-sdk/client-iam';
import { CaribouError, type ProviderRegion } from '@caribou/domain-common';
import type { FunctionRoleRequest, IdentityManager } from '@caribou/ports';
import type { AwsClients } from '../config';
import { describeError, isAwsError } from '../errors';
import { collectPages } from '../pages';
import { functionRolePolicy, type PolicyStatement } from './policies';
import { InstallNamespace, tagList, workflowOfPhysicalName } from '../install/install-namespace';

/** IAM role names are at most 64 characters. */
export const MAX_ROLE_NAME_LENGTH = 64;

/**
 * The name a role really has: the install's prefix, cut to 64 characters with a hash when
 * longer. Used by create, update, exists and remove alike, so a long name removes the role it
 * created (the reference truncated on create only, §12.2 #11).
 */
export function iamRoleName(roleName: string, names: InstallNamespace = new InstallNamespace()): string {
  return names.roleName(roleName);
}

export const LAMBDA_TRUST_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

export interface IamIdentityManagerOptions {
  /** Who may assume the roles. Default: Lambda. */
  trustPolicy?: object;
}

const USER_POLICY_FIX = 'fix the "aws" entry of .caribou/iam_policy.json: a policy document {"Version": "2012-10-17", "Statement": [...]} with what your code needs, or {}';

/** The statements of the user's policy entry: `{}` and a document without statements add none. */
function userStatementsOf(userPolicy: unknown): PolicyStatement[] {
  if (userPolicy === undefined || userPolicy === null) return [];
  if (typeof userPolicy !== 'object' || Array.isArray(userPolicy)) throw new CaribouError(`The IAM policy must be a JSON object; ${USER_POLICY_FIX}`);
  const statement = (userPolicy as { Statement?: unknown }).Statement;
  if (statement === undefined) return [];
  const statements = Array.isArray(statement) ? statement : [statement];
  for (const [index, entry] of statements.entries()) {
    const fields = entry as Record<string, unknown> | null;
    if (!fields || typeof fields !== 'object' || !fields.Effect || !fields.Action || !(fields.Resource || fields.NotResource)) {
      throw new CaribouError(`Statement ${index} of the IAM policy needs Effect, Action and Resource; ${USER_POLICY_FIX}`);
    }
  }
  return statements as PolicyStatement[];
}

/** JSON with object keys sorted, so equal policies compare equal whatever their key order or spacing. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** IAM returns policy documents URL-encoded. */
function decodePolicy(document: string | undefined): unknown {
  if (!document) return undefined;
  try {
    return JSON.parse(decodeURIComponent(document));
  } catch {
    return document;
  }
}

/**
 * One IAM role per function (IAM is global; the region argument is ignored) with the
 * workflow's inline policy named like the role. Existing roles get their trust and
 * inline policy replaced only when they differ.
 */
export class IamIdentityManager implements IdentityManager {
  private readonly iam: IAMClient;
  private readonly trustPolicy: string;
  private readonly names: InstallNamespace;

  constructor(
    private readonly clients: AwsClients,
    options: IamIdentityManagerOptions = {},
  ) {
    this.iam = clients.iam();
    this.names = clients.names;
    this.trustPolicy = JSON.stringify(options.trustPolicy ?? LAMBDA_TRUST_POLICY);
  }

  private async getRole(name: string): Promise<Role | undefined> {
    try {
      return (await this.iam.send(new GetRoleCommand({ RoleName: name }))).Role;
    } catch (error) {
      if (isAwsError(error, 'NoSuchEntityException', 'NoSuchEntity')) return undefined;
      throw new CaribouError(`Could not read IAM role ${name}: ${describeError(error)}`, { cause: error });
    }
  }

  /** The generated policy of a workflow function's role (see iam/policies.ts) with the user's statements added. */
  async rolePolicy(request: FunctionRoleRequest): Promise<string> {
    const policy = functionRolePolicy({
      names: this.names,
      accountId: await this.clients.accountId(),
      systemRegion: this.clients.systemRegion,
      workflowName: request.workflowName,
      workflowVersion: request.workflowVersion,
      workflowId: request.workflowId,
      regions: request.regions === 'any' ? 'any' : request.regions.filter((region) => region.provider === 'aws').map((region) => region.region),
      userStatements: userStatementsOf(request.userPolicy),
    });
    return JSON.stringify(policy);
  }

  /** The role of a workflow function (`<wf>-<ver>-<fn>-role`), named and tagged for this install. */
  async ensureRole(_region: ProviderRegion, roleName: string, policyJson: string): Promise<{ roleIdentifier: string }> {
    return this.ensureNamedRole(iamRoleName(roleName, this.names), policyJson, this.names.tags(workflowOfPhysicalName(roleName)));
  }

  /** A role by its IAM name (the remote framework's), created with `tags`, its inline policy set to `policyJson`. */
  async ensureNamedRole(name: string, policyJson: string, tags: Record<string, string>): Promise<{ roleIdentifier: string }> {
    let policy: unknown;
    try {
      policy = JSON.parse(policyJson);
    } catch {
      throw new CaribouError(`The IAM policy for role ${name} is not JSON; fix the "aws" entry of .caribou/iam_policy.json`);
    }
    if (!policy || typeof policy !== 'object' || Array.isArray(policy)) {
      throw new CaribouError(`The IAM policy for role ${name} must be a JSON object; fix the "aws" entry of .caribou/iam_policy.json`);
    }
    try {
      let role = await this.getRole(name);
      if (!role) {
        try {
          role = (await this.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: this.trustPolicy, Tags: tagList(tags) }))).Role;
        } catch (error) {
          // Created concurrently (another deploy of the same workflow): use it.
          if (!isAwsError(error, 'EntityAlreadyExistsException', 'EntityAlreadyExists')) throw error;
          role = await this.getRole(name);
        }
        await waitUntilRoleExists({ client: this.iam, minDelay: 1, maxDelay: 2, maxWaitTime: 60 }, { RoleName: name });
      } else if (canonicalJson(decodePolicy(role.AssumeRolePolicyDocument)) !== canonicalJson(JSON.parse(this.trustPolicy))) {
        await this.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: this.trustPolicy }));
      }
      if (!role?.Arn) throw new Error('IAM returned no role ARN');
      const current = await this.inlinePolicy(name);
      if (current === undefined || canonicalJson(current) !== canonicalJson(policy)) {
        await this.iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: name, PolicyDocument: policyJson }));
      }
      return { roleIdentifier: role.Arn };
    } catch (error) {
      if (error instanceof CaribouError) throw error;
      const hint = isAwsError(error, 'MalformedPolicyDocumentException', 'MalformedPolicyDocument', 'LimitExceededException', 'LimitExceeded')
        ? '; fix the "aws" entry of .caribou/iam_policy.json'
        : '';
      throw new CaribouError(`Could not set up IAM role ${name}: ${describeError(error)}${hint}`, { cause: error });
    }
  }

  private async inlinePolicy(name: string): Promise<unknown> {
    try {
      return decodePolicy((await this.iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: name }))).PolicyDocument);
    } catch (error) {
      if (isAwsError(error, 'NoSuchEntityException', 'NoSuchEntity')) return undefined;
      throw error;
    }
  }

  async roleExists(_region: ProviderRegion, roleName: string): Promise<boolean> {
    return (await this.getRole(iamRoleName(roleName, this.names))) !== undefined;
  }

  async removeRole(_region: ProviderRegion, roleName: string): Promise<void> {
    await this.removeNamedRole(iamRoleName(roleName, this.names));
  }

  /** Deletes a role by its IAM name with its inline and attached policies; a missing role is fine. */
  async removeNamedRole(name: string): Promise<void> {
    try {
      // Everything is listed before anything is removed: removing while paging would shift the pages under the marker.
      const client = { client: this.iam };
      const inline = await collectPages(paginateListRolePolicies(client, { RoleName: name }), (page) => page.PolicyNames);
      const attached = await collectPages(paginateListAttachedRolePolicies(client, { RoleName: name }), (page) => page.AttachedPolicies?.map((policy) => policy.PolicyArn));
      const profiles = await collectPages(paginateListInstanceProfilesForRole(client, { RoleName: name }), (page) => page.InstanceProfiles?.map((profile) => profile.InstanceProfileName));
      // A step's NoSuchEntity means that policy or profile link is gone — e.g. the SDK retried a
      // delete whose first answer was lost — not that the role is: go on to delete the role.
      const alreadyGone = (error: unknown) => {
        if (!isAwsError(error, 'NoSuchEntityException', 'NoSuchEntity')) throw error;
      };
      for (const policyName of inline) await this.iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: policyName })).catch(alreadyGone);
      for (const policyArn of attached) await this.iam.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn: policyArn })).catch(alreadyGone);
      for (const profileName of profiles) {
        await this.iam.send(new RemoveRoleFromInstanceProfileCommand({ RoleName: name, InstanceProfileName: profileName })).catch(alreadyGone);
      }
      await this.iam.send(new DeleteRoleCommand({ RoleName: name }));
    } catch (error) {
      if (isAwsError(error, 'NoSuchEntityException', 'NoSuchEntity')) return;
      throw new CaribouError(`Could not delete IAM role ${name}: ${describeError(error)}`, { cause: error });
    }
  }
}
