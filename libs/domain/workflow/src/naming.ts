import { CaribouError, type ProviderRegion } from '@caribou/domain-common';

/**
 * Names derived from a workflow (reference-system §2.4). They end up in cloud resource
 * names and in the placement decision, so they must stay byte-identical to the reference.
 */

export const MAX_WORKFLOW_NAME_LENGTH = 25;
export const MAX_WORKFLOW_VERSION_LENGTH = 10;
/** The reference's code allows 20 (its docs say 15); we follow the code. */
export const MAX_FUNCTION_NAME_LENGTH = 20;
/** AWS Lambda's limit on function names. */
export const MAX_PHYSICAL_NAME_LENGTH = 64;

const WORD = /^[A-Za-z0-9_]+$/;
const DIGITS_AND_DOTS = /^[0-9.]+$/;
/** Python's `str.isalnum()` after removing `_` is false for `"_"` alone: a name needs one letter or digit. */
const isWord = (name: string): boolean => WORD.test(name) && /[A-Za-z0-9]/.test(name);

/** `<workflow name>-<workflow version>`, dots kept: the key of most tables. */
export function workflowIdOf(workflowName: string, workflowVersion: string): string {
  return `${workflowName}-${workflowVersion}`;
}

/** `<workflow>-<version>-<function>` with `.` → `_`: the part every instance name of the function starts with. */
export function instancePrefixOf(workflowName: string, workflowVersion: string, functionName: string): string {
  return `${workflowName}-${workflowVersion}-${functionName}`.replace(/\./g, '_');
}

/** The deployed function's name: `<workflow>-<version>-<function>_<provider>-<region>` with `.` → `_`. */
export function physicalFunctionName(
  workflowName: string,
  workflowVersion: string,
  functionName: string,
  region: ProviderRegion,
): string {
  return `${workflowName}-${workflowVersion}-${functionName}_${region.provider}-${region.region}`.replace(/\./g, '_');
}

/** The instance prefix inside a physical name: everything before its last `_`. */
export function instancePrefixOfPhysicalName(physicalName: string): string {
  return physicalName.split('_').slice(0, -1).join('_');
}

/** Physical name of the function serving `instanceName` in `region` (the reference's `_get_function_instance_to_resource_name`). */
export function physicalNameOfInstance(instanceName: string, region: ProviderRegion): string {
  return `${instanceName.split(':')[0]}_${region.provider}-${region.region}`;
}

/** The reference's role of one function copy (`<physical name>-role`); ledgers of earlier deploys still name these. */
export function roleNameOf(physicalName: string): string {
  return `${physicalName}-role`;
}

/**
 * The role of a workflow function, shared by all its region copies: `<wf>-<ver_>-<fn>-role`.
 * One role per copy (the reference) reaches IAM's default quota of 1,000 roles at 100
 * functions × 10 regions; a function's generated policy already covers every region it may run in.
 */
export function functionRoleNameOf(workflowName: string, workflowVersion: string, functionName: string): string {
  return `${instancePrefixOf(workflowName, workflowVersion, functionName)}-role`;
}

export function entryPointInstanceName(prefix: string): string {
  return `${prefix}:entry_point:0`;
}

/** A fan-in function has one instance; its index is empty (`:sync:`), as in the reference. */
export function syncInstanceName(prefix: string): string {
  return `${prefix}:sync:`;
}

/**
 * `<prefix>:<predecessor prefix>_<predecessor index>_<k>:<index in DAG>`, where the
 * predecessor index is the last `:` field of the predecessor (empty for a sync node) and
 * `k` is this call's position in the predecessor's successor list.
 */
export function successorInstanceName(
  prefix: string,
  predecessorInstanceName: string,
  positionInPredecessor: number,
  indexInDag: number,
): string {
  const predecessorPrefix = predecessorInstanceName.split(':')[0];
  const predecessorIndex = predecessorInstanceName.split(':').at(-1);
  return `${prefix}:${predecessorPrefix}_${predecessorIndex}_${positionInPredecessor}:${indexInDag}`;
}

/** The function an instance runs: `First_Function` of `demo-0_0_1-First_Function:entry_point:0` (names hold no `-`). */
export function functionNameOfInstanceName(instanceName: string): string {
  return (instanceName.split(':')[0] ?? instanceName).split('-').slice(2).join('-') || instanceName;
}

export function isSyncInstanceName(instanceName: string): boolean {
  return instanceName.split(':')[1] === 'sync';
}

export function isEntryPointInstanceName(instanceName: string): boolean {
  return instanceName.split(':')[1] === 'entry_point';
}

export function verifyWorkflowVersion(version: string | null | undefined): void {
  if (version === null || version === undefined) throw new CaribouError('Workflow version is not set');
  if (version.length === 0 || version.length > MAX_WORKFLOW_VERSION_LENGTH) {
    throw new CaribouError(
      `Workflow version must be greater than 0 and less than or equal to ${MAX_WORKFLOW_VERSION_LENGTH} characters`,
    );
  }
  if (!DIGITS_AND_DOTS.test(version) || !/[0-9]/.test(version)) {
    throw new CaribouError('Workflow version must contain only numbers or dots');
  }
}

export function verifyWorkflowName(name: string): void {
  if (name.length === 0 || name.length > MAX_WORKFLOW_NAME_LENGTH) {
    throw new CaribouError(
      `Workflow name must be greater than 0 and less than or equal to ${MAX_WORKFLOW_NAME_LENGTH} characters`,
    );
  }
  if (!isWord(name)) throw new CaribouError('Workflow name must contain only letters, numbers, or underscores');
}

export function verifyFunctionName(functionName: string): void {
  if (functionName.length === 0 || functionName.length > MAX_FUNCTION_NAME_LENGTH) {
    throw new CaribouError(
      `Function name must be greater than 0 and less than or equal to ${MAX_FUNCTION_NAME_LENGTH} characters`,
    );
  }
  if (!isWord(functionName)) throw new CaribouError('Function name must contain only letters, numbers, or underscores');
}

/** The function name inside a physical name (the reference's regex `^[^-]+-[^-]+-(.*)_[^-]+-`). */
export function functionNameOfPhysicalName(physicalName: string): string {
  const match = /^[^-]+-[^-]+-(.*)_[^-]+-/.exec(physicalName);
  if (!match) throw new CaribouError(`Unexpected Error in function name: ${physicalName}`);
  return match[1]!;
}

/**
 * `Workflow.verify_name_and_version`: the version, then the workflow name, then for each
 * deployed function its physical name length and its function name.
 */
export function verifyNameAndVersion(
  workflowName: string,
  workflowVersion: string | null | undefined,
  physicalFunctionNames: readonly string[],
): void {
  verifyWorkflowVersion(workflowVersion);
  verifyWorkflowName(workflowName);
  for (const physicalName of physicalFunctionNames) {
    if (physicalName.length > MAX_PHYSICAL_NAME_LENGTH) {
      throw new CaribouError(
        `AWS Lambda Function name must be less than or equal to ${MAX_PHYSICAL_NAME_LENGTH} characters, ` +
          `${physicalName} has ${physicalName.length}: shorten the workflow or function name`,
      );
    }
    verifyFunctionName(functionNameOfPhysicalName(physicalName));
  }
}
