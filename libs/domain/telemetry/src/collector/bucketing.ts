import { pyRepr } from '@caribou/domain-common';

const KIB_PER_GB = 1024 ** 2;

/**
 * A size in GB rounded up to `roundToKib` KiB, with the reference's operation order
 * (`ceil(gb · 1024² / n) · n / 1024²`) so that the result is the same double and its
 * repr the same bucket key the solver looks up.
 */
export function roundUpToKib(sizeGb: number, roundToKib = 10): number {
  return (Math.ceil((sizeGb * KIB_PER_GB) / roundToKib) * roundToKib) / KIB_PER_GB;
}

/** A time in seconds rounded up to `roundToMs` milliseconds (`ceil(t · 1000 / n) · n / 1000`). */
export function roundUpToMs(seconds: number, roundToMs = 1): number {
  return (Math.ceil((seconds * 1000) / roundToMs) * roundToMs) / 1000;
}

/** Bucket key of a transfer size: Python repr of the size rounded up to 10 KiB, e.g. `9.5367431640625e-06`. */
export function transferSizeKey(sizeGb: number): string {
  return pyRepr(roundUpToKib(sizeGb, 10));
}

/** Bucket key of a duration: Python repr of the duration rounded up to 10 ms, e.g. `0.16`. */
export function durationKey(seconds: number): string {
  return pyRepr(roundUpToMs(seconds, 10));
}
