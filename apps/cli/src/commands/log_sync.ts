import { Flags } from '@oclif/core';
import { CaribouError } from '@caribou/domain-common';
import type { LogSyncService, WorkflowLogSyncReport } from '@caribou/application';
import { snakeCaseKeys } from '../json-output';
import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class LogSync extends CaribouCommand {
  static override summary = "Read the deployed workflows' logs into run summaries.";
  static override description = [
    'For every deployed workflow (or --workflow), reads the logs of all its function copies since the last',
    'sync and rebuilds one sample per run: where each function ran, how long, what it sent where.',
    'On AWS only logs older than 15 minutes are read and a workflow is synced at most every 15 minutes;',
    'locally there is no buffer: the sync reads up to where no run is still executing, so runs that are',
    'running (in any process) are read whole by a later sync. Malformed lines are counted and skipped.',
    'Runs a killed process left unfinished are named once, on stderr.',
  ].join(' ');
  static override flags = {
    // A flag with a letter first: oclif's help trims the indent of a first row without one, misaligning the columns.
    remote: Flags.boolean({ char: 'r', description: 'Run the sync on the deployed remote framework (AWS).' }),
    workflow: Flags.string({ description: 'Sync only this workflow id.' }),
    json: Flags.boolean({ description: 'Print the per-workflow reports as JSON.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(LogSync);
    if (flags.remote) return this.runRemote('log_sync', {});
    const service = (await this.services(flags.provider)).get<LogSyncService>(SERVICES.LogSync);
    const reports = await service.sync(flags.workflow ? { workflowId: flags.workflow } : {});
    const interrupted = await service.takeInterruptedRuns();
    if (interrupted.length > 0) {
      const shown = interrupted.slice(0, 20).map((run) => run.runId).join(', ');
      process.stderr.write(
        `Warning: ${interrupted.length} run(s) never finished (the process running them was killed), so no summary holds them: ${shown}${interrupted.length > 20 ? `, … (${interrupted.length - 20} more)` : ''}\n`,
      );
    }
    if (flags.json) this.printJson(snakeCaseKeys(reports));
    else if (reports.length === 0) this.log('No workflows deployed');
    else for (const report of reports) this.log(describe(report));
    const failed = reports.filter((r) => r.status === 'failed' || r.status === 'not-deployed');
    if (failed.length > 0) throw new CaribouError(`${failed.map((r) => `${r.workflowId}: ${r.message ?? r.status}`).join('; ')}`);
  }
}

function describe(report: WorkflowLogSyncReport): string {
  if (report.status !== 'synced') return `${report.workflowId}: ${report.status}${report.message ? ` (${report.message})` : ''}`;
  const extra = [
    report.malformedLines ? `${report.malformedLines} malformed lines skipped` : '',
    report.runsWithColdStart ? `${report.runsWithColdStart} with a cold start` : '',
    report.runsFailed ? `${report.runsFailed} failed` : '',
    report.failedInvocations
      ? `${report.failedInvocations} invocation(s) the platform gave up on in ${report.runsWithFailedInvocations} run(s) (caribou show ${report.workflowId} lists them)`
      : '',
    report.runsIncomplete ? `${report.runsIncomplete} incomplete` : '',
  ].filter(Boolean);
  return (
    `${report.workflowId}: ${report.runsSynced} runs synced from ${report.linesRead} lines of ${report.functions} functions` +
    `${extra.length ? ` (${extra.join(', ')})` : ''}; ${report.logsRetained} runs kept`
  );
}
