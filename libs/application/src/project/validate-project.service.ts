import { projectLambdaRuntime } from '@caribou/domain-common';
import { isEntryPointInstanceName, isSyncInstanceName, validatedWorkflowOf, type ValidatedWorkflow } from '@caribou/domain-workflow';
import type { Clock, ProgressReporter, ProjectLoader } from '@caribou/ports';

/**
 * `caribou validate`: loads the project the way deploy does (config, IAM policy, app,
 * static discovery, DAG) without touching any cloud, and returns the workflow's graph.
 */
export class ValidateProjectService {
  constructor(
    private readonly loader: ProjectLoader,
    private readonly clock: Clock,
    private readonly progress: ProgressReporter,
  ) {}

  async validate(projectDir: string): Promise<ValidatedWorkflow> {
    const project = await this.loader.load(projectDir);
    // What deploy would refuse, refused here: a Lambda runtime AWS blocks today (warned when deprecated).
    const runtime = projectLambdaRuntime(project.config, this.clock.now());
    if (runtime?.warning) this.progress.warn(runtime.warning);
    return validatedWorkflowOf(project.workflow);
  }
}

const list = (names: readonly string[]): string => (names.length === 0 ? '-' : names.join(', '));

/** The graph for people: one block per instance, then the edges in creation order. */
export function renderValidatedWorkflow(workflow: ValidatedWorkflow): string {
  const lines = [`Workflow ${workflow.workflow_id}: ${workflow.instances.length} instances, ${workflow.edges.length} edges`, '', 'Instances:'];
  for (const instance of workflow.instances) {
    const name = instance.instance_name;
    const role = isEntryPointInstanceName(name) ? ' (entry point)' : isSyncInstanceName(name) ? ' (sync)' : '';
    lines.push(`  ${name}${role}`);
    lines.push(`    preceding:  ${list(instance.preceding_instances)}`);
    lines.push(`    succeeding: ${list(instance.succeeding_instances)}`);
    lines.push(`    dependent_sync_predecessors: ${list(instance.dependent_sync_predecessors.map(([from, to]) => `${from} -> ${to}`))}`);
  }
  lines.push('', 'Edges:');
  for (const [from, to] of workflow.edges) lines.push(`  ${from} -> ${to}`);
  return lines.join('\n');
}
