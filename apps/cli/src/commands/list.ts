import { Flags } from '@oclif/core';
import type { ListWorkflowsService } from '@caribou/application';
import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class List extends CaribouCommand {
  static override summary = 'List the workflows the framework manages.';
  static override description =
    'Prints every deployed workflow id, sorted. There are no per-user views: every workflow of the framework is listed.';
  static override examples = ['<%= config.bin %> list', '<%= config.bin %> list --json'];
  static override flags = { json: Flags.boolean({ description: 'Print {"workflows": [...]}.' }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(List);
    const workflows = await (await this.services(flags.provider)).get<ListWorkflowsService>(SERVICES.List).list();
    if (flags.json) return this.printJson({ workflows });
    if (workflows.length === 0) return this.log('No workflows deployed');
    this.log('Deployed workflows:');
    for (const id of workflows) this.log(id);
  }
}
