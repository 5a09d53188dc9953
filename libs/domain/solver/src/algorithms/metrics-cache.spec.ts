import { describe, expect, it } from 'vitest';
import { compileModel } from '@caribou/domain-model';
import { instanceFiles, modelOf } from '../__fixtures__/fixtures';
import { InThreadEvaluator } from '../evaluator';
import { MetricsCache } from './search-context';

describe('MetricsCache.costAndRuntimeOf (hard-constraint checks without carbon)', () => {
  const model = modelOf(instanceFiles.n10);
  const home = model.instanceNames.map(() => model.homeRegion);
  const elsewhere = home.map((_, i) => model.permittedRegions[i]!.at(-1)!);
  const third = home.map((r, i) => (i % 2 === 0 ? r : elsewhere[i]!));

  it("gives a priced evaluation's cost and runtime (carbon NaN); a deployment known at any hour is not simulated again", async () => {
    const evaluator = new InThreadEvaluator(compileModel(model), 3);
    const cache = new MetricsCache(evaluator, [0, 13]);
    const [homeAt13] = await cache.metricsAt([{ deployment: home, hour: 1 }]);
    expect(evaluator.simulations).toBe(1);

    const checked = await cache.costAndRuntimeOf([{ deployment: home }, { deployment: elsewhere, base: home }, { deployment: elsewhere }]);
    expect(evaluator.simulations).toBe(2); // home was known at 13:00; `elsewhere` is simulated once
    expect(cache.simulations).toBe(2);
    expect(checked[0]).toEqual({ ...homeAt13!, average_carbon: NaN, tail_carbon: NaN });
    const priced = new InThreadEvaluator(compileModel(model), 3).evaluateOne(elsewhere, [0])[0]!;
    expect(checked[1]).toEqual({ ...priced, average_carbon: NaN, tail_carbon: NaN });
    expect(checked[2]).toEqual(checked[1]);

    // Known now without carbon: asked again, no simulation; its carbon is still simulated when asked for.
    await cache.costAndRuntimeOf([{ deployment: elsewhere }]);
    expect(evaluator.simulations).toBe(2);
    const [full] = await cache.metricsAt([{ deployment: elsewhere, hour: 0 }]);
    expect(full).toEqual(priced);
    expect(evaluator.simulations).toBe(3);

    const [fresh] = await cache.costAndRuntimeOf([{ deployment: third, base: elsewhere }]);
    expect(Number.isNaN(fresh!.average_carbon)).toBe(true);
    expect(fresh!.tail_cost).toBe(new InThreadEvaluator(compileModel(model), 3).evaluateOne(third, [13])[0]!.tail_cost);
  });
});
