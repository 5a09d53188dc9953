import { isAbsolute, relative } from 'node:path';
import { Args } from '@oclif/core';
import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class NewWorkflow extends CaribouCommand {
  static override summary = 'Create a new workflow project from the template.';
  static override description = [
    'Writes ./WORKFLOW_NAME (in the --workflow-dir directory) with .caribou/config.yml, .caribou/iam_policy.json,',
    'package.json, tsconfig.json and src/app.ts: seven demo functions with two fan-in functions.',
    'The name may use letters, digits and underscores (at most 25). An existing directory is never touched.',
  ].join(' ');
  static override examples = ['<%= config.bin %> new_workflow my_workflow'];
  static override args = { workflow_name: Args.string({ required: true, description: 'Name of the workflow (and of its directory).' }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(NewWorkflow);
    const created = await (await this.projectServices()).get(SERVICES.NewWorkflow).create(args.workflow_name, this.projectDir(flags));
    // The reference prints ./<name>; when --workflow-dir put it elsewhere, the real path helps more.
    const where = relative(process.cwd(), created.directory);
    this.log(where.startsWith('..') || isAbsolute(where) ? `Created new workflow in ${created.directory}` : created.message);
  }
}
