import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverWorkflowFunctions } from './successor-discovery';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (path → source) into a fresh project directory and discovers its functions. */
function discover(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'caribou-discovery-'));
  dirs.push(dir);
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), source);
  }
  const found = discoverWorkflowFunctions(join(dir, 'src/app.ts'), dir);
  return Object.fromEntries(found.map((fn) => [fn.name, fn]));
}

const header = `import { CaribouWorkflow } from '@caribou/sdk';
export const workflow = new CaribouWorkflow({ name: 'wf', version: '0.0.1' });
`;

const leaf = (name: string, body = '') =>
  `export const ${name} = workflow.serverlessFunction({ name: '${name}' }, async () => { ${body} });\n`;

describe('successor discovery', () => {
  it('lists invoked functions in source order, duplicates included', () => {
    const found = discover({
      'src/app.ts':
        header +
        `workflow.serverlessFunction({ name: 'entry', entryPoint: true }, async (event: unknown) => {
  const payload = { event };
  workflow.invokeServerlessFunction(b, payload);
  workflow.invokeServerlessFunction(c, payload, payload !== undefined);
  workflow.invokeServerlessFunction(b, payload);
});
` +
        leaf('b') +
        leaf('c'),
    });
    expect(found['entry']).toMatchObject({ successors: ['b', 'c', 'b'], isSync: false, location: 'src/app.ts:3' });
    expect(found['b']).toMatchObject({ successors: [], isSync: false, location: 'src/app.ts:9' });
  });

  it('expands helpers of the same module where they are called, once per call', () => {
    const found = discover({
      'src/app.ts':
        header +
        `function fanOut(payload: unknown) {
  workflow.invokeServerlessFunction(b, payload);
  workflow.invokeServerlessFunction(c, payload);
}
const notify = (payload: unknown) => workflow.invokeServerlessFunction(d, payload);
workflow.serverlessFunction({ name: 'entry', entryPoint: true }, async () => {
  workflow.invokeServerlessFunction(d, 1);
  fanOut(2);
  notify(3);
  fanOut(4);
});
` +
        leaf('b') +
        leaf('c') +
        leaf('d'),
    });
    expect(found['entry']!.successors).toEqual(['d', 'b', 'c', 'd', 'b', 'c']);
  });

  it('expands helpers imported from relative modules, and finds getPredecessorData there', () => {
    const found = discover({
      'src/app.ts':
        header +
        `import { collect } from './helpers/collect';
import * as send from './helpers/send';
workflow.serverlessFunction({ name: 'entry', entryPoint: true }, async () => {
  send.toMappers(workflow);
});
export const mapper = workflow.serverlessFunction({ name: 'mapper' }, async () => {
  workflow.invokeServerlessFunction(reducer, 1);
});
export const reducer = workflow.serverlessFunction({ name: 'reducer' }, async () => collect(workflow));
`,
      'src/helpers/send.ts': `import type { CaribouWorkflow } from '@caribou/sdk';
import { mapper } from '../app';
export function toMappers(workflow: CaribouWorkflow) {
  workflow.invokeServerlessFunction(mapper, 'a');
  workflow.invokeServerlessFunction(mapper, 'b');
}
`,
      'src/helpers/collect.ts': `import type { CaribouWorkflow } from '@caribou/sdk';
export async function collect(workflow: CaribouWorkflow) {
  return (await workflow.getPredecessorData()).length;
}
`,
    });
    expect(found['entry']).toMatchObject({ successors: ['mapper', 'mapper'], isSync: false });
    expect(found['mapper']).toMatchObject({ successors: ['reducer'], isSync: false });
    expect(found['reducer']).toMatchObject({ successors: [], isSync: true });
  });

  it('marks a handler that uses getPredecessorData directly as sync', () => {
    const found = discover({
      'src/app.ts': header + leaf('join', 'const data = await workflow.getPredecessorData(); return data;') + leaf('other'),
    });
    expect(found['join']!.isSync).toBe(true);
    expect(found['other']!.isSync).toBe(false);
  });

  it('resolves registrations imported from another module and named after their handler', () => {
    const found = discover({
      'src/app.ts':
        header +
        `import { second } from './second';
async function first() {
  workflow.invokeServerlessFunction(second, 'x');
}
workflow.serverlessFunction({ entryPoint: true }, first);
`,
      'src/second.ts': `import { workflow } from './app';
const secondHandler = async () => 'done';
export const second = workflow.serverlessFunction({}, secondHandler);
`,
    });
    expect(Object.keys(found).sort()).toEqual(['first', 'secondHandler']);
    expect(found['first']!.successors).toEqual(['secondHandler']);
    expect(found['secondHandler']!.location).toBe('src/second.ts:3');
  });

  it('never loops on recursive helpers', () => {
    const found = discover({
      'src/app.ts':
        header +
        `function again(n: number): void {
  if (n > 0) again(n - 1);
  workflow.invokeServerlessFunction(b, n);
}
workflow.serverlessFunction({ name: 'entry', entryPoint: true }, async () => {
  workflow.invokeServerlessFunction(c, 1);
  again(3);
});
` +
        leaf('b') +
        leaf('c'),
    });
    expect(found['entry']!.successors).toEqual(['c', 'b']);
  });

  it.each([
    ['an if statement', 'if (event) workflow.invokeServerlessFunction(b, 1);', 'inside an if statement', '7'],
    ['a loop', 'for (const x of [1, 2]) workflow.invokeServerlessFunction(b, x);', 'inside a loop', '7'],
    ['a callback', '[1].forEach((x) => workflow.invokeServerlessFunction(b, x));', 'inside a callback', '7'],
    ['a short-circuit', 'event && workflow.invokeServerlessFunction(b, 1);', 'on the right of a short-circuit operator', '7'],
    ['a conditional helper call', 'if (event) send(1);', 'inside an if statement', '4 \\(through the call at src/app.ts:7\\)'],
  ])('refuses a call made under %s, naming file:line and the fix', (_label, statement, context, line) => {
    const files = {
      'src/app.ts':
        header +
        `function send(x: number) {
  workflow.invokeServerlessFunction(b, x);
}
workflow.serverlessFunction({ name: 'entry', entryPoint: true }, async (event: unknown) => {
  ${statement}
});
` +
        leaf('b'),
    };
    expect(() => discover(files)).toThrow(
      new RegExp(`invokeServerlessFunction at src/app.ts:${line} is ${context}; every call must run on every invocation: .*conditional = false`),
    );
  });

  it('counts a helper declared inside the handler at its calls only', () => {
    const found = discover({
      'src/app.ts':
        header +
        `workflow.serverlessFunction({ name: 'entry', entryPoint: true }, async () => {
  function send(x: number) {
    workflow.invokeServerlessFunction(b, x);
  }
  send(1);
  send(2);
});
` +
        leaf('b'),
    });
    expect(found['entry']!.successors).toEqual(['b', 'b']);
  });

  it('rejects a first argument that is not a registration, naming file and line', () => {
    const app = (call: string) =>
      header +
      `function forward(target: unknown) {
  ${call}
}
workflow.serverlessFunction({ name: 'entry', entryPoint: true }, async () => forward(b));
` +
      leaf('b');
    expect(() => discover({ 'src/app.ts': app('workflow.invokeServerlessFunction(target as any, 1);') })).toThrow(
      "invokeServerlessFunction's first argument must be a function registered with serverlessFunction; found target as any at src/app.ts:4",
    );
    expect(() => discover({ 'src/app.ts': app("workflow.invokeServerlessFunction('b' as any, 1);") })).toThrow(
      "found 'b' as any at src/app.ts:4",
    );
    expect(() => discover({ 'src/app.ts': app('(workflow.invokeServerlessFunction as any)();') })).toThrow(
      'found no argument at src/app.ts:4',
    );
  });

  it('requires literal names and distinct names', () => {
    expect(() =>
      discover({ 'src/app.ts': header + `const n = 'x';\nworkflow.serverlessFunction({ name: n, entryPoint: true }, async () => 1);\n` }),
    ).toThrow("serverlessFunction's name option must be a string literal so the workflow can be analysed before it runs; found name: n at src/app.ts:4");
    expect(() => discover({ 'src/app.ts': header + leaf('a') + `export const a2 = workflow.serverlessFunction({ name: 'a' }, async () => 1);\n` })).toThrow(
      'Function name a is registered twice (src/app.ts:3 and src/app.ts:4): give each serverlessFunction a distinct name',
    );
    expect(() => discover({ 'src/app.ts': header + `workflow.serverlessFunction({}, async () => 1);\n` })).toThrow(
      "serverlessFunction at src/app.ts:3 needs a name: pass { name: '...' } or a named handler function",
    );
  });
});
