import { TOKENS } from '@caribou/ports';
import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class Deploy extends CaribouCommand {
  static override summary = 'Deploy the workflow of the project directory to its home region.';
  static override description = [
    'Loads .caribou/config.yml and src/app.ts, builds the DAG, bundles the app with esbuild and creates one',
    'function (and role) per workflow function in the home region, then writes the placement decision.',
    'The provider is the one of home_region in the config: local (this machine) or aws.',
    'A workflow id (<name>-<version>) deploys once: change the version or remove it first.',
    'If anything fails, everything created so far is deleted again.',
  ].join('\n');
  static override examples = ['<%= config.bin %> deploy', '<%= config.bin %> deploy -p examples/small_sync_example'];

  async run(): Promise<void> {
    const { flags } = await this.parse(Deploy);
    // The provider comes from the project's config: load it first, with the project services alone.
    const project = await (await this.projectServices()).get(TOKENS.ProjectLoader).load(this.projectDir(flags));
    const provider = project.config.home_region.provider;
    const result = await (await this.services(provider)).get(SERVICES.Deploy).deploy(project);
    this.log(`Workflow ${project.workflow.workflowName} with version ${project.workflow.workflowVersion} deployed`);
    this.log(`Workflow id: ${result.workflowId}`);
  }
}
