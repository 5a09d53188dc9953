import { describe, expect, it } from 'vitest';
import { iamPolicyFileName, parseIamPolicy, providersInUse } from './iam-policy';

describe('IAM policy file', () => {
  it('needs a policy for every provider in use', () => {
    expect(parseIamPolicy('{"aws": {"Version": "2012-10-17"}, "local": {}}', '.caribou/iam_policy.json', ['local', 'aws'])).toEqual({
      aws: { Version: '2012-10-17' },
      local: {},
    });
    expect(() => parseIamPolicy('{"aws": {}}', '.caribou/iam_policy.json', ['local'])).toThrow(
      'Provider local not found in policy file .caribou/iam_policy.json',
    );
  });

  it('a missing gcp key means no extra permissions (the generated roles cover the runtime)', () => {
    expect(parseIamPolicy('{"aws": {}}', '.caribou/iam_policy.json', ['aws', 'gcp'])).toEqual({ aws: {} });
  });

  it('must be a JSON object', () => {
    expect(() => parseIamPolicy('[1]', 'p.json', [])).toThrow('Policy is not a dictionary');
    expect(() => parseIamPolicy('{nope', 'p.json', [])).toThrow('Policy could not be parsed: p.json is not valid JSON');
  });

  it('collects providers from home, the workflow and each function', () => {
    const config = {
      home_region: { provider: 'local', region: 'us-east-1' },
      regions_and_providers: { providers: { local: { config: {} }, aws: { config: {} } } },
    };
    expect(providersInUse(config, [{ providers: { gcp: { config: {} } } }, null])).toEqual(['local', 'aws', 'gcp']);
  });

  it('falls back to iam_policy.json when the name is empty', () => {
    expect(iamPolicyFileName({ iam_policy_file: '' })).toBe('iam_policy.json');
    expect(iamPolicyFileName({ iam_policy_file: 'policy.json' })).toBe('policy.json');
  });
});
