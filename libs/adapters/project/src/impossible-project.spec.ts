import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importWorkflowApp } from './app-loader';
import { loadProjectConfig, MAX_PROJECT_FILE_BYTES } from './config-loader';
import { discoverWorkflowFunctions } from './successor-discovery';

/** Issue 22: projects that would hang, exhaust memory or deploy a workflow that cannot run. */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'caribou-impossible-'));
  dirs.push(dir);
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), source);
  }
  return dir;
}

const header = `import { CaribouWorkflow } from '@caribou/sdk';
export const workflow = new CaribouWorkflow({ name: 'wf', version: '0.0.1' });
export const b = workflow.serverlessFunction({ name: 'b' }, async () => 1);
`;

describe('successor calls Caribou cannot see are refused with file:line', () => {
  it.each([
    ['a computed property', `workflow['invokeServerlessFunction'](b, {});`, /invokeServerlessFunction at src\/app\.ts:5 is reached by a computed property/],
    ['an alias', `const call = workflow.invokeServerlessFunction; call(b, {});`, /invokeServerlessFunction at src\/app\.ts:5 is used as a value/],
    ['bind', `workflow.invokeServerlessFunction.bind(workflow)(b, {});`, /invokeServerlessFunction at src\/app\.ts:5 is used as a value/],
    ['destructuring', `const { invokeServerlessFunction } = workflow; invokeServerlessFunction(b, {});`, /invokeServerlessFunction at src\/app\.ts:5 is taken out of the workflow by destructuring/],
    ['getPredecessorData by a computed property', `workflow['getPredecessorData']();`, /getPredecessorData at src\/app\.ts:5 is reached by a computed property/],
  ])('%s', (_name, body, message) => {
    const dir = project({
      'src/app.ts': `${header}export const a = workflow.serverlessFunction({ name: 'a', entryPoint: true }, async () => {\n  ${body}\n});\n`,
    });
    expect(() => discoverWorkflowFunctions(join(dir, 'src/app.ts'), dir)).toThrow(message);
  });
});

describe('project files are read only when they are small regular files', () => {
  it('config.yml pointing at /dev/zero is refused without being read', () => {
    const dir = project({});
    mkdirSync(join(dir, '.caribou'));
    symlinkSync('/dev/zero', join(dir, '.caribou/config.yml'));
    expect(() => loadProjectConfig(dir)).toThrow(/Could not load project config: \.caribou\/config\.yml in .*: not a regular file/);
  });

  it('a config.yml over the size limit is refused', () => {
    const dir = project({ '.caribou/config.yml': `# ${'x'.repeat(MAX_PROJECT_FILE_BYTES)}\n` });
    expect(() => loadProjectConfig(dir)).toThrow(/over the limit of 1048576 bytes for a project file/);
  });
});

describe('loading the app has a time limit', () => {
  it('an endless loop at the top level of src/app.ts is stopped and reported', async () => {
    const dir = project({ 'src/app.ts': `${header}while (true) { /* never ends */ }\n` });
    await expect(importWorkflowApp(join(dir, 'src/app.ts'), dir, { loadTimeoutMs: 3_000 })).rejects.toThrow(
      /src\/app\.ts did not finish loading within 3 s .*CARIBOU_APP_LOAD_TIMEOUT/,
    );
  });

  it('process.exit at the top level is refused; what the app prints stays off stdout', async () => {
    const dir = project({ 'src/app.ts': `${header}console.log('hello from the top level');\nprocess.exit(3);\n` });
    await expect(importWorkflowApp(join(dir, 'src/app.ts'), dir)).rejects.toThrow(/src\/app\.ts called process\.exit\(3\) while loading/);
  });
});
