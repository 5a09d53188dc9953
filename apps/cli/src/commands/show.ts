import { Args, Flags } from '@oclif/core';
import { groupConsecutive, readableTime } from '@caribou/domain-common';
import type { ShowWorkflowService } from '@caribou/application';
import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class Show extends CaribouCommand {
  static override summary = 'Show what the framework knows about a workflow.';
  static override description =
    'Placement decision (home and current plan per time key), deployed functions, synced runs, failed invocations (drained from the on-failure destinations first), the instance summary and a staged plan when present.';
  static override args = { workflow_id: Args.string({ required: true, description: 'Workflow id, <name>-<version>.' }) };
  static override flags = { json: Flags.boolean({ description: 'Print the whole view as JSON.' }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Show);
    const view = await (await this.services(flags.provider)).get<ShowWorkflowService>(SERVICES.Show).show(args.workflow_id);
    if (flags.json) return this.printJson(view);
    this.log(`Workflow ${view.workflow_id}`);
    this.log(`  entry point   ${view.entry_point}`);
    this.log(`  home region   ${view.home_region}`);
    this.log(`  synced runs   ${view.synced_runs}${view.last_sync_time ? ` (last sync ${readableTime(view.last_sync_time)})` : ''}`);
    this.log('  functions');
    for (const fn of view.deployed_functions) this.log(`    ${fn.name}  ${fn.region}`);
    if (view.placement.current) {
      const current = view.placement.current;
      this.log(`  current plan (expires ${current.expiry_time ? readableTime(current.expiry_time) : 'never'})`);
      // Hours with the same placement are shown once (a plan often repeats one placement all day).
      const placementOf = (key: string) => current.instances[key] ?? {};
      for (const keys of groupConsecutive(current.time_keys, (key) => JSON.stringify(placementOf(key)))) {
        const placement = placementOf(keys[0]!);
        const hours = keys.map((key) => `${key.padStart(2, '0')}:00`).join(', ');
        this.log(keys.length === 1 ? `    from ${hours} UTC` : `    ${hours} UTC (${keys.length} hours of the plan, one placement)`);
        for (const [instance, region] of Object.entries(placement)) this.log(`      ${instance}  ${region}`);
      }
    } else {
      this.log('  current plan  none (every instance runs at home)');
    }
    if (view.failed_invocations.length > 0) {
      this.log(`  failed invocations  ${view.failed_invocations.length} in ${view.failed_runs.length} run(s)`);
      for (const f of view.failed_invocations) this.log(`    run ${f.run_id}  ${f.instance}  ${f.region}  ${f.condition} after ${f.attempts} attempt(s): ${f.error}`);
    } else {
      this.log('  failed invocations  none');
    }
    if (view.staged_plan) this.log(`  staged plan   hours ${Object.keys(view.staged_plan.time_keys_to_staging_area_data).join(', ')} (run caribou run_deployment_migrator)`);
  }
}
