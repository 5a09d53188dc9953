import { describe, expect, it } from 'vitest';
import { RegionsAndProvidersSchema } from './config-schema';
import { checkAllowedAndDisallowedRegions, mergeAndVerifyRegionsAndProviders, providersForFunction } from './region-checks';

const provider1 = { provider1: { config: { memory: 128, timeout: 10 } } };
const withRegions = (regions: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  regions_and_providers: { providers: provider1, ...regions },
  ...extra,
});

describe('DeployerFactory region checks (reference test_deployer_factory.py)', () => {
  it('accepts allowed and disallowed regions that agree', () => {
    expect(() =>
      checkAllowedAndDisallowedRegions(
        withRegions(
          {
            allowed_regions: [{ provider: 'provider1', region: 'region4' }],
            disallowed_regions: [{ provider: 'provider1', region: 'region5' }],
          },
          { home_region: { provider: 'provider1', region: 'region4' } },
        ),
      ),
    ).not.toThrow();
  });

  it.each([
    [{}, 'regions_and_providers must be defined in project config'],
    [{ regions_and_providers: 'not a dictionary' }, 'regions_and_providers must be a dictionary'],
    [{ regions_and_providers: {} }, 'at least one provider must be defined in regions_and_providers'],
    [{ regions_and_providers: { providers: 'not a dictionary' } }, 'providers must be a dictionary'],
    [withRegions({ allowed_regions: 'not a list' }), 'allowed_regions must be a list'],
    [withRegions({ allowed_regions: ['not a dictionary'] }), 'allowed_regions must be a list of dictionaries'],
    [
      withRegions({ allowed_regions: [{ provider: 'provider1' }] }),
      'regions_and_providers.allowed_regions[0]: Region {"provider":"provider1"} must have both provider and region defined',
    ],
    [withRegions({ allowed_regions: [{ provider: 'unsupported', region: 'region4' }] }), 'Provider unsupported is not supported'],
    [withRegions({ allowed_regions: [{ provider: 'gcp', region: 'region4' }] }), 'Provider gcp is not defined in providers'],
    [withRegions({ disallowed_regions: 'not a list' }), 'disallowed_regions must be a list'],
    [withRegions({ disallowed_regions: ['not a dictionary'] }), 'disallowed_regions must be a list of dictionaries'],
    [
      withRegions({ disallowed_regions: [{ provider: 'provider1' }] }),
      'Region {"provider":"provider1"} must have both provider and region defined',
    ],
    [withRegions({ disallowed_regions: [{ provider: 'unsupported', region: 'region4' }] }), 'Provider unsupported is not supported'],
    [withRegions({ disallowed_regions: [{ provider: 'gcp', region: 'region4' }] }), 'Provider gcp is not defined in providers'],
    [
      withRegions({
        disallowed_regions: [{ provider: 'provider1', region: 'region4' }],
        allowed_regions: [{ provider: 'provider1', region: 'region4' }],
      }),
      'regions_and_providers.disallowed_regions[0]: Region provider1:region4 cannot be both allowed and disallowed',
    ],
    [
      withRegions(
        {
          disallowed_regions: [{ provider: 'provider1', region: 'region4' }],
          allowed_regions: [{ provider: 'provider1', region: 'region5' }],
        },
        { home_region: { provider: 'provider1', region: 'region4' } },
      ),
      'Region provider1:region4 cannot be both home and disallowed',
    ],
  ])('%j → %s', (config, message) => {
    expect(() => checkAllowedAndDisallowedRegions(config)).toThrow(message);
  });

  it('accepts extra keys in a provider entry and a home region that is not disallowed', () => {
    expect(() =>
      checkAllowedAndDisallowedRegions({
        regions_and_providers: {
          providers: { provider1: { config: { memory: 128, timeout: 10 }, account_id: '123456789012', region: 'region4' } },
          disallowed_regions: [{ provider: 'provider1', region: 'region4' }],
        },
        home_region: { provider: 'provider1', region: 'region5' },
      }),
    ).not.toThrow();
  });

  it('treats null region lists as empty', () => {
    expect(() => checkAllowedAndDisallowedRegions(withRegions({ allowed_regions: null, disallowed_regions: null }))).not.toThrow();
  });
});

describe('function-level regions_and_providers (reference _merge_and_verify_regions_and_providers)', () => {
  const workflow = RegionsAndProvidersSchema.parse({
    allowed_regions: [{ provider: 'provider1', region: 'region1' }],
    disallowed_regions: [{ provider: 'provider1', region: 'region3' }],
    providers: provider1,
  });
  const home = { provider: 'provider1', region: 'region1' };

  it('copies the workflow settings when the function sets none', () => {
    const merged = mergeAndVerifyRegionsAndProviders('f', {}, workflow, home);
    expect(merged).toEqual(workflow);
    merged.providers['provider1']!.config['memory'] = 1;
    expect(workflow.providers['provider1']!.config['memory']).toBe(128);
  });

  it('replaces providers and region lists the function sets', () => {
    const merged = mergeAndVerifyRegionsAndProviders(
      'f',
      {
        providers: { provider2: { config: {} }, provider1: { config: { memory: 256, timeout: 5 } } },
        allowed_regions: [{ provider: 'provider2', region: 'region2' }],
      },
      workflow,
      home,
    );
    expect(merged).toEqual({
      allowed_regions: [{ provider: 'provider2', region: 'region2' }],
      disallowed_regions: [{ provider: 'provider1', region: 'region3' }],
      providers: { provider2: { config: {} }, provider1: { config: { memory: 256, timeout: 5 } } },
    });
  });

  it('re-checks the merged lists and names the function', () => {
    expect(() =>
      mergeAndVerifyRegionsAndProviders('f', { allowed_regions: [{ provider: 'gcp', region: 'x' }] }, workflow, home),
    ).toThrow('Function f: regions_and_providers.allowed_regions[0]: Provider gcp is not defined in providers');
    expect(() =>
      mergeAndVerifyRegionsAndProviders('f', { disallowed_regions: [{ provider: 'provider1', region: 'region1' }] }, workflow, home),
    ).toThrow('Region provider1:region1 cannot be both home and disallowed');
    expect(() =>
      mergeAndVerifyRegionsAndProviders('f', { providers: { aws: { config: { memory: 128 } } } }, workflow, home),
    ).toThrow("Function f: regions_and_providers.providers.aws.config.timeout: The 'config' dictionary must contain 'timeout' key");
  });

  it('requires the home provider among a function’s providers', () => {
    expect(providersForFunction('f', null, workflow, home)).toBe(workflow.providers);
    expect(() => providersForFunction('f', { providers: { gcp: { config: {} } } }, workflow, home)).toThrow(
      'Home region provider provider1 is not defined in providers for function f',
    );
  });
});

describe('home provider and region codes', () => {
  const config = (home: Record<string, string>, allowed: Array<Record<string, string>> = []) => ({
    home_region: home,
    regions_and_providers: { allowed_regions: allowed, providers: { local: { config: { memory: 128, timeout: 60 } } } },
  });

  it.each([
    [{ provider: 'azure', region: 'westeurope' }, [], 'home_region.provider: Provider azure is not supported; use local or aws'],
    [{ provider: 'aws', region: 'us-east-1' }, [], 'home_region.provider: Provider aws is not defined in providers; add regions_and_providers.providers.aws'],
    [{ provider: 'local', region: 'mars-1' }, [], 'home_region: Region local:mars-1 is not an AWS region code'],
    [{ provider: 'local', region: 'us-east-1' }, [{ provider: 'local', region: 'useast1' }], 'regions_and_providers.allowed_regions[0]: Region local:useast1 is not an AWS region code'],
  ])('%j with allowed %j: %s', (home, allowed, message) => {
    expect(() => checkAllowedAndDisallowedRegions(config(home, allowed))).toThrow(message);
  });

  it('accepts real codes', () => {
    expect(() => checkAllowedAndDisallowedRegions(config({ provider: 'local', region: 'ap-southeast-4' }, [{ provider: 'local', region: 'il-central-1' }]))).not.toThrow();
  });
});
