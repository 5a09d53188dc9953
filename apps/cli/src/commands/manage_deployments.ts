import { Flags } from '@oclif/core';
import { CaribouError, groupConsecutive, readableTime } from '@caribou/domain-common';
import type { HourPlacementReport, ManageDeploymentsService, WorkflowCheckReport } from '@caribou/application';
import { snakeCaseKeys } from '../json-output';
import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class ManageDeployments extends CaribouCommand {
  static override summary = 'Decide, per workflow, whether to re-plan its placement, and plan it.';
  static override description = [
    'For every deployed workflow (or --workflow) whose check is due: summarises its synced runs, earns',
    '"carbon tokens" from its invocations since the last solve (paper §5.2), and when it can afford a solve',
    'runs the deployment algorithm for as many hours of the day as it can pay for, then stages the plan for',
    'run_deployment_migrator. Nothing happens before a workflow has 10 invocations. Prints what it decided and why.',
  ].join(' ');
  static override flags = {
    // A flag with a letter first: oclif's help trims the indent of a first row without one, misaligning the columns.
    remote: Flags.boolean({ char: 'r', description: 'Run the check on the deployed remote framework (AWS).' }),
    calculator: Flags.string({
      description: 'Monte-Carlo evaluator: simple (this thread) or fast (worker threads on all cores).',
      options: ['simple', 'fast'],
      default: 'simple',
    }),
    deployment_metrics_calculator_type: Flags.string({ hidden: true, options: ['simple', 'go', 'fast'] }),
    workflow: Flags.string({ description: 'Check only this workflow id.' }),
    json: Flags.boolean({ description: 'Print the decision report as JSON.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ManageDeployments);
    // The reference names the option deployment_metrics_calculator_type and its fast one "go".
    const legacy = flags.deployment_metrics_calculator_type;
    const calculator = (legacy ? (legacy === 'simple' ? 'simple' : 'fast') : flags.calculator) as 'simple' | 'fast';
    if (flags.remote) return this.runRemote('manage_deployments', { deployment_metrics_calculator_type: calculator === 'fast' ? 'go' : 'simple' });
    const report = await (await this.services(flags.provider))
      .get<ManageDeploymentsService>(SERVICES.ManageDeployments)
      .check({ calculator, ...(flags.workflow ? { workflowId: flags.workflow } : {}) });
    if (flags.json) this.printJson(snakeCaseKeys(report));
    else if (report.workflows.length === 0) this.log('No workflows deployed');
    else for (const workflow of report.workflows) for (const line of describe(workflow)) this.log(line);
    const failed = report.workflows.filter((w) => w.outcome === 'failed');
    if (failed.length > 0) {
      throw new CaribouError(failed.map((w) => `${w.workflowId}: ${w.outcome === 'failed' ? w.error : ''}`).join('; '));
    }
  }
}

const pct = (value: number) => `${value > 0 ? '+' : ''}${value.toFixed(1)} %`;
const pctRange = (values: number[]) => {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low.toFixed(1) === high.toFixed(1) ? pct(low) : `${pct(low).replace(' %', '')} to ${pct(high)}`;
};
const hourLabel = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/** Consecutive planned hours that use the same regions, as one line each (12 identical hours are one line). */
export function describePlannedHours(hours: readonly HourPlacementReport[]): string[] {
  return groupConsecutive(hours, (hour) => hour.regions.join()).map((group) => {
    const first = group[0]!;
    const when = group.length === 1 ? `from ${hourLabel(first.hour)} UTC` : `${group.map((h) => hourLabel(h.hour)).join(', ')} UTC (${group.length} plans)`;
    const change = (metric: 'carbon' | 'cost' | 'runtime') => pctRange(group.map((h) => h.changePercent[metric]));
    return `  ${when}: ${first.regions.join(', ')} — carbon ${change('carbon')}, cost ${change('cost')}, runtime ${change('runtime')} vs all at home`;
  });
}

function describe(report: WorkflowCheckReport): string[] {
  const id = report.workflowId;
  switch (report.outcome) {
    case 'not-due':
      return [`${id}: not due for a new plan until ${readableTime(report.nextCheck)}`];
    case 'too-few-invocations':
      return [
        `${id}: ${report.invocations} runs synced since the last plan; a plan needs at least ${report.minimum} (run the workflow more, then caribou log_sync)`,
      ];
    case 'unaffordable':
      return [
        `${id}: not re-planned: its runs earned a budget of ${report.budget} solve tokens (${report.income} new, ${report.carriedOver} carried over) ` +
          `and the cheapest plan costs ${report.cheapestPrice}; next check ${readableTime(report.nextCheck)}`,
      ];
    case 'failed':
      return [`${id}: failed: ${report.error}`];
    case 'solved': {
      return [
        `${id}: planned ${report.solves} hour(s) with the ${report.algorithm} search (${report.tier} tier: ${report.price} of ${report.budget} solve tokens spent, ${report.tokensLeft} kept)`,
        `  ${report.monteCarloEvaluations} simulated deployments in ${report.wallSeconds.toFixed(1)} s (${report.calculator} calculator); the plan expires ${readableTime(report.expiryTime)}, next check ${readableTime(report.nextCheck)}`,
        ...describePlannedHours(report.hoursPlanned),
        '  staged, not yet in force: caribou run_deployment_migrator applies it (caribou plan shows it)',
      ];
    }
  }
}
