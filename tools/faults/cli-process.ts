import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '@caribou/cli/testing';

const BIN = join(REPO_ROOT, 'apps/cli/bin/run.js');

export interface CliRun {
  child: ChildProcess;
  /** Resolves when the process ended, with its code (null when killed) and output so far. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  output(): { stdout: string; stderr: string };
}

/** Starts the real `caribou` CLI in a child process that a test may kill at any moment. */
export function startCli(args: string[], env: Record<string, string>): CliRun {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, CI: '1', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done, output: () => ({ stdout, stderr }) };
}

export const freshHome = (label: string): string => mkdtempSync(join(tmpdir(), `caribou-${label}-`));

/** A copy of an example project (to edit freely), with `edit` applied to its files. */
export function projectCopy(example: string, edits: Record<string, (text: string) => string> = {}): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'caribou-project-')), example);
  cpSync(join(REPO_ROOT, 'examples', example), dir, { recursive: true, filter: (src) => !src.includes('deployment-packages') });
  for (const [file, edit] of Object.entries(edits)) writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
  return dir;
}

/** A one-file project: `.caribou/config.yml`, the IAM policy file and `src/app.ts`. */
export function writeProject(name: string, app: string, configEdit: (text: string) => string = (t) => t): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'caribou-project-')), name);
  mkdirSync(join(dir, '.caribou'), { recursive: true });
  mkdirSync(join(dir, 'src'), { recursive: true });
  const config = `workflow_name: "${name}"
workflow_version: "0.0.1"
environment_variables:
  - key: "DECLARED_VARIABLE"
    value: "declared"
iam_policy_file: "iam_policy.json"
home_region:
  provider: "local"
  region: "us-east-1"
constraints:
  hard_resource_constraints: { cost: null, runtime: null, carbon: null }
  soft_resource_constraints: { cost: null, runtime: null, carbon: null }
  priority_order: ["carbon", "cost", "runtime"]
regions_and_providers:
  allowed_regions: null
  disallowed_regions: null
  providers:
    local:
      config:
        timeout: 60
        memory: 128
`;
  writeFileSync(join(dir, '.caribou/config.yml'), configEdit(config));
  writeFileSync(join(dir, '.caribou/iam_policy.json'), '{"local": {}}\n');
  writeFileSync(join(dir, 'src/app.ts'), app);
  return dir;
}
