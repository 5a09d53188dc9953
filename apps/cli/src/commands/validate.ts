import { Flags } from '@oclif/core';
import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class Validate extends CaribouCommand {
  static override summary = 'Check a workflow project and print its DAG.';
  static override description = [
    'Loads .caribou/config.yml and src/app.ts, discovers which function calls which from the sources,',
    'and prints one line per function instance: what it calls, and for a fan-in what it waits for.',
    '--verbose prints every full instance name (preceding, succeeding, dependent sync predecessors) and edge.',
    'Nothing is deployed. Any problem ends with one line naming the file or field and the fix.',
  ].join(' ');
  static override examples = ['<%= config.bin %> validate', '<%= config.bin %> validate -p examples/small_sync_example --json'];
  static override flags = {
    // A flag with a letter first: oclif's help trims the indent of a first row without one, misaligning the columns.
    verbose: Flags.boolean({ char: 'v', description: 'List every instance with its full name, predecessors and successors, then every edge.' }),
    json: Flags.boolean({ description: 'Print {"workflow_id", "instances": [...], "edges": [[from, to], ...]}.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Validate);
    const { renderValidatedWorkflow } = await import('@caribou/application');
    const validated = await (await this.projectServices()).get(SERVICES.ValidateProject).validate(this.projectDir(flags));
    if (flags.json) return this.printJson(validated);
    this.log(renderValidatedWorkflow(validated, { verbose: flags.verbose }));
  }
}
