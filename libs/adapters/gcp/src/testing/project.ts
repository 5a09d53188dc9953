import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';

export interface GcpProjectOptions {
  /** Home region (gcp). Default us-east4. */
  home?: string;
  /** Allowed gcp regions besides the home region. */
  regions?: string[];
  memoryMb?: number;
  timeoutSeconds?: number;
}

/**
 * Test support: a copy of an example project in a temp directory whose config targets the
 * gcp provider (home region, allowed regions, `providers.gcp.config`) and whose IAM policy
 * file has a (empty) `gcp` entry.
 */
export function gcpExampleProject(exampleDir: string, options: GcpProjectOptions = {}): string {
  const home = options.home ?? 'us-east4';
  const regions = [home, ...(options.regions ?? []).filter((region) => region !== home)];
  const dir = mkdtempSync(join(tmpdir(), 'caribou-gcp-project-'));
  cpSync(exampleDir, dir, { recursive: true, filter: (source) => !source.includes(join('.caribou', 'deployment-packages')) });
  const configPath = join(dir, '.caribou', 'config.yml');
  const config = YAML.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
  config.home_region = { provider: 'gcp', region: home };
  config.regions_and_providers = {
    allowed_regions: regions.map((region) => ({ provider: 'gcp', region })),
    disallowed_regions: null,
    providers: { gcp: { config: { timeout: options.timeoutSeconds ?? 60, memory: options.memoryMb ?? 256 } } },
  };
  writeFileSync(configPath, YAML.stringify(config));
  const policyPath = join(dir, '.caribou', 'iam_policy.json');
  const policy = JSON.parse(readFileSync(policyPath, 'utf8')) as Record<string, unknown>;
  writeFileSync(policyPath, JSON.stringify({ ...policy, gcp: policy.gcp ?? {} }, null, 2));
  return dir;
}
