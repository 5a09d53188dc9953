import type { Objective, ResourceConstraint, SolverConstraints } from '@caribou/domain-model';
import type { DeploymentMetrics } from '@caribou/domain-workflow';

const OBJECTIVES: readonly Objective[] = ['cost', 'runtime', 'carbon'];

/**
 * The limit a constraint puts on a metric: absolute values as given, relative ones as a
 * percentage of the home deployment's value (125 = at most +25 %; §6.1, §12.1 #7).
 */
export function constraintLimit(constraint: ResourceConstraint, homeValue: number): number {
  return constraint.type === 'absolute' ? constraint.value : (constraint.value * homeValue) / 100;
}

/** Hard constraints filter candidates on their tail (p95) metrics (§6.1). */
export function violatesHardConstraints(
  metrics: DeploymentMetrics,
  home: DeploymentMetrics,
  constraints: SolverConstraints,
): boolean {
  const hard = constraints.hard_resource_constraints;
  if (!hard) return false;
  for (const objective of OBJECTIVES) {
    const constraint = hard[objective];
    if (!constraint) continue;
    const key = `tail_${objective}`;
    if (metrics[key]! > constraintLimit(constraint, home[key]!)) return true;
  }
  return false;
}

/** Soft constraints count violations on average metrics, relative to the home average (§7). */
export function countSoftViolations(
  metrics: DeploymentMetrics,
  home: DeploymentMetrics,
  constraints: SolverConstraints,
): number {
  const soft = constraints.soft_resource_constraints;
  if (!soft) return 0;
  let violations = 0;
  for (const objective of OBJECTIVES) {
    const constraint = soft[objective];
    if (!constraint) continue;
    const key = `average_${objective}`;
    if (metrics[key]! > constraintLimit(constraint, home[key]!)) violations++;
  }
  return violations;
}
