import { describe, expect, it } from 'vitest';
import { groupConsecutive } from './group-consecutive';

describe('groupConsecutive', () => {
  it('groups only neighbours with the same key, keeping order', () => {
    const hours = [
      { hour: 0, region: 'ca' },
      { hour: 1, region: 'ca' },
      { hour: 2, region: 'us' },
      { hour: 3, region: 'ca' },
    ];
    expect(groupConsecutive(hours, (h) => h.region).map((group) => group.map((h) => h.hour))).toEqual([[0, 1], [2], [3]]);
  });

  it('gives no groups for no items and one group per item when all keys differ', () => {
    expect(groupConsecutive([], String)).toEqual([]);
    expect(groupConsecutive([1, 2, 3], String)).toEqual([[1], [2], [3]]);
  });

  it('treats an empty key like any other key', () => {
    expect(groupConsecutive(['', '', 'x'], (s) => s)).toEqual([['', ''], ['x']]);
  });
});
