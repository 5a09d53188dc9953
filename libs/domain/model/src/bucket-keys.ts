import { pyRepr } from '@caribou/domain-common';

/**
 * Distribution buckets are keyed by the Python float repr of rounded values (§1.2, §12.2).
 * The arithmetic is written in the reference's operation order so that the same doubles
 * (and therefore the same key text) come out.
 */
const KIB_PER_GIB = 1048576;

/** A size in GiB rounded up to the next 10 KiB, in GiB. */
export function roundSizeUpTo10KiB(sizeGb: number): number {
  return (Math.ceil((sizeGb * KIB_PER_GIB) / 10) * 10) / KIB_PER_GIB;
}

/** `key10(size)`: the bucket key of a transfer size. */
export function transferSizeKey(sizeGb: number): string {
  return pyRepr(roundSizeUpTo10KiB(sizeGb));
}

/** A duration in seconds rounded up to the next 10 ms. */
export function roundDurationUpTo10Ms(seconds: number): number {
  return (Math.ceil((seconds * 1000) / 10) * 10) / 1000;
}

/** `key10ms(t)`: the bucket key of an execution duration (auxiliary data). */
export function durationKey(seconds: number): string {
  return pyRepr(roundDurationUpTo10Ms(seconds));
}

/** A size rounded to the nearest KiB with a minimum of 1 KiB (SNS notification of a simulated edge). */
export function roundSizeToNearestKiB(sizeGb: number): number {
  return Math.max(1, roundHalfEven(sizeGb * KIB_PER_GIB)) / KIB_PER_GIB;
}

/** Python's `round()` (ties go to the even neighbour), which the reference uses for KiB counts. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** DynamoDB write capacity units: 1 per KiB, rounded up. */
export function writeCapacityUnits(sizeGb: number): number {
  return Math.ceil(sizeGb * KIB_PER_GIB);
}

/** DynamoDB read capacity units: 1 per 4 KiB, rounded up. */
export function readCapacityUnits(sizeGb: number): number {
  return Math.ceil((sizeGb * KIB_PER_GIB) / 4);
}

/** SNS bills every started 64 KiB of a payload as one request. */
export function snsRequests(sizeGb: number): number {
  return Math.ceil((sizeGb * KIB_PER_GIB) / 64);
}
