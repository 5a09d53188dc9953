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
  /** workflow_version (tests sharing the emulators deploy distinct workflow ids). */
  version?: string;
  /** Google Cloud project of providers.gcp.config.project. */
  project?: string;
  /** Leave the `gcp` key out of the IAM policy file (it then means no extra permissions). */
  withoutGcpPolicy?: boolean;
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
  if (options.version) {
    config.workflow_version = options.version;
    // The app declares its version too; both must agree.
    const appPath = join(dir, 'src', 'app.ts');
    const app = readFileSync(appPath, 'utf8');
    const declared = /version:\s*(['"])([^'"]+)\1/.exec(app);
    if (!declared) throw new Error(`${appPath} declares no version: '...'`);
    writeFileSync(appPath, app.replace(declared[0], `version: '${options.version}'`));
  }
  config.regions_and_providers = {
    allowed_regions: regions.map((region) => ({ provider: 'gcp', region })),
    disallowed_regions: null,
    providers: { gcp: { config: { timeout: options.timeoutSeconds ?? 60, memory: options.memoryMb ?? 256, ...(options.project ? { project: options.project } : {}) } } },
  };
  writeFileSync(configPath, YAML.stringify(config));
  const policyPath = join(dir, '.caribou', 'iam_policy.json');
  const policy = JSON.parse(readFileSync(policyPath, 'utf8')) as Record<string, unknown>;
  const { gcp: _gcp, ...others } = policy;
  writeFileSync(policyPath, JSON.stringify(options.withoutGcpPolicy ? others : { ...others, gcp: policy.gcp ?? {} }, null, 2));
  return dir;
}
