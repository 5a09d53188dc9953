import { createHash } from 'node:crypto';
import { CaribouError } from '@caribou/domain-common';

/** The install every resource belongs to when neither CARIBOU_INSTALL nor --install names one. */
export const DEFAULT_INSTALL = 'caribou';
export const INSTALL_VARIABLE = 'CARIBOU_INSTALL';

/**
 * Letters and digits only: the separator `_` can then never occur inside an install name, so
 * `<install>_*` (an IAM resource pattern) matches this install's resources and no other
 * install's — `a_*` does not match `ab_…`, and no install can be called `a_b`.
 */
const INSTALL_NAME = /^[a-z][a-z0-9]{0,15}$/;

/** Lambda function names and IAM role names are at most 64 characters. */
const MAX_NAME = 64;

/** Tag keys every resource of an install carries (values: see `InstallNamespace.tags`). */
export const InstallTags = {
  install: 'caribou:install',
  workflow: 'caribou:workflow',
  version: 'caribou:version',
  managedBy: 'caribou:managed-by',
} as const;
export const MANAGED_BY = 'caribou';

export function checkInstallName(name: string): string {
  if (!INSTALL_NAME.test(name)) {
    throw new CaribouError(
      `install name '${name}' is not valid: set ${INSTALL_VARIABLE} (or --install) to 1–16 lowercase letters or digits, starting with a letter (e.g. caribou, staging2)`,
    );
  }
  return name;
}

/**
 * The names and tags of one install's AWS resources. Every name starts with `<install>_`, so
 * two installs share an account and region without colliding, and an IAM policy can be scoped
 * to one install by that prefix. Names the reference fixed keep their text after the prefix
 * (`caribou_cli`, `caribou_deployment_policy` for the default install). Placement decisions and
 * the ledger keep the reference's physical names; only this class maps them to AWS names.
 */
export class InstallNamespace {
  readonly prefix: string;

  constructor(readonly install: string = DEFAULT_INSTALL) {
    checkInstallName(install);
    this.prefix = `${install}_`;
  }

  /** `<install>_<name>`, or, beyond 64 characters, cut and ended by a hash of the whole name so it stays unique and stable. */
  private bounded(name: string): string {
    const full = `${this.prefix}${name}`;
    if (full.length <= MAX_NAME) return full;
    const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
    return `${full.slice(0, MAX_NAME - hash.length - 1)}-${hash}`;
  }

  /** A framework table (system region) or a per-region sync / marker table. */
  table(logicalName: string): string {
    return `${this.prefix}${logicalName}`;
  }

  /** The Lambda function of a physical name `<wf>-<ver>-<fn>_<provider>-<region>`. */
  functionName(physicalName: string): string {
    return this.bounded(physicalName);
  }

  /** The physical name back from a Lambda function name of this install; undefined for another install's or a cut name. */
  physicalName(functionName: string): string | undefined {
    if (!functionName.startsWith(this.prefix)) return undefined;
    const physical = functionName.slice(this.prefix.length);
    return this.functionName(physical) === functionName ? physical : undefined;
  }

  roleName(logicalName: string): string {
    return this.bounded(logicalName);
  }

  logGroup(physicalName: string): string {
    return `/aws/lambda/${this.functionName(physicalName)}`;
  }

  /** Every function of a workflow version starts with this (IAM resource patterns, listing). */
  workflowFunctionPrefix(workflowName: string, workflowVersion: string): string {
    return `${this.prefix}${workflowName}-${workflowVersion.replace(/\./g, '_')}-`;
  }

  get remoteFunction(): string {
    return `${this.prefix}cli`;
  }

  get remoteRole(): string {
    return `${this.prefix}deployment_policy`;
  }

  timerRule(timer: string): string {
    return `${this.prefix}${timer}-timer-rule`;
  }

  /** ECR repository names are lowercase. */
  repository(name: string): string {
    return `${this.prefix}${name}`.toLowerCase().replace(/[^a-z0-9._/-]/g, '-');
  }

  /** The on-failure destination queue of a region. */
  get failureQueue(): string {
    return `${this.prefix}failed_invocations`;
  }

  /** SSM parameters live under `/<install>/`. */
  parameter(name: string): string {
    return `/${this.install}/${name}`;
  }

  get parameterPath(): string {
    return `/${this.install}/`;
  }

  /** The tags a resource carries: install and managed-by always, workflow and version where the resource belongs to one. */
  tags(workflow?: { workflowName: string; workflowVersion: string }): Record<string, string> {
    return {
      [InstallTags.install]: this.install,
      [InstallTags.managedBy]: MANAGED_BY,
      ...(workflow ? { [InstallTags.workflow]: workflow.workflowName, [InstallTags.version]: workflow.workflowVersion } : {}),
    };
  }
}

/** Tags as the IAM, SSM, DynamoDB and EventBridge APIs take them. */
export function tagList(tags: Record<string, string>): Array<{ Key: string; Value: string }> {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** The workflow name and version of a physical name `<wf>-<ver_>-<fn>_…`: the version with `_` as the reference writes it. */
export function workflowOfPhysicalName(physicalName: string): { workflowName: string; workflowVersion: string } | undefined {
  const [workflowName, version] = physicalName.split('-');
  return workflowName && version ? { workflowName, workflowVersion: version.replace(/_/g, '.') } : undefined;
}
