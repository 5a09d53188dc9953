import { describe, expect, it } from 'vitest';
import {
  ConstraintSchema,
  ConstraintsSchema,
  environmentVariablesOf,
  parseOrThrow,
  parseProjectConfig,
  RegionsAndProvidersSchema,
} from './config-schema';
import { asyncInvocationOf, logRetentionDaysOf } from './providers';

/** A complete, valid config (the shape of the scaffolded template). */
function validConfig(): Record<string, any> {
  return {
    workflow_name: 'wf',
    workflow_version: '0.0.1',
    environment_variables: [{ key: 'ENV_VAR_1', value: 'value_1' }],
    iam_policy_file: 'iam_policy.json',
    home_region: { provider: 'local', region: 'us-east-1' },
    estimated_invocations_per_month: 1_000_000,
    constraints: {
      hard_resource_constraints: { cost: { type: 'relative', value: 125 }, runtime: null, carbon: null },
      soft_resource_constraints: { cost: null, runtime: null, carbon: null },
      priority_order: ['carbon', 'cost', 'runtime'],
    },
    regions_and_providers: {
      allowed_regions: [{ provider: 'local', region: 'us-east-1' }],
      disallowed_regions: null,
      providers: { local: { config: { timeout: 60, memory: 128 } } },
    },
  };
}

const rap = (value: unknown) => parseOrThrow(RegionsAndProvidersSchema, value, 'Invalid project config');

describe('config schema (reference test_config_schema.py)', () => {
  it('accepts a complete config and keeps unknown keys', () => {
    const config = parseProjectConfig({ ...validConfig(), my_note: 'kept' });
    expect(config.workflow_name).toBe('wf');
    expect((config as Record<string, unknown>)['my_note']).toBe('kept');
  });

  it('client_region: optional, a {provider, region} with a region the shipped data knows', () => {
    expect(parseProjectConfig({ ...validConfig(), client_region: { provider: 'local', region: 'eu-north-1' } }).client_region).toEqual({ provider: 'local', region: 'eu-north-1' });
    expect(parseProjectConfig(validConfig()).client_region).toBeUndefined();
    expect(() => parseProjectConfig({ ...validConfig(), client_region: { provider: 'local' } })).toThrow('Invalid project config: client_region.region: Field required');
    expect(() => parseProjectConfig({ ...validConfig(), client_region: { provider: 'local', region: 'east' } })).toThrow(
      'Invalid project config: client_region: Region local:east is not an AWS region code; use one like us-east-1 or ca-central-1',
    );
    expect(() =>
      parseProjectConfig({ ...validConfig(), client_region: { provider: 'local', region: 'xy-north-9' } }, { knownRegionCodes: new Set(['us-east-1']) }),
    ).toThrow(/^Invalid project config: client_region: Region local:xy-north-9 is in none of the shipped region data/);
  });

  it('provider1 without memory', () => {
    expect(() => rap({ providers: { provider1: { config: { timeout: 10 } } } })).toThrow(
      "The 'config' dictionary must contain 'memory' key with an integer value",
    );
  });

  it('provider1 without timeout', () => {
    expect(() => rap({ providers: { provider1: { config: { memory: 512 } } } })).toThrow(
      "The 'config' dictionary must contain 'timeout' key with an integer value",
    );
  });

  it('provider1 with memory and timeout, gcp with an empty config', () => {
    expect(rap({ providers: { provider1: { config: { memory: 512, timeout: 10 } } } }).providers['provider1']).toBeDefined();
    expect(rap({ providers: { gcp: { config: {} } } }).providers['gcp']).toEqual({ config: {} });
  });

  it('gcp: project, memory (128–32768 MB), timeout (1–3600 s) and runtime are optional, checked when given', () => {
    expect(rap({ providers: { gcp: { config: { project: 'my-project-1', memory: 512, timeout: 3600, runtime: 'nodejs22' } } } }).providers['gcp']!.config['project']).toBe('my-project-1');
    expect(() => rap({ providers: { gcp: { config: { project: 'My_Project' } } } })).toThrow('providers.gcp.config.project: must be a Google Cloud project id');
    expect(() => rap({ providers: { gcp: { config: { memory: 64 } } } })).toThrow('providers.gcp.config.memory: must be between 128 and 32768 MB on gcp (got 64)');
    expect(() => rap({ providers: { gcp: { config: { timeout: 3601 } } } })).toThrow('providers.gcp.config.timeout: must be between 1 and 3600 seconds on gcp (got 3601)');
    expect(() => rap({ providers: { gcp: { config: { runtime: 24 } } } })).toThrow('providers.gcp.config.runtime: must be a Cloud Run functions runtime such as nodejs24, got 24');
  });

  it('local and aws need integer memory and timeout too', () => {
    expect(() => rap({ providers: { local: { config: { memory: 128.5, timeout: 10 } } } })).toThrow(
      "Invalid project config: providers.local.config.memory: The 'config' dictionary must contain 'memory' key with an integer value",
    );
    expect(() => rap({ providers: { aws: { config: { memory: 128, timeout: '60' } } } })).toThrow(
      "providers.aws.config.timeout: The 'config' dictionary must contain 'timeout' key with an integer value",
    );
  });

  it('retry_attempts and maximum_event_age are optional, within what Lambda accepts, and default to 2 and 6 h', () => {
    const config = rap({ providers: { aws: { config: { memory: 128, timeout: 60, retry_attempts: 0, maximum_event_age: 60 } } } }).providers['aws']!.config;
    expect(asyncInvocationOf(config)).toEqual({ retryAttempts: 0, maximumEventAgeSeconds: 60 });
    expect(asyncInvocationOf({ memory: 128, timeout: 60 })).toEqual({ retryAttempts: 2, maximumEventAgeSeconds: 21_600 });
    expect(() => rap({ providers: { aws: { config: { memory: 128, timeout: 60, retry_attempts: 3 } } } })).toThrow(
      'providers.aws.config.retry_attempts: must be an integer from 0 to 2 retries (got 3); remove it for the default (2)',
    );
    expect(() => rap({ providers: { local: { config: { memory: 128, timeout: 60, maximum_event_age: 30 } } } })).toThrow(
      'providers.local.config.maximum_event_age: must be an integer from 60 to 21600 seconds (got 30); remove it for the default (21600)',
    );
  });

  it('log_retention_days is optional, one of the retentions CloudWatch accepts, and defaults to 30 days', () => {
    const config = rap({ providers: { aws: { config: { memory: 128, timeout: 60, log_retention_days: 7 } } } }).providers['aws']!.config;
    expect(logRetentionDaysOf(config)).toBe(7);
    expect(logRetentionDaysOf({ memory: 128, timeout: 60 })).toBe(30);
    expect(() => rap({ providers: { aws: { config: { memory: 128, timeout: 60, log_retention_days: 10 } } } })).toThrow(
      'providers.aws.config.log_retention_days: must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 days (got 10); remove it for the default (30)',
    );
  });

  it('unknown provider', () => {
    expect(() => rap({ providers: { 'non-provider': { config: {} } } })).toThrow('Provider non-provider is not supported');
  });

  it('constraint types', () => {
    expect(() => parseOrThrow(ConstraintSchema, { value: 1.0, type: 'invalid' }, 'c')).toThrow(
      'Constraint type invalid is not supported',
    );
    expect(parseOrThrow(ConstraintSchema, { value: 1.0, type: 'absolute' }, 'c')).toEqual({ value: 1, type: 'absolute' });
    expect(parseOrThrow(ConstraintSchema, { value: 1.0, type: 'relative' }, 'c')).toEqual({ value: 1, type: 'relative' });
  });

  const constraints = (over: Record<string, unknown>) => ({
    hard_resource_constraints: { cost: { value: 1.0, type: 'absolute' } },
    soft_resource_constraints: { runtime: { value: 1.0, type: 'relative' } },
    priority_order: ['cost', 'runtime'],
    ...over,
  });

  it('priority order, hard and soft constraint names', () => {
    expect(() => parseOrThrow(ConstraintsSchema, constraints({ priority_order: ['invalid'] }), 'c')).toThrow(
      'Priority order value invalid is not supported',
    );
    expect(() =>
      parseOrThrow(ConstraintsSchema, constraints({ hard_resource_constraints: { invalid: { value: 1, type: 'absolute' } } }), 'c'),
    ).toThrow('Hard resource constraint invalid is not supported');
    expect(() =>
      parseOrThrow(ConstraintsSchema, constraints({ soft_resource_constraints: { invalid: { value: 1, type: 'relative' } } }), 'c'),
    ).toThrow('Soft resource constraint invalid is not supported');
  });
});

describe('parseProjectConfig error lines', () => {
  it('names the field path of the first problem on one line', () => {
    const config = validConfig();
    config['regions_and_providers'].providers.local.config = { timeout: 60 };
    expect(() => parseProjectConfig(config)).toThrow(
      "Invalid project config: regions_and_providers.providers.local.config.memory: The 'config' dictionary must contain 'memory' key with an integer value",
    );
  });

  it('reports missing and mistyped fields like pydantic', () => {
    const missing = validConfig();
    delete missing['workflow_name'];
    expect(() => parseProjectConfig(missing)).toThrow('Invalid project config: workflow_name: Field required');
    const mistyped = { ...validConfig(), workflow_version: 1.0 };
    expect(() => parseProjectConfig(mistyped)).toThrow('Invalid project config: workflow_version: Input should be a valid string');
  });

  it('points into lists', () => {
    const config = { ...validConfig(), environment_variables: [{ key: 'A', value: 'a' }, { key: 'B', value: 3 }] };
    expect(() => parseProjectConfig(config)).toThrow(
      'Invalid project config: environment_variables[1].value: Environment variable value need to be a str',
    );
    const badKey = { ...validConfig(), environment_variables: [{ key: 3, value: 'a' }] };
    expect(() => parseProjectConfig(badKey)).toThrow('environment_variables[0].key: Environment variable key need to be a str');
  });

  it('refuses a variable name no platform takes, and one the platform sets itself, before anything is deployed', () => {
    const withKey = (key: string) => ({ ...validConfig(), environment_variables: [{ key: 'FINE_1', value: 'a' }, { key, value: 'b' }] });
    for (const key of ['BAD KEY', '1ST', 'A-B', '']) {
      expect(() => parseProjectConfig(withKey(key))).toThrow(
        `Invalid project config: environment_variables[1].key: ${JSON.stringify(key)} is not a variable name: use letters, digits and _, starting with a letter`,
      );
    }
    expect(() => parseProjectConfig(withKey('AWS_REGION'))).toThrow('environment_variables[1].key: AWS_REGION is set by the platform itself; choose another name');
    // Caribou's own variables stay the user's to set (a function's data region, the clients' region).
    expect(parseProjectConfig(withKey('CARIBOU_DATA_REGION')).environment_variables).toHaveLength(2);
  });

  it('counts further problems without printing them', () => {
    expect(() => parseProjectConfig({ workflow_name: 'wf' })).toThrow(/^Invalid project config: workflow_version: Field required \(and \d+ more problems\)$/);
  });

  it('rejects documents that are not mappings', () => {
    expect(() => parseProjectConfig(['a'])).toThrow('project config must be a dictionary');
    expect(() => parseProjectConfig(null)).toThrow('project config must be a dictionary');
  });

  it('runs the region cross-checks after the schema', () => {
    const config = validConfig();
    config['regions_and_providers'].disallowed_regions = [{ provider: 'local', region: 'us-east-1' }];
    expect(() => parseProjectConfig(config)).toThrow(
      'Invalid project config: regions_and_providers.disallowed_regions[0]: Region local:us-east-1 cannot be both allowed and disallowed',
    );
  });
});

describe('environment variables (reference test_config.py)', () => {
  it('turns the list into a map', () => {
    expect(environmentVariablesOf({ environment_variables: [{ key: 'ENV', value: 'test' }] })).toEqual({ ENV: 'test' });
  });

  it('treats a missing list as no variables', () => {
    expect(environmentVariablesOf({ environment_variables: null })).toEqual({});
    expect(environmentVariablesOf({})).toEqual({});
  });

  it('rejects non-string values and keys', () => {
    expect(() => environmentVariablesOf({ environment_variables: [{ key: 'ENV', value: 123 as any }] })).toThrow(
      'Environment variable value need to be a str',
    );
    expect(() => environmentVariablesOf({ environment_variables: [{ key: 123 as any, value: 'test' }] })).toThrow(
      'Environment variable key need to be a str',
    );
  });
});
