import { CaribouError } from '@caribou/domain-common';
import { passesHard, type HourCandidates, type SearchContext } from './search-context';

/** Exhaustive search refuses to start without a time budget beyond this many deployments. */
export const FINE_GRAINED_UNBUDGETED_LIMIT = 1_000_000;

/** Number of deployments that respect every instance's permitted regions. */
export function searchSpaceSize(permittedRegions: readonly (readonly number[])[]): number {
  return permittedRegions.reduce((size, allowed) => size * allowed.length, 1);
}

/**
 * Fine-grained (§6.3): every deployment in lexicographic order (last instance varies fastest),
 * over each instance's permitted regions; hard-constraint failures are dropped; stops when the
 * budget is spent. Deployments are evaluated in chunks so a parallel evaluator stays busy.
 */
export async function fineGrained(ctx: SearchContext, chunkSize = 32): Promise<HourCandidates> {
  const allowed = ctx.model.permittedRegions;
  const size = searchSpaceSize(allowed);
  if (size > FINE_GRAINED_UNBUDGETED_LIMIT && !Number.isFinite(ctx.deadline))
    throw new CaribouError(
      `fine-grained search over ${size.toExponential(2)} deployments would not finish; set a time budget or use the stochastic algorithm`,
    );
  const hours = ctx.cache.hours;
  const result: HourCandidates = hours.map(() => []);
  const N = allowed.length;
  const digits = new Array<number>(N).fill(0);
  let exhausted = false;
  let previous: number[] | undefined;
  while (!exhausted && !ctx.overBudget()) {
    const chunk: number[][] = [];
    while (chunk.length < chunkSize && !exhausted) {
      chunk.push(digits.map((d, i) => allowed[i]![d]!));
      let i = N - 1;
      while (i >= 0 && ++digits[i]! === allowed[i]!.length) digits[i--] = 0;
      exhausted = i < 0;
    }
    // Consecutive deployments differ in the last instances only: each is re-timed from the one before.
    const metrics = await ctx.cache.metrics(chunk, chunk.map((_, j) => (j > 0 ? chunk[j - 1] : previous)));
    previous = chunk[chunk.length - 1];
    chunk.forEach((deployment, j) => {
      ctx.evaluations += hours.length;
      hours.forEach((_, h) => {
        const m = metrics[j]![h]!;
        if (passesHard(ctx, m, h)) result[h]!.push({ deployment, metrics: m });
      });
    });
  }
  return result;
}
