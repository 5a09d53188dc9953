import { Flags } from '@oclif/core';
import { TOKENS } from '@caribou/ports';
import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class Deploy extends CaribouCommand {
  static override summary = 'Deploy the workflow of the project directory to its home region.';
  static override description = [
    'Loads .caribou/config.yml and src/app.ts, builds the DAG, bundles the app with esbuild and creates one',
    'function (and role) per workflow function in the home region, then writes the placement decision.',
    'The provider is the one of home_region in the config: local (this machine), aws or gcp (docs/gcp.md).',
    'If anything fails, everything created so far is deleted again.',
    'Deploying a workflow id that is deployed updates the code and configuration of every copy (home and',
    'migrated regions) when src/app.ts or the config changed, and says "unchanged" otherwise; its functions',
    'and calls must stay the same. On AWS each deploy is a release (Lambda versions behind the alias',
    '"caribou"): the copies switch to it together, and caribou rollback <workflow_id> restores the previous one.',
    '--dry-run prints what deploy would create, update and delete, and changes nothing.',
  ].join(' ');
  static override examples = ['<%= config.bin %> deploy', '<%= config.bin %> deploy -p examples/small_sync_example', '<%= config.bin %> deploy --dry-run'];
  static override flags = {
    'dry-run': Flags.boolean({ description: 'Print what deploy would create, update and delete; change nothing.' }),
    json: Flags.boolean({ description: 'Print {"workflow_id", "outcome", "changes": [{action, kind, region, name}], "functions"}.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Deploy);
    const { providerEnvironment } = await import('../composition/provider-environment');
    // The provider comes from the project's config: load it first, with the project services alone.
    const project = await (await this.projectServices()).get(TOKENS.ProjectLoader).load(this.projectDir(flags));
    const provider = project.config.home_region.provider;
    const result = await (await this.services(provider, { env: providerEnvironment(project.config, process.env) })).get(SERVICES.Deploy).deploy(project, { dryRun: flags['dry-run'] });
    if (flags.json) return this.printJson({ workflow_id: result.workflowId, outcome: result.outcome, changes: result.changes, functions: result.functions });
    const { describeChange } = await import('@caribou/application');
    const { workflowName, workflowVersion } = project.workflow;
    if (result.outcome === 'unchanged') {
      this.log(`Workflow ${result.workflowId} is unchanged: nothing to update${flags['dry-run'] ? '' : ' (deployed release kept)'}`);
      return;
    }
    if (result.outcome === 'planned') {
      this.log(`Deploy of ${result.workflowId} would:`);
      for (const change of result.changes) this.log(`  ${describeChange(change)}`);
      return;
    }
    this.log(`Workflow ${workflowName} with version ${workflowVersion} ${result.outcome === 'updated' ? 'updated' : 'deployed'}`);
    this.log(`Workflow id: ${result.workflowId}`);
    if (result.outcome === 'updated') for (const change of result.changes) this.log(`  ${describeChange(change)}`);
  }
}
