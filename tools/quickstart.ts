/**
 * `npm run quickstart`: the whole Caribou loop on the local provider, end to end, with
 * the real CLI — deploy an example, run it, learn from its logs and the grid's carbon
 * data, plan, migrate, show that runs now execute where the plan says, and end with what
 * they really emitted (caribou report).
 *
 * State goes to $CARIBOU_HOME (default: <repo>/.caribou-home), so it never touches
 * ~/.caribou; running it again starts from a clean deployment of the example.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const home = process.env.CARIBOU_HOME ?? join(root, '.caribou-home');
const example = join(root, 'examples/small_sync_example');
const workflowId = 'small_sync_example-0.0.1';
const runs = Number(process.env.QUICKSTART_RUNS ?? 24);
const bin = join(root, 'apps/cli/bin/run.js');
const started = performance.now();

function caribou(args: string[], options: { allowFailure?: boolean; quiet?: boolean } = {}): string {
  if (!options.quiet) console.log(`\n$ caribou ${args.join(' ')}`);
  // Shown commands write straight to this terminal, stdout and stderr alike, so their progress
  // and results appear in the order they happen (capturing stdout printed it after the stderr).
  const result = spawnSync(process.execPath, [bin, ...args], {
    env: { ...process.env, CARIBOU_HOME: home },
    encoding: 'utf8',
    stdio: options.quiet ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0 && !options.allowFailure) {
    console.error(`\nquickstart: "caribou ${args.join(' ')}" failed (exit ${result.status}).${options.quiet ? `\n${result.stderr}` : ''}`);
    process.exit(1);
  }
  return result.stdout ?? '';
}

console.log(`Caribou quickstart on the local provider (state in ${home})`);
const deployed = caribou(['list', '--json'], { quiet: true });
if ((JSON.parse(deployed) as { workflows: string[] }).workflows.includes(workflowId)) {
  caribou(['remove', workflowId]);
}
caribou(['deploy', '-p', example]);

console.log(`\nRunning ${workflowId} ${runs} times…`);
const argument = JSON.stringify({ execute_1: true, execute_2: false, execute_3: true });
caribou(['run', workflowId, '-a', argument, '--wait', '--times', String(runs)]);

console.log('\nLearning from the runs and the grid…');
caribou(['log_sync']);
caribou(['data_collect', 'all']);
caribou(['manage_deployments']);
caribou(['run_deployment_migrator']);

console.log('\nRunning again: each function now runs where the plan for this hour says (10 % of runs stay home).');
caribou(['run', workflowId, '-a', argument, '--wait', '--times', '10']);

const planPage = join(home, 'plan.html');
caribou(['plan', workflowId, '--html', planPage]);

console.log('\nWhat the runs really emitted, measured from their logs, against running everything at home:');
caribou(['log_sync']);
const reportPage = join(home, 'report.html');
caribou(['report', workflowId, '--html', reportPage]);
console.log(`\nInspect the state with: CARIBOU_HOME=${home} npx caribou show ${workflowId}`);
console.log(`Open the plan: ${planPage}`);
console.log(`Open the measured report: ${reportPage}`);

console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
