import { describe, expect, it } from 'vitest';
import { parseProjectConfig } from './config-schema';
import { buildWorkflowDag, type DagFunction } from './dag';

/** Issue 22: configs and workflows that deployed although they could never run are refused, naming field or file:line. */
function validConfig(): Record<string, any> {
  return {
    workflow_name: 'wf',
    workflow_version: '0.0.1',
    iam_policy_file: 'iam_policy.json',
    home_region: { provider: 'local', region: 'us-east-1' },
    constraints: {
      hard_resource_constraints: { cost: { type: 'relative', value: 125 }, runtime: null, carbon: null },
      soft_resource_constraints: null,
      priority_order: ['carbon', 'cost', 'runtime'],
    },
    regions_and_providers: {
      allowed_regions: [{ provider: 'local', region: 'us-east-1' }],
      disallowed_regions: null,
      providers: { local: { config: { timeout: 60, memory: 128 } } },
    },
  };
}

const known = new Set(['us-east-1', 'ca-central-1']);

describe('config ranges', () => {
  it.each([
    ['timeout −5', (c: any) => (c.regions_and_providers.providers.local.config.timeout = -5), /providers\.local\.config\.timeout: must be between 1 and 900 seconds on local \(got -5\)/],
    ['memory 0', (c: any) => (c.regions_and_providers.providers.local.config.memory = 0), /providers\.local\.config\.memory: must be between 128 and 10240 MB/],
    ['memory 1e15', (c: any) => (c.regions_and_providers.providers.local.config.memory = 1e15), /providers\.local\.config\.memory: must be between 128 and 10240 MB/],
    ['relative cost −100', (c: any) => (c.constraints.hard_resource_constraints.cost.value = -100), /hard_resource_constraints\.cost\.value: a relative limit .* above 0/],
    ['absolute carbon −1', (c: any) => (c.constraints.soft_resource_constraints = { carbon: { type: 'absolute', value: -1 } }), /soft_resource_constraints\.carbon\.value: an absolute limit must be 0 or more/],
    ['negative invocations', (c: any) => (c.estimated_invocations_per_month = -3), /estimated_invocations_per_month: must be 0 or more/],
    ['home region in no dataset', (c: any) => (c.home_region.region = 'us-fake-9'), /home_region: Region local:us-fake-9 is in none of the shipped region data/],
    ['allowed region in no dataset', (c: any) => c.regions_and_providers.allowed_regions.push({ provider: 'local', region: 'eu-nowhere-1' }), /regions_and_providers\.allowed_regions\[1\]: Region local:eu-nowhere-1/],
  ])('%s is refused in one line naming the field and the range', (_name, mutate, message) => {
    const config = validConfig();
    mutate(config);
    let error: Error | undefined;
    try {
      parseProjectConfig(config, { knownRegionCodes: known });
    } catch (caught) {
      error = caught as Error;
    }
    expect(error?.name).toBe('CaribouError');
    expect(error!.message).toMatch(message);
    expect(error!.message).not.toContain('\n');
  });

  it('the bounds themselves are accepted', () => {
    const config = validConfig();
    config.regions_and_providers.providers.local.config = { timeout: 900, memory: 10_240 };
    config.constraints.hard_resource_constraints.cost.value = 0.5;
    expect(() => parseProjectConfig(config, { knownRegionCodes: known })).not.toThrow();
    config.regions_and_providers.providers.local.config = { timeout: 1, memory: 128 };
    expect(() => parseProjectConfig(config, { knownRegionCodes: known })).not.toThrow();
  });
});

describe('workflows that can never succeed', () => {
  const chain = (length: number): DagFunction[] =>
    Array.from({ length }, (_, i) => ({
      name: `f${i}`,
      entryPoint: i === 0,
      successors: i + 1 < length ? [`f${i + 1}`] : [],
      isSync: false,
      location: `src/app.ts:${10 + i}`,
    }));
  const dag = (functions: DagFunction[]) =>
    buildWorkflowDag({ workflowName: 'wf', workflowVersion: '0.0.1', region: { provider: 'local', region: 'us-east-1' }, functions });

  it('a chain of 20 functions (the hop limit) is fine; 21 is refused, naming where runs would stop', () => {
    expect(dag(chain(20)).instances).toHaveLength(20);
    expect(() => dag(chain(21))).toThrow(/longest call chain has 21 functions \(f0 → f1 → .* → f20\), over the 20 hops .* stop at f20 \(src\/app\.ts:30\)/);
  });

  it('the longest path counts, not the first one found', () => {
    const functions = chain(21);
    functions[0] = { ...functions[0]!, successors: ['f20', 'f1'] };
    expect(() => dag(functions)).toThrow(/21 functions/);
  });

  it('an entry point that calls getPredecessorData is refused with its place', () => {
    const functions = chain(2);
    functions[0] = { ...functions[0]!, isSync: true };
    expect(() => dag(functions)).toThrow(/Function f0 \(src\/app\.ts:10\) is the entry point and calls getPredecessorData/);
  });
});

describe('gcp regions (issue 21)', () => {
  const knownGcp = new Set(['us-east4', 'northamerica-northeast1']);
  const gcpConfig = (home: string, allowed: string[]): Record<string, any> => ({
    ...validConfig(),
    home_region: { provider: 'gcp', region: home },
    regions_and_providers: {
      allowed_regions: allowed.map((region) => ({ provider: 'gcp', region })),
      disallowed_regions: null,
      providers: { gcp: { config: {} } },
    },
  });

  it('accepts a gcp:us-east4 home allowed in northamerica-northeast1', () => {
    expect(parseProjectConfig(gcpConfig('us-east4', ['us-east4', 'northamerica-northeast1']), { knownRegionCodes: known, knownGcpRegionCodes: knownGcp }).home_region).toEqual({ provider: 'gcp', region: 'us-east4' });
  });

  it.each([
    ['an AWS code as the home region', gcpConfig('us-east-1', ['us-east-1']), /^Invalid project config: home_region: Region gcp:us-east-1 is not a Cloud Run functions region .*; use a Google Cloud region code such as us-east4/],
    ['an unknown allowed region', gcpConfig('us-east4', ['us-east4', 'mars-north1']), /^Invalid project config: regions_and_providers\.allowed_regions\[1\]: Region gcp:mars-north1 is not a Cloud Run functions region/],
  ])('refuses %s in one line', (_name, config, message) => {
    expect(() => parseProjectConfig(config, { knownRegionCodes: known, knownGcpRegionCodes: knownGcp })).toThrow(message);
  });

  it('checks gcp codes only when it is given them (the reference configs name placeholder regions)', () => {
    expect(() => parseProjectConfig(gcpConfig('region4', ['region4']), { knownRegionCodes: known })).not.toThrow();
  });
});
