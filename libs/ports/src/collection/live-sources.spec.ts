import { describe, expect, it } from 'vitest';
import { offlineDataOnly } from './live-sources';

describe('CARIBOU_OFFLINE_DATA', () => {
  it('1 or true keeps the collectors offline; unset, empty, 0 or false does not', () => {
    for (const value of ['1', 'true', 'TRUE', ' 1 ']) expect(offlineDataOnly({ CARIBOU_OFFLINE_DATA: value })).toBe(true);
    for (const value of [undefined, '', '0', 'false']) expect(offlineDataOnly({ CARIBOU_OFFLINE_DATA: value })).toBe(false);
  });

  it('any other value is refused, naming the variable, rather than quietly calling the live sources', () => {
    expect(() => offlineDataOnly({ CARIBOU_OFFLINE_DATA: 'yes' })).toThrow(
      'CARIBOU_OFFLINE_DATA=yes is neither 1 nor 0: set it to 1 to use the shipped dataset only, or unset it for the live sources whose keys are set',
    );
  });
});
