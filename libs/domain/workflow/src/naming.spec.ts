import { describe, expect, it } from 'vitest';
import {
  entryPointInstanceName,
  functionNameOfPhysicalName,
  instancePrefixOf,
  instancePrefixOfPhysicalName,
  isSyncInstanceName,
  physicalFunctionName,
  physicalNameOfInstance,
  roleNameOf,
  successorInstanceName,
  syncInstanceName,
  verifyNameAndVersion,
  verifyWorkflowName,
  workflowIdOf,
} from './naming';

const aws = { provider: 'aws', region: 'us-east-1' };

describe('derived names', () => {
  it('workflow id keeps the dots, physical names replace them', () => {
    expect(workflowIdOf('image_processing', '0.0.1')).toBe('image_processing-0.0.1');
    expect(physicalFunctionName('image_processing', '0.0.1', 'GetInput', aws)).toBe('image_processing-0_0_1-GetInput_aws-us-east-1');
    expect(roleNameOf('image_processing-0_0_1-GetInput_aws-us-east-1')).toBe('image_processing-0_0_1-GetInput_aws-us-east-1-role');
  });

  it('the instance prefix is the physical name without its provider-region suffix', () => {
    const physical = physicalFunctionName('wf', '0.0.1', 'First_Function', aws);
    expect(instancePrefixOfPhysicalName(physical)).toBe('wf-0_0_1-First_Function');
    expect(instancePrefixOf('wf', '0.0.1', 'First_Function')).toBe('wf-0_0_1-First_Function');
  });

  it('instance names', () => {
    const entry = entryPointInstanceName('wf-0_0_1-GetInput');
    expect(entry).toBe('wf-0_0_1-GetInput:entry_point:0');
    expect(successorInstanceName('wf-0_0_1-Flip', entry, 0, 1)).toBe('wf-0_0_1-Flip:wf-0_0_1-GetInput_0_0:1');
    const sync = syncInstanceName('wf-0_0_1-Join');
    expect(sync).toBe('wf-0_0_1-Join:sync:');
    expect(isSyncInstanceName(sync)).toBe(true);
    expect(isSyncInstanceName(entry)).toBe(false);
    // A sync predecessor has an empty index.
    expect(successorInstanceName('wf-0_0_1-After', sync, 0, 7)).toBe('wf-0_0_1-After:wf-0_0_1-Join__0:7');
  });

  it('maps an instance to the function serving it in a region (reference _get_function_instance_to_resource_name)', () => {
    expect(physicalNameOfInstance('function1:instance1', { provider: 'provider1', region: 'region1' })).toBe(
      'function1_provider1-region1',
    );
  });

  it('extracts the function name from a physical name', () => {
    expect(functionNameOfPhysicalName('wf-0_0_1-First_Function_aws-us-east-1')).toBe('First_Function');
    expect(() => functionNameOfPhysicalName('nothing')).toThrow('Unexpected Error in function name: nothing');
  });
});

describe('verify_name_and_version (reference models/test_workflow.py)', () => {
  const physical = (fn: string, wf = 'workflow_name', version = '0.0.1') => physicalFunctionName(wf, version, fn, aws);

  it('accepts valid names', () => {
    expect(() => verifyNameAndVersion('workflow_name', '0.0.1', [physical('function_1')])).not.toThrow();
  });

  it('rejects a missing or malformed version first', () => {
    expect(() => verifyNameAndVersion('workflow#1', undefined, [])).toThrow('Workflow version is not set');
    expect(() => verifyNameAndVersion('workflow_name', null, [])).toThrow('Workflow version is not set');
    expect(() => verifyNameAndVersion('workflow_name', '1.0a', [])).toThrow('Workflow version must contain only numbers or dots');
    expect(() => verifyNameAndVersion('workflow_name', '', [])).toThrow(
      'Workflow version must be greater than 0 and less than or equal to 10 characters',
    );
    expect(() => verifyNameAndVersion('workflow_name', '1.0.0.0.0.0', [])).toThrow(
      'Workflow version must be greater than 0 and less than or equal to 10 characters',
    );
  });

  it('then the workflow name', () => {
    expect(() => verifyNameAndVersion('workflow#1', '0.0.1', [])).toThrow(
      'Workflow name must contain only letters, numbers, or underscores',
    );
    expect(() => verifyNameAndVersion('a'.repeat(26), '0.0.1', [])).toThrow(
      'Workflow name must be greater than 0 and less than or equal to 25 characters',
    );
    expect(() => verifyNameAndVersion('a'.repeat(25), '0.0.1', [])).not.toThrow();
    expect(() => verifyWorkflowName('')).toThrow('Workflow name must be greater than 0');
    expect(() => verifyWorkflowName('_')).toThrow('only letters, numbers, or underscores');
    expect(() => verifyWorkflowName('../evil')).toThrow('only letters, numbers, or underscores');
  });

  it('then each function: physical length, name length, characters', () => {
    expect(() => verifyNameAndVersion('workflow_name', '0.0.1', [physical('function#1')])).toThrow(
      'Function name must contain only letters, numbers, or underscores',
    );
    expect(() => verifyNameAndVersion('workflow_name', '0.0.1', [physical('First-Function')])).toThrow(
      'Function name must contain only letters, numbers, or underscores',
    );
    expect(() => verifyNameAndVersion('wf', '0.0.1', [physical('f'.repeat(21), 'wf')])).toThrow(
      'Function name must be greater than 0 and less than or equal to 20 characters',
    );
    expect(() => verifyNameAndVersion('wf', '0.0.1', [physical('f'.repeat(20), 'wf')])).not.toThrow();
    const long = physical('f'.repeat(20), 'w'.repeat(25), '1234567890');
    expect(long.length).toBeGreaterThan(64);
    expect(() => verifyNameAndVersion('w'.repeat(25), '1234567890', [long])).toThrow(
      /^AWS Lambda Function name must be less than or equal to 64 characters, w+-1234567890-f+_aws-us-east-1 has 71: shorten the workflow or function name$/,
    );
  });
});
