/**
 * Keeps each workspace package's `dependencies` in line with what its sources import:
 * every imported `@caribou/*` package must be declared (Nx reads the graph from imports,
 * npm and readers from package.json). Imports only made by tests and test support
 * (`*.spec.ts`, `testing/`, `contracts/`) are devDependencies. `--write` adds what is missing; without it the
 * script lists the gaps and exits 1 when there are any.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '../..');
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] };

function workspaceDirs(): string[] {
  const dirs: string[] = [];
  for (const pattern of rootPackage.workspaces) {
    if (pattern.endsWith('/*')) {
      const base = join(root, pattern.slice(0, -2));
      for (const entry of readdirSync(base)) if (statSync(join(base, entry)).isDirectory()) dirs.push(join(base, entry));
    } else dirs.push(join(root, pattern));
  }
  return dirs.filter((dir) => {
    try {
      return statSync(join(dir, 'package.json')).isFile();
    } catch {
      return false;
    }
  });
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'template' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mjs)$/.test(entry)) out.push(path);
  }
  return out;
}

const write = process.argv.includes('--write');
let gaps = 0;
for (const dir of workspaceDirs()) {
  const file = join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as {
    name: string;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const runtime = new Set<string>();
  const testOnly = new Set<string>();
  for (const source of sourceFiles(dir)) {
    const isTest = /\.spec\.ts$|\/testing\/|\/contracts\/|\/__fixtures__\//.test(source) || dir.endsWith('/tools');
    for (const match of readFileSync(source, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"](@caribou\/[a-z0-9-]+)/g)) {
      (isTest ? testOnly : runtime).add(match[1]!);
    }
  }
  runtime.delete(pkg.name);
  testOnly.delete(pkg.name);
  const missing = [...runtime].filter((name) => !pkg.dependencies?.[name]).sort();
  const missingDev = [...testOnly].filter((name) => !runtime.has(name) && !pkg.dependencies?.[name] && !pkg.devDependencies?.[name]).sort();
  if (missing.length + missingDev.length === 0) continue;
  gaps += missing.length + missingDev.length;
  console.log(`${relative(root, dir)}: ${[...missing, ...missingDev.map((m) => `${m} (dev)`)].join(', ')}`);
  if (write) {
    const add = (current: Record<string, string> | undefined, names: string[]) =>
      Object.fromEntries(Object.entries({ ...current, ...Object.fromEntries(names.map((m) => [m, '*'])) }).sort());
    if (missing.length) pkg.dependencies = add(pkg.dependencies, missing);
    if (missingDev.length) pkg.devDependencies = add(pkg.devDependencies, missingDev);
    writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  }
}
if (gaps > 0 && !write) process.exitCode = 1;
