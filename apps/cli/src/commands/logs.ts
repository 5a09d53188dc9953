import { Args, Flags } from '@oclif/core';
import { DEFAULT_SINCE, type ExecutionLogEntry, type ExecutionLogsRequest } from '@caribou/application';
import { regionKey } from '@caribou/domain-common';
import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class Logs extends CaribouCommand {
  static override summary = "Show what a workflow's functions printed (output and errors), per execution.";
  static override description = [
    "Reads the logs of every deployed copy of the workflow (CloudWatch Logs on AWS, CARIBOU_HOME locally), the same logs log_sync reads,",
    'and prints each line the function wrote (console.log, console.error, an uncaught error) with its time, region, instance and run.',
    "The framework's [CARIBOU] lines and the platform's START/END/REPORT lines only with --system.",
    'On AWS a line takes a few seconds to reach CloudWatch; --follow keeps reading until Ctrl-C.',
  ].join(' ');
  static override examples = [
    '<%= config.bin %> logs small_sync_example-0.0.1',
    '<%= config.bin %> logs small_sync_example-0.0.1 --run 3f0c… --since 2h',
    '<%= config.bin %> logs small_sync_example-0.0.1 --function first_function --follow --provider aws',
  ];
  static override args = { workflow_id: Args.string({ required: true, description: 'Workflow id (caribou list shows them).' }) };
  static override flags = {
    function: Flags.string({ description: 'Only this function of the workflow (its name in the workflow, e.g. first_function).' }),
    run: Flags.string({ description: 'Only the lines of this run (the run id caribou run prints).' }),
    since: Flags.string({ description: `How far back: 30s, 10m, 2h, 1d, 1w, a UTC day (2026-12-01) or an ISO 8601 time. Default: ${DEFAULT_SINCE}.` }),
    follow: Flags.boolean({ description: 'Keep printing lines as they arrive, until Ctrl-C.' }),
    system: Flags.boolean({ description: "Also the framework's [CARIBOU] lines and the platform's START/END/REPORT lines." }),
    json: Flags.boolean({ description: 'Print the lines as JSON (an array; one object per line with --follow).' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Logs);
    const service = (await this.services(flags.provider)).get(SERVICES.ExecutionLogs);
    const request: ExecutionLogsRequest = {
      workflowId: args.workflow_id,
      ...(flags.function !== undefined ? { functionName: flags.function } : {}),
      ...(flags.run !== undefined ? { runId: flags.run } : {}),
      ...(flags.since !== undefined ? { since: flags.since } : {}),
      system: flags.system,
    };
    if (flags.follow) {
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await service.follow(request, (entries) => this.print(entries, flags.json, true), stop.signal);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      return;
    }
    const entries = await service.read(request);
    if (flags.json) return this.printJson(entries.map(jsonEntry));
    if (entries.length === 0) {
      const what = flags.run !== undefined ? `of run ${flags.run}` : `of ${args.workflow_id}`;
      const system = flags.system ? '' : " (--system also shows the framework's lines)";
      this.log(`No log lines ${what} since ${flags.since ?? `${DEFAULT_SINCE} ago`}${system}; --since reaches further back`);
      return;
    }
    this.print(entries, false, false);
  }

  private print(entries: ExecutionLogEntry[], json: boolean, following: boolean): void {
    if (json && following) {
      for (const entry of entries) process.stdout.write(`${JSON.stringify(jsonEntry(entry))}\n`);
      return;
    }
    for (const entry of entries) this.log(humanLine(entry));
  }
}

/** `2026-12-07 12:50:01 UTC  aws:us-east-1  first_function  run <id>  INFO  text`, continuation lines indented. */
function humanLine(entry: ExecutionLogEntry): string {
  const time = new Date(Math.floor(entry.timeMs)).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const who = entry.instance ?? entry.functionName;
  const run = entry.runId !== undefined ? `run ${entry.runId}` : 'no run';
  const head = [time, regionKey(entry.region), who, run, ...(entry.level !== undefined ? [entry.level] : [])].join('  ');
  return `${head}  ${entry.message.replace(/\n/g, '\n    ')}`;
}

function jsonEntry(entry: ExecutionLogEntry): Record<string, unknown> {
  return {
    time: new Date(Math.floor(entry.timeMs)).toISOString(),
    region: regionKey(entry.region),
    function: entry.functionName,
    instance: entry.instance ?? null,
    run_id: entry.runId ?? null,
    request_id: entry.requestId ?? null,
    level: entry.level ?? null,
    message: entry.message,
    system: entry.system,
  };
}
