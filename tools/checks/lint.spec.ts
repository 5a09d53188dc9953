import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { createProjectGraphAsync } from '@nx/devkit';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
process.env.NX_DAEMON = 'false';

function problems(results: ESLint.LintResult[]): string[] {
  return results.flatMap((r) => r.messages.map((m) => `${r.filePath.replace(`${root}/`, '')}:${m.line} ${m.ruleId ?? ''} ${m.message}`));
}

describe('repository checks', () => {
  // The module-boundary rule silently skips itself when no project graph is cached (a fresh
  // clone): compute it first, and check it knows our projects and their tags.
  beforeAll(async () => {
    const graph = await createProjectGraphAsync({ exitOnError: false });
    expect(graph.nodes['@caribou/application']?.data.tags).toContain('type:application');
  }, 120_000);

  it('lint passes on the whole tree (module boundaries included)', async () => {
    const eslint = new ESLint({ cwd: root });
    const results = await eslint.lintFiles(['.']);
    expect(problems(results.filter((r) => r.errorCount > 0))).toEqual([]);
  }, 180_000);

  it.each([
    ['a Node built-in in domain code', 'libs/domain/model/src/__violation__.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", /restricted|banned/i],
    ['an adapter in domain code', 'libs/domain/solver/src/__violation__.ts', "import { LocalDatabase } from '@caribou/adapter-local';\nexport const x = LocalDatabase;\n", /boundar|tag|restricted|Circular/i],
    ['an AWS SDK client in application code', 'libs/application/src/__violation__.ts', "import { LambdaClient } from '@aws-sdk/client-lambda';\nexport const x = LambdaClient;\n", /banned|restricted|not allowed/i],
    ['an adapter in application code', 'libs/application/src/__violation__.ts', "import { LocalDatabase } from '@caribou/adapter-local';\nexport const x = LocalDatabase;\n", /boundar|tag|not allowed|Circular/i],
  ])('a deliberate boundary violation fails lint: %s', async (_label, file, code, expected) => {
    const eslint = new ESLint({ cwd: root });
    const [result] = await eslint.lintText(code, { filePath: join(root, file) });
    expect(result!.errorCount).toBeGreaterThan(0);
    expect(problems([result!]).join('\n')).toMatch(expected);
  }, 120_000);

  it('TypeScript compiles the whole tree without errors', () => {
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json'), '--noEmit'], {
      encoding: 'utf8',
    });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 240_000);
});
