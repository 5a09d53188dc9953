import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** CI reads only the reporter's last line: a file that fails outside its tests must count. */
const dir = mkdtempSync(join(tmpdir(), 'summary-reporter-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function summaryOf(files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, 'vitest.config.mjs'), 'export default { test: { include: ["*.spec.mjs"] } };\n');
  const reporter = join(import.meta.dirname, 'summary-reporter.ts');
  const run = spawnSync(process.execPath, [join(process.cwd(), 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir, '--reporter', reporter], { encoding: 'utf8' });
  for (const name of Object.keys(files)) rmSync(join(dir, name));
  return run.stdout.trim().split('\n').pop()!;
}

const passing = 'import { it } from "vitest";\nit("passes", () => {});\n';

describe('the CI summary line', () => {
  it('counts a file whose beforeAll fails (its tests are skipped) as a failure', () => {
    const failingSetup = 'import { beforeAll, it } from "vitest";\nbeforeAll(() => { throw new Error("set-up failed"); });\nit("a", () => {});\nit("b", () => {});\n';
    expect(summaryOf({ 'ok.spec.mjs': passing, 'setup.spec.mjs': failingSetup })).toBe('1 passed, 1 failed, 2 skipped');
  }, 60_000);

  it('counts a file that fails to load, and failed tests one each', () => {
    const broken = 'import { it } from "vitest";\nit("never collected", () => {}\n';
    const failing = 'import { expect, it } from "vitest";\nit("fails", () => expect(1).toBe(2));\nit("fails too", () => expect(1).toBe(3));\n';
    expect(summaryOf({ 'ok.spec.mjs': passing, 'broken.spec.mjs': broken, 'failing.spec.mjs': failing })).toBe('1 passed, 3 failed');
  }, 60_000);
});
