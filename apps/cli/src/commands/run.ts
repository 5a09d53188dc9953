import { Args, Flags } from '@oclif/core';
import { CaribouError, regionKey } from '@caribou/domain-common';
import type { FailedInvocation, FailedInvocationsService, RunPlacementKind, RunStarted, RunWorkflowService } from '@caribou/application';
import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class Run extends CaribouCommand {
  static override summary = 'Run a deployed workflow once.';
  static override description = [
    'Sends the argument to the entry point of WORKFLOW_ID and prints the run id. 10% of runs go to the home',
    'deployment (keeps its measurements fresh); the others follow the current plan of this hour.',
    'The argument reaches the entry point as the raw JSON string, as in the reference.',
    'On the local provider the run executes in this process; --wait then lists where each function ran.',
    'With --times, each run id is printed as its run starts; locally runs start as the engine has room for them.',
    'Runs left unfinished because this command was killed are reported by the next log_sync.',
  ].join(' ');
  static override examples = [
    `<%= config.bin %> run small_sync_example-0.0.1 -a '{"execute_1": true}'`,
    `<%= config.bin %> run small_sync_example-0.0.1 -a '{"execute_1": true}' --wait --json`,
  ];
  static override args = { workflow_id: Args.string({ required: true, description: 'Workflow id, <name>-<version>.' }) };
  static override flags = {
    argument: Flags.string({ char: 'a', description: 'Input of the workflow: a JSON string.' }),
    wait: Flags.boolean({
      description:
        'Wait until the run completes and print each executed instance, its region and status (on aws and gcp: read from CloudWatch Logs or Cloud Logging, up to CARIBOU_RUN_WAIT_TIMEOUT seconds, default 300), and the invocations the platform gave up on after its retries (failed_invocations, from the on-failure destinations).',
    }),
    json: Flags.boolean({ description: 'Print {"run_id", "executions": [{"instance_name", "region", "status"}]} (a list with --times).' }),
    times: Flags.integer({ description: 'Start this many runs (each decides its placement on its own), then wait for all.', default: 1, min: 1, max: 10_000 }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Run);
    if (flags.argument !== undefined) {
      try {
        JSON.parse(flags.argument);
      } catch {
        throw new CaribouError(`--argument must be a valid JSON string (got ${flags.argument.slice(0, 60)}); quote it, e.g. -a '{"key": "value"}'`);
      }
    }
    const container = (await this.services(flags.provider));
    const runner = container.get<RunWorkflowService>(SERVICES.Run);
    const tracker = container.get(SERVICES.RunTracker);
    const started: RunStarted[] = [];
    for (let i = 0; i < flags.times; i++) {
      // Locally, a run starts when the engine has room for it: it is stamped when it really starts.
      await tracker.waitForSlot?.();
      const run = await runner.run(args.workflow_id, flags.argument);
      started.push(run);
      if (!flags.json && flags.times === 1) {
        this.log(`Run started in ${regionKey(run.entryRegion)}: ${PLACEMENT_WORDS[run.placement](run.timeKey)}`);
        // The reference's line, kept word for word: scripts read the run id from it.
        this.log(`Run ID for current run: ${run.runId}`);
      } else if (!flags.json) {
        // Each id as its run starts: if this command is killed, the ids it started are on record.
        this.log(`Run ID: ${run.runId}`);
      }
    }
    // The local provider executes runs in this process: they must finish before we exit.
    // Elsewhere the functions run remotely, and only --wait has something to wait for.
    const waitForRuns = flags.wait || container.provider === 'local';
    const results = waitForRuns
      ? await Promise.all(started.map(async (run) => ({ run, result: await tracker.waitForRun(run.runId) })))
      : started.map((run) => ({ run, result: { failed: false, executions: [] } }));
    // Events the platform gave up on (retries exhausted, too old) are in the on-failure destinations.
    const failures = container.get<FailedInvocationsService>(SERVICES.FailedInvocations);
    if (flags.wait) await failures.drain();
    const failedInvocations = new Map<string, FailedInvocation[]>();
    for (const { run, result } of results) {
      const given = flags.wait ? await failures.forRun(args.workflow_id, run.runId) : [];
      failedInvocations.set(run.runId, given);
      if (given.length > 0) result.failed = true;
    }
    const reports = results.map(({ run, result }) => ({
      run_id: run.runId,
      ...(flags.wait
        ? {
            executions: result.executions.map((e) => ({
              instance_name: e.instance_name,
              region: e.region,
              status: e.status,
              ...(e.error ? { error: e.error } : {}),
            })),
            failed_invocations: (failedInvocations.get(run.runId) ?? []).map((f) => ({
              instance_name: f.instance,
              region: f.region,
              error: f.error,
              condition: f.condition,
              attempts: f.attempts,
            })),
          }
        : {}),
    }));
    if (flags.json) this.printJson(flags.times === 1 ? reports[0] : reports);
    else if (flags.times > 1) {
      this.log(`Started ${started.length} runs: ${summarizePlacements(started)}`);
      if (flags.wait) this.printExecutionCounts(reports.flatMap((r) => r.executions ?? []));
    } else if (flags.wait) {
      for (const e of reports[0]!.executions ?? []) this.log(`  ${e.instance_name}  ${e.region}  ${e.status}${e.error ? `: ${e.error}` : ''}`);
      for (const f of reports[0]!.failed_invocations ?? []) {
        this.log(`  ${f.instance_name}  ${f.region}  given up (${f.condition} after ${f.attempts} attempt(s)): ${f.error}`);
      }
    }
    const failed = results.filter(({ result }) => result.failed);
    if (failed.length > 0) {
      const first = failed[0]!;
      const givenUp = failedInvocations.get(first.run.runId)?.[0];
      const failure = givenUp ? { instance_name: givenUp.instance, error: givenUp.error } : first.result.executions.find((e) => e.status === 'failed');
      throw new CaribouError(
        `${failed.length} of ${results.length} run(s) failed; run ${first.run.runId} failed in ${failure?.instance_name || 'a function'}: ${failure?.error ?? 'see the logs'}`,
      );
    }
  }

  /** How often each instance ran in each region, over many runs. */
  private printExecutionCounts(executions: Array<{ instance_name: string; region: string; status: string }>): void {
    const counts = new Map<string, number>();
    for (const e of executions) {
      const key = `${e.instance_name}  ${e.region}  ${e.status}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const [key, count] of [...counts].sort()) this.log(`  ${String(count).padStart(5)} × ${key}`);
  }
}

const hourOf = (timeKey: string): string => `${timeKey.padStart(2, '0')}:00 UTC`;

/** Why a run went where it went, in words (RunPlacementKind). */
const PLACEMENT_WORDS: Record<RunPlacementKind, (timeKey: string) => string> = {
  'no-plan': () => 'every function at home (no placement plan is in force yet: run manage_deployments, then run_deployment_migrator)',
  'home-sample': () => 'every function at home (one of the 10 % of runs kept at home to keep measuring it)',
  plan: (timeKey) => `placed by the plan for the hours from ${hourOf(timeKey)}`,
};

/** "20 at home (no placement plan in force)", "2 at home (the 10 % home sample), 18 placed by the plan (hours from 05:00 UTC)". */
export function summarizePlacements(started: readonly RunStarted[]): string {
  const count = (kind: RunPlacementKind) => started.filter((run) => run.placement === kind);
  const parts: string[] = [];
  const noPlan = count('no-plan').length;
  if (noPlan > 0) parts.push(`${noPlan} at home (no placement plan in force)`);
  const sample = count('home-sample').length;
  if (sample > 0) parts.push(`${sample} at home (the 10 % home sample)`);
  const planned = count('plan');
  if (planned.length > 0) {
    const hours = [...new Set(planned.map((run) => hourOf(run.timeKey)))].join(', ');
    parts.push(`${planned.length} placed by the plan (hours from ${hours})`);
  }
  return parts.join(', ');
}
