import { Args, Flags } from '@oclif/core';
import { CaribouError } from '@caribou/domain-common';
import { summariseDataCollectReport, type DataCollectService, type DataCollectTarget } from '@caribou/application';
import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class DataCollect extends CaribouCommand {
  static override summary = 'Collect region, carbon, latency or workflow data for the planner.';
  static override description = [
    'provider: regions, coordinates and prices; carbon: hourly grid carbon intensity and distances;',
    'performance: inter-region latency; all: those three in that order; workflow: summarise the synced',
    'runs of one workflow (-w). Works offline from the shipped dataset: AWS regions for the local and aws',
    "providers, the 40 Cloud Run regions with Google's carbon figures for gcp. Electricity Maps is used when",
    'ELECTRICITY_MAPS_AUTH_TOKEN is set (falling back to the dataset if it refuses).',
  ].join(' ');
  static override examples = [
    '<%= config.bin %> data_collect all',
    '<%= config.bin %> data_collect all --provider gcp',
    '<%= config.bin %> data_collect workflow -w small_sync_example-0.0.1',
  ];
  static override args = {
    collector: Args.string({ required: true, options: ['provider', 'carbon', 'performance', 'workflow', 'all'], description: 'Which collector to run.' }),
  };
  static override flags = {
    workflow_id: Flags.string({ char: 'w', description: 'Workflow id (required by the workflow collector).' }),
    remote: Flags.boolean({ char: 'r', description: 'Run the collector on the deployed remote framework (AWS).' }),
    json: Flags.boolean({ description: 'Print the collection report as JSON: per collector, each region with its source and fallbacks.' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DataCollect);
    const missing = 'Workflow id must be provided for the workflow collector: pass -w <workflow id> (caribou list shows them)';
    // Only the workflow collector reads -w: given to another, it would be dropped without a word.
    if (args.collector !== 'workflow' && flags.workflow_id) {
      throw new CaribouError(`-w/--workflow_id is read by the workflow collector only: drop it, or run caribou data_collect workflow -w ${flags.workflow_id}`);
    }
    if (flags.remote) {
      if (args.collector === 'workflow' && !flags.workflow_id) throw new CaribouError(missing);
      return this.runRemote('data_collect', { collector: args.collector, ...(flags.workflow_id ? { workflow_id: flags.workflow_id } : {}) });
    }
    if (args.collector === 'workflow' && !flags.workflow_id) throw new CaribouError(missing);
    if (!flags.json) this.log('Running data collector locally.');
    const report = await (await this.services(flags.provider))
      .get<DataCollectService>(SERVICES.DataCollect)
      .collect(args.collector as DataCollectTarget, flags.workflow_id ? { workflowId: flags.workflow_id } : {});
    if (flags.json) return this.printJson(report); // its keys are single words: already snake_case
    this.log(summariseDataCollectReport(report));
    if (args.collector === 'all') this.log('Next: caribou manage_deployments re-plans the deployed workflows with this data.');
  }
}
