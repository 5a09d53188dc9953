import { deploymentKey, passesHard, uniformDeployments, type HourCandidates, type SearchContext } from './search-context';

/**
 * Coarse-grained (§6.2): every region that all instances may use, as a single-region
 * deployment; those passing the hard constraints are the candidates. All hours are served by
 * the same simulations.
 */
export async function coarseGrained(ctx: SearchContext): Promise<HourCandidates> {
  const uniforms = uniformDeployments(ctx.model);
  const homeKey = deploymentKey(ctx.home);
  const hours = ctx.cache.hours;
  const result: HourCandidates = hours.map(() => []);
  const evaluated: Array<{ deployment: number[]; metrics: Awaited<ReturnType<typeof ctx.cache.metrics>>[number] }> = [];
  if (ctx.overBudget()) return result;
  // Without a budget one call lets a parallel evaluator spread all of them; with one, go one by one.
  const chunk = Number.isFinite(ctx.deadline) ? 1 : uniforms.length;
  for (let i = 0; i < uniforms.length && !ctx.overBudget(); i += chunk) {
    const part = uniforms.slice(i, i + chunk);
    const metrics = await ctx.cache.metrics(part);
    part.forEach((deployment, j) => evaluated.push({ deployment, metrics: metrics[j]! }));
  }
  for (const { deployment, metrics } of evaluated) {
    if (deploymentKey(deployment) !== homeKey) ctx.evaluations += hours.length;
    hours.forEach((_, h) => {
      if (passesHard(ctx, metrics[h]!, h)) result[h]!.push({ deployment, metrics: metrics[h]! });
    });
  }
  return result;
}
