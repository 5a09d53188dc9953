import { Flags } from '@oclif/core';
import { CaribouError } from '@caribou/domain-common';
import type { ManageDeploymentsService, WorkflowCheckReport } from '@caribou/application';
import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class ManageDeployments extends CaribouCommand {
  static override summary = 'Decide, per workflow, whether to re-plan its placement, and plan it.';
  static override description = [
    'For every deployed workflow (or --workflow) whose check is due: summarises its synced runs, earns',
    '"carbon tokens" from its invocations since the last solve (paper §5.2), and when it can afford a solve',
    'runs the deployment algorithm for as many hours of the day as it can pay for, then stages the plan for',
    'run_deployment_migrator. Nothing happens before a workflow has 10 invocations. Prints what it decided and why.',
  ].join('\n');
  static override flags = {
    calculator: Flags.string({
      description: 'Monte-Carlo evaluator: simple (this thread) or fast (worker threads on all cores).',
      options: ['simple', 'fast'],
      default: 'simple',
    }),
    deployment_metrics_calculator_type: Flags.string({ hidden: true, options: ['simple', 'go', 'fast'] }),
    workflow: Flags.string({ description: 'Check only this workflow id.' }),
    json: Flags.boolean({ description: 'Print the decision report as JSON.' }),
    remote: Flags.boolean({ char: 'r', description: 'Run the check on the deployed remote framework (AWS).' }),
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
    if (flags.json) this.printJson(report);
    else if (report.workflows.length === 0) this.log('No workflows deployed');
    else for (const workflow of report.workflows) for (const line of describe(workflow)) this.log(line);
    const failed = report.workflows.filter((w) => w.outcome === 'failed');
    if (failed.length > 0) {
      throw new CaribouError(failed.map((w) => `${w.workflowId}: ${w.outcome === 'failed' ? w.error : ''}`).join('; '));
    }
  }
}

const pct = (value: number) => `${value > 0 ? '+' : ''}${value.toFixed(1)} %`;

function describe(report: WorkflowCheckReport): string[] {
  const id = report.workflowId;
  switch (report.outcome) {
    case 'not-due':
      return [`${id}: not due; next check ${report.nextCheck}`];
    case 'too-few-invocations':
      return [`${id}: ${report.invocations} invocations since the last solve, at least ${report.minimum} are needed before the first solve`];
    case 'unaffordable':
      return [
        `${id}: ${report.invocations} invocations earned ${report.income} tokens (+${report.carriedOver} carried over = ${report.budget}); ` +
          `the cheapest solve costs ${report.cheapestPrice}; next check ${report.nextCheck}`,
      ];
    case 'failed':
      return [`${id}: failed: ${report.error}`];
    case 'solved': {
      const lines = [
        `${id}: ${report.invocations} invocations earned ${report.income} tokens (+${report.carriedOver} carried over = ${report.budget}); ` +
          `solved ${report.solves} hour(s) (${report.tier} tier, price ${report.price}, ${report.tokensLeft} tokens left) with the ${report.algorithm} algorithm`,
        `  ${report.monteCarloEvaluations} Monte-Carlo evaluations in ${report.wallSeconds.toFixed(1)} s (${report.calculator} calculator); plan expires ${report.expiryTime}, next check ${report.nextCheck}`,
      ];
      for (const hour of report.hoursPlanned) {
        lines.push(
          `  from ${String(hour.hour).padStart(2, '0')}:00 UTC: ${hour.regions.join(', ')} — carbon ${pct(hour.changePercent.carbon)}, cost ${pct(hour.changePercent.cost)}, runtime ${pct(hour.changePercent.runtime)} vs home`,
        );
      }
      lines.push('  staged: run caribou run_deployment_migrator to apply it (caribou plan shows it)');
      return lines;
    }
  }
}
