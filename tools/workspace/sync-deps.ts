/**
 * Keeps each workspace package's `dependencies` in line with what its sources import:
 * every imported `@caribou/*` package must be declared (Nx reads the graph from imports,
 * npm and readers from package.json). `--write` adds what is missing; without it the
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
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name: string; dependencies?: Record<string, string> };
  const imported = new Set<string>();
  for (const source of sourceFiles(dir)) {
    for (const match of readFileSync(source, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"](@caribou\/[a-z0-9-]+)/g)) imported.add(match[1]!);
  }
  imported.delete(pkg.name);
  const missing = [...imported].filter((name) => !pkg.dependencies?.[name]).sort();
  if (missing.length === 0) continue;
  gaps += missing.length;
  console.log(`${relative(root, dir)}: ${missing.join(', ')}`);
  if (write) {
    pkg.dependencies = Object.fromEntries(Object.entries({ ...pkg.dependencies, ...Object.fromEntries(missing.map((m) => [m, '*'])) }).sort());
    writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  }
}
if (gaps > 0 && !write) process.exitCode = 1;
