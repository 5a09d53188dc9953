import { describe, expect, it } from 'vitest';
import {
  durationKey,
  readCapacityUnits,
  roundHalfEven,
  roundSizeToNearestKiB,
  snsRequests,
  transferSizeKey,
  writeCapacityUnits,
} from './bucket-keys';

const KiB = 1 / 1048576;

describe('bucket keys (Python float repr of rounded values, §12.2)', () => {
  it.each([
    [100 * KiB, '9.5367431640625e-05'],
    [10 * KiB, '9.5367431640625e-06'],
    [5 * KiB, '9.5367431640625e-06'],
    [10.5 * KiB, '1.9073486328125e-05'],
    [0, '0.0'],
    [2 / 1024, '0.0019550323486328125'], // 2048 KiB rounds up to 2050 KiB
  ])('size %s GB → %s', (size, key) => expect(transferSizeKey(size)).toBe(key));

  it.each([
    [1.0, '1.0'],
    [2, '2.0'],
    [5.061, '5.07'],
    [0.5, '0.5'],
    [0.001, '0.01'],
    [12.34, '12.34'],
  ])('duration %s s → %s', (seconds, key) => expect(durationKey(seconds)).toBe(key));
});

describe('billing units', () => {
  it('counts DynamoDB units per KiB (write) and per 4 KiB (read), SNS requests per 64 KiB', () => {
    expect(writeCapacityUnits(KiB)).toBe(1);
    expect(writeCapacityUnits(1.2 * KiB)).toBe(2);
    expect(readCapacityUnits(2 * KiB)).toBe(1);
    expect(readCapacityUnits(4.5 * KiB)).toBe(2);
    expect(snsRequests(100 * KiB)).toBe(2);
    expect(snsRequests(64 * KiB)).toBe(1);
  });

  it('rounds simulated SNS notices to the nearest KiB, ties to even, at least 1 KiB', () => {
    expect(roundSizeToNearestKiB(0.2 * KiB)).toBe(KiB);
    expect(roundSizeToNearestKiB(1.4 * KiB)).toBe(KiB);
    expect(roundSizeToNearestKiB(2.5 * KiB)).toBe(2 * KiB);
    expect(roundSizeToNearestKiB(3.5 * KiB)).toBe(4 * KiB);
    expect(roundHalfEven(0.5)).toBe(0);
    expect(roundHalfEven(1.5)).toBe(2);
  });
});
