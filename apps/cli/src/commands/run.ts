import { Args, Flags } from '@oclif/core';
import { CaribouError } from '@caribou/domain-common';
import type { RunWorkflowService } from '@caribou/application';
import { CaribouCommand } from '../base-command';
import type { RunTracker } from '../composition/run-tracker';
import { SERVICES } from '../composition/tokens';

export default class Run extends CaribouCommand {
  static override summary = 'Run a deployed workflow once.';
  static override description = [
    'Sends the argument to the entry point of WORKFLOW_ID and prints the run id. 10% of runs go to the home',
    'deployment (keeps its measurements fresh); the others follow the current plan of this hour.',
    'The argument reaches the entry point as the raw JSON string, as in the reference.',
    'On the local provider the run executes in this process; --wait then lists where each function ran.',
  ].join('\n');
  static override examples = [
    `<%= config.bin %> run small_sync_example-0.0.1 -a '{"execute_1": true}'`,
    `<%= config.bin %> run small_sync_example-0.0.1 -a '{"execute_1": true}' --wait --json`,
  ];
  static override args = { workflow_id: Args.string({ required: true, description: 'Workflow id, <name>-<version>.' }) };
  static override flags = {
    argument: Flags.string({ char: 'a', description: 'Input of the workflow: a JSON string.' }),
    wait: Flags.boolean({ description: 'Wait until the run completes and print each executed instance, its region and status.' }),
    json: Flags.boolean({ description: 'Print {"run_id", "executions": [{"instance_name", "region", "status"}]}.' }),
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
    const container = this.services(flags.provider);
    const started = await container.get<RunWorkflowService>(SERVICES.Run).run(args.workflow_id, flags.argument);
    if (!flags.json) {
      this.log(`Sending to home region: ${started.sentToHomeRegion ? 'True' : 'False'}, time_key: ${started.timeKey}`);
      this.log(`Run ID for current run: ${started.runId}`);
    }
    const tracker = container.get<RunTracker>(SERVICES.RunTracker);
    // The local provider executes the run in this process: it must finish before we exit.
    const result = await tracker.waitForRun(started.runId);
    const executions = result.executions.map((e) => ({
      instance_name: e.instance_name,
      region: e.region,
      status: e.status,
      ...(e.error ? { error: e.error } : {}),
    }));
    if (flags.json) {
      this.printJson({ run_id: started.runId, ...(flags.wait ? { executions } : {}) });
    } else if (flags.wait) {
      for (const e of executions) this.log(`  ${e.instance_name}  ${e.region}  ${e.status}${e.error ? `: ${e.error}` : ''}`);
    }
    if (result.failed) {
      const failure = executions.find((e) => e.status === 'failed');
      throw new CaribouError(`Run ${started.runId} failed in ${failure?.instance_name || 'a function'}: ${failure?.error ?? 'see the logs'}`);
    }
  }
}
