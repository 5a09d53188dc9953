import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { installPackedCli, runPack } from '../../pack/installed-cli';
import { REPO_ROOT } from '../../pack/pack';
import type { BenchLine, BenchSuite } from '../bench';

/**
 * Start-up of the packed CLI (issue 15): `npm run pack`, the CLI installed into a fresh prefix
 * outside the repository, then `caribou --help` and `caribou list` (an empty local home) timed
 * as a user's shell sees them (spawn to exit), each next to `node -e ''` measured in the same
 * rounds: the runs interleave, so the machine's load weighs on all of them alike. `npx caribou
 * --help` from the sources (tsx) is printed for comparison. Medians of the rounds.
 */
const suite: BenchSuite = {
  name: 'CLI start-up: the packed caribou next to node -e \'\'',
  async run({ quick }) {
    const rounds = quick ? 5 : 15;
    runPack();
    const installed = installPackedCli();
    try {
      const work = join(installed.root, 'work');
      const time = (command: string, args: string[], cwd = work, env = installed.env): number => {
        const start = performance.now();
        const result = spawnSync(command, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
        const elapsed = performance.now() - start;
        if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
        return elapsed / 1000;
      };
      const samples: Record<'node' | 'help' | 'list' | 'sources', number[]> = { node: [], help: [], list: [], sources: [] };
      time('caribou', ['list']); // creates the home's database once, as any first command does
      for (let round = 0; round < rounds; round++) {
        samples.node.push(time('node', ['-e', '']));
        samples.help.push(time('caribou', ['--help']));
        samples.list.push(time('caribou', ['list']));
        if (round < Math.min(rounds, 5)) samples.sources.push(time('node', [join(REPO_ROOT, 'apps/cli/bin/run.js'), '--help'], REPO_ROOT, process.env));
      }
      const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
      const range = (values: number[]): string => `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)} s over ${values.length} runs`;
      const node = { label: "node -e ''", value: median(samples.node) };
      const lines: BenchLine[] = [
        { label: "node -e ''", value: node.value, unit: 's', note: range(samples.node) },
        { label: 'caribou --help (packed, installed)', value: median(samples.help), unit: 's', baseline: node, goal: '≤ 0.3 s', note: range(samples.help) },
        { label: 'caribou list (packed, installed)', value: median(samples.list), unit: 's', baseline: node, goal: '≤ 0.5 s', note: range(samples.list) },
        { label: 'caribou --help from the sources (tsx)', value: median(samples.sources), unit: 's', baseline: node, note: range(samples.sources) },
      ];
      return lines;
    } finally {
      rmSync(installed.root, { recursive: true, force: true });
    }
  },
};

export default suite;
