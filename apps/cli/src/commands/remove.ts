import { Args, Flags } from '@oclif/core';
import { CaribouError } from '@caribou/domain-common';
import type { RemoveWorkflowService } from '@caribou/application';
import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class Remove extends CaribouCommand {
  static override summary = 'Remove a deployed workflow and everything it created.';
  static override description =
    'Deletes the functions and roles recorded in the resource ledger (in every region the workflow was copied to), then its rows in every framework table. An interrupted removal can be run again.';
  static override args = { workflow_id: Args.string({ required: true, description: 'Workflow id, <name>-<version>.' }) };
  static override flags = {
    remote: Flags.boolean({ char: 'r', description: 'Run the removal on the deployed remote framework (AWS).' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Remove);
    if (flags.remote) return this.runRemote('remove', { workflow_id: args.workflow_id });
    const service = (await this.services(flags.provider)).get<RemoveWorkflowService>(SERVICES.Remove);
    const result = await service.remove(args.workflow_id, (line) => this.log(line));
    if (result.failures.length > 0) throw new CaribouError(`Could not remove everything of ${args.workflow_id}; run the command again`);
  }
}
