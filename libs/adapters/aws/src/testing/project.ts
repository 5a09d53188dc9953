import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface AwsProjectOptions {
  /** Home region (aws). Default us-east-1. */
  home?: string;
  /** Allowed aws regions besides the home region. */
  regions?: string[];
  /** Replaces `workflow_version` (each test file deploys its own workflow id). */
  version?: string;
  memoryMb?: number;
  timeoutSeconds?: number;
  /** `providers.aws.config.runtime`; unset: none written (the default runtime). */
  runtime?: string;
}

/**
 * Test support: a copy of an example project in a temp directory with its config rewritten
 * to the aws provider (home region, allowed regions, `providers.aws.config`). The
 * `.caribou/iam_policy.json` of the example keeps its `aws` key.
 */
export function awsExampleProject(exampleDir: string, options: AwsProjectOptions = {}): string {
  const home = options.home ?? 'us-east-1';
  const regions = [home, ...(options.regions ?? []).filter((region) => region !== home)];
  const dir = mkdtempSync(join(tmpdir(), 'caribou-aws-project-'));
  cpSync(exampleDir, dir, { recursive: true, filter: (source) => !source.includes(`${join('.caribou', 'deployment-packages')}`) });
  const configPath = join(dir, '.caribou', 'config.yml');
  const original = readFileSync(configPath, 'utf8');
  const name = /^workflow_name:\s*"?([^"\n]+)"?/m.exec(original)?.[1];
  const version = options.version ?? /^workflow_version:\s*"?([^"\n]+)"?/m.exec(original)?.[1];
  if (!name || !version) throw new Error(`${configPath} has no workflow_name/workflow_version`);
  if (options.version) {
    // The app declares its version too; both must agree.
    const appPath = join(dir, 'src', 'app.ts');
    const app = readFileSync(appPath, 'utf8');
    const declared = /version:\s*(['"])([^'"]+)\1/.exec(app);
    if (!declared) throw new Error(`${appPath} declares no version: '...'`);
    writeFileSync(appPath, app.replace(declared[0], `version: '${options.version}'`));
  }
  writeFileSync(
    configPath,
    [
      `workflow_name: "${name}"`,
      `workflow_version: "${version}"`,
      'environment_variables: null',
      'iam_policy_file: "iam_policy.json"',
      'home_region:',
      '  provider: "aws"',
      `  region: "${home}"`,
      'estimated_invocations_per_month: 1000000',
      'constraints:',
      '  hard_resource_constraints:',
      '    cost: null',
      '    runtime: null',
      '    carbon: null',
      '  soft_resource_constraints:',
      '    cost: null',
      '    runtime: null',
      '    carbon: null',
      '  priority_order:',
      '    - carbon',
      '    - cost',
      '    - runtime',
      'regions_and_providers:',
      '  allowed_regions:',
      ...regions.flatMap((region) => ['    - provider: "aws"', `      region: "${region}"`]),
      '  disallowed_regions: null',
      '  providers:',
      '    aws:',
      '      config:',
      `        timeout: ${options.timeoutSeconds ?? 60}`,
      `        memory: ${options.memoryMb ?? 128}`,
      ...(options.runtime ? [`        runtime: "${options.runtime}"`] : []),
      '',
    ].join('\n'),
  );
  return dir;
}
