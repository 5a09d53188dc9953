import type { Objective, SolverConstraints } from '@caribou/domain-model';
import type { DeploymentMetrics } from '@caribou/domain-workflow';
import { countSoftViolations } from './constraints';

export interface Candidate {
  deployment: readonly number[];
  metrics: DeploymentMetrics;
}

/** The objective the search minimises: `average_<first priority>` (carbon without priorities). */
export function primaryObjective(priorityOrder: readonly Objective[]): string {
  return `average_${priorityOrder[0] ?? 'carbon'}`;
}

/**
 * The reference ranker (§7): with soft constraints, candidates are grouped by how many they
 * violate (fewest first) and ordered inside a group by the averages in priority order; without
 * them, by (carbon, runtime, cost). The sort is stable, so ties keep generation order.
 */
export function rankCandidates(
  candidates: readonly Candidate[],
  home: DeploymentMetrics,
  constraints: SolverConstraints,
  priorityOrder: readonly Objective[],
): Candidate[] {
  const useSoft = constraints.soft_resource_constraints !== null;
  const keys = useSoft
    ? priorityOrder.map((p) => `average_${p}`)
    : ['average_carbon', 'average_runtime', 'average_cost'];
  const decorated = candidates.map((candidate, index) => ({
    candidate,
    index,
    violations: useSoft ? countSoftViolations(candidate.metrics, home, constraints) : 0,
  }));
  decorated.sort((a, b) => {
    if (a.violations !== b.violations) return a.violations - b.violations;
    for (const key of keys) {
      const difference = a.candidate.metrics[key]! - b.candidate.metrics[key]!;
      if (difference !== 0) return difference;
    }
    return a.index - b.index;
  });
  return decorated.map((d) => d.candidate);
}
