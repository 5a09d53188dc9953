import { Args } from '@oclif/core';
import type { RollbackWorkflowService } from '@caribou/application';
import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class Rollback extends CaribouCommand {
  static override summary = 'Make every copy of a workflow run its previous release again.';
  static override description = [
    'Each caribou deploy that changes a deployed workflow is a release: on AWS, a Lambda version of every copy',
    'behind the alias "caribou", which runs invoke. rollback points every copy (home and migrated regions) back',
    'at the version of the previous release, all at once, without rebuilding anything; that release becomes the',
    'live one. The last 3 releases are kept. The local provider keeps no versions: deploy the earlier code again.',
  ].join(' ');
  static override examples = ['<%= config.bin %> rollback my_workflow-0.0.1 --provider aws'];
  static override args = { workflow_id: Args.string({ required: true, description: 'Workflow id, <name>-<version>.' }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Rollback);
    const result = await (await this.services(flags.provider)).get<RollbackWorkflowService>(SERVICES.Rollback).rollback(args.workflow_id);
    this.log(`Workflow ${result.workflowId} runs release ${result.release} again: ${result.restored.length} copies switched back`);
    for (const name of result.restored) this.log(`  ${name}`);
  }
}
