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
import type { IdentityManager } from '@caribou/ports';
import type { AwsClients } from '../config';
import { describeError, isAwsError } from '../errors';
import { collectPages } from '../pages';

/** IAM role names are at most 64 characters. */
export const MAX_ROLE_NAME_LENGTH = 64;

/**
 * The name a role really has. Used by create, update, exists and remove alike, so a long
 * name removes the role it created (the reference truncated on create only, §12.2 #11).
 */
export function iamRoleName(roleName: string): string {
  return roleName.slice(0, MAX_ROLE_NAME_LENGTH);
}

export const LAMBDA_TRUST_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

export interface IamIdentityManagerOptions {
  /** Who may assume the roles. Default: Lambda. */
  trustPolicy?: object;
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

  constructor(clients: AwsClients, options: IamIdentityManagerOptions = {}) {
    this.iam = clients.iam();
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

  async ensureRole(_region: ProviderRegion, roleName: string, policyJson: string): Promise<{ roleIdentifier: string }> {
    const name = iamRoleName(roleName);
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
          role = (await this.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: this.trustPolicy }))).Role;
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
    return (await this.getRole(iamRoleName(roleName))) !== undefined;
  }

  async removeRole(_region: ProviderRegion, roleName: string): Promise<void> {
    const name = iamRoleName(roleName);
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
