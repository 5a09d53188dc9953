import { projectLambdaRuntime } from '@caribou/domain-common';
import { functionNameOfInstanceName, isEntryPointInstanceName, isSyncInstanceName, validatedWorkflowOf, type ValidatedWorkflow } from '@caribou/domain-workflow';
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

/**
 * The graph for people. By default one line per instance, named by its function (with the
 * instance's index when a function is called from several places): what it calls, and for a
 * fan-in what it waits for. `verbose`: one block per instance with every full instance name,
 * then the edges in creation order.
 */
export function renderValidatedWorkflow(workflow: ValidatedWorkflow, options: { verbose?: boolean } = {}): string {
  return (options.verbose ? verboseLines(workflow) : compactLines(workflow)).join('\n');
}

function compactLines(workflow: ValidatedWorkflow): string[] {
  const names = workflow.instances.map((i) => i.instance_name);
  const functions = names.map(functionNameOfInstanceName);
  const calledFromSeveralPlaces = new Set(functions.filter((fn, index) => functions.indexOf(fn) !== index));
  const label = (name: string): string => {
    const fn = functionNameOfInstanceName(name);
    return calledFromSeveralPlaces.has(fn) ? `${fn}#${name.split(':').at(-1)}` : fn;
  };
  // A function called twice by the same caller is one name with a count (`syncFunction ×2`).
  const labels = (instances: readonly string[]): string => {
    const counts = new Map<string, number>();
    for (const name of instances) counts.set(label(name), (counts.get(label(name)) ?? 0) + 1);
    return [...counts].map(([name, count]) => (count > 1 ? `${name} ×${count}` : name)).join(', ');
  };
  const lines = [
    `Workflow ${workflow.workflow_id} is valid: ${new Set(functions).size} functions, ${names.length} instances, ${workflow.edges.length} calls (nothing deployed)`,
  ];
  for (const instance of workflow.instances) {
    const name = instance.instance_name;
    const role = isEntryPointInstanceName(name)
      ? ' (entry point)'
      : isSyncInstanceName(name)
        ? ` (fan-in: waits for ${labels(instance.preceding_instances)})`
        : '';
    const calls = instance.succeeding_instances.length ? ` → ${labels(instance.succeeding_instances)}` : '';
    lines.push(`  ${label(name)}${role}${calls}`);
  }
  lines.push('--verbose lists every instance name and edge; --json prints the graph.');
  return lines;
}

function verboseLines(workflow: ValidatedWorkflow): string[] {
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
  return lines;
}
