import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatBenchLine, type BenchSuite } from './bench';

/** `npm run bench [-- <suite name filter>] [--quick]`: runs every suite in tools/bench/suites. */
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const filters = args.filter((a) => !a.startsWith('--'));
const suitesDir = join(dirname(fileURLToPath(import.meta.url)), 'suites');

for (const file of readdirSync(suitesDir).filter((f) => f.endsWith('.bench.ts')).sort()) {
  const suite = (await import(pathToFileURL(join(suitesDir, file)).href)).default as BenchSuite;
  if (filters.length && !filters.some((f) => suite.name.includes(f) || file.includes(f))) continue;
  console.log(`\n${suite.name}`);
  try {
    for (const line of await suite.run({ quick })) console.log(formatBenchLine(line));
  } catch (error) {
    console.log(`  failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
