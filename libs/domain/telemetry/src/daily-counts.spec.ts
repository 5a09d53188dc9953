import { describe, expect, it } from 'vitest';
import { filterRecentDays, mergeDailyCounts } from './daily-counts';

const NOW_US = Date.UTC(2024, 2, 31, 12, 0, 0) * 1000;

function day(offset: number): string {
  const d = new Date(Date.UTC(2024, 2, 31) - offset * 86_400_000);
  return `${d.toISOString().slice(0, 10)}+0000`;
}

describe('daily counts (reference-system §8.6)', () => {
  it('the 30-day filter keeps exactly the last 30 days', () => {
    const counts: Record<string, number> = {};
    for (let i = 0; i < 40; i++) counts[day(i)] = i + 1;
    const kept = filterRecentDays(counts, NOW_US);
    expect(Object.keys(kept)).toHaveLength(30);
    expect(kept[day(0)]).toBe(1);
    expect(kept[day(29)]).toBe(30);
    expect(kept[day(30)]).toBeUndefined();
  });

  it('drops keys that are not days', () => {
    expect(filterRecentDays({ 'not a day': 3, [day(1)]: 2 }, NOW_US)).toEqual({ [day(1)]: 2 });
  });

  it('merging five runs per day adds five to each day, new days start at zero', () => {
    const previous = { [day(2)]: 10, [day(1)]: 7 };
    expect(mergeDailyCounts(previous, { [day(1)]: 5, [day(0)]: 5 })).toEqual({ [day(2)]: 10, [day(1)]: 12, [day(0)]: 5 });
    expect(previous).toEqual({ [day(2)]: 10, [day(1)]: 7 });
  });
});
