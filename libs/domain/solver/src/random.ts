/** A source of uniform draws in [0, 1). */
export interface UniformSource {
  next(): number;
}

/**
 * sfc32 (Chris Doty-Humphrey's small fast chaotic generator): 128-bit state, 32-bit output,
 * passes PractRand; a few integer operations per draw, which matters in the Monte-Carlo loop.
 */
export class Sfc32 implements UniformSource {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  next(): number {
    return this.nextUint32() / 4294967296;
  }
}

/** murmur3's 32-bit finaliser: a bijective avalanche mix. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Folds integers (each up to 2^53) into one 32-bit hash, order-sensitive. */
function hashWords(words: readonly number[], salt: number): number {
  let h = mix32(salt ^ 0x9e3779b9);
  for (const word of words) {
    const low = word >>> 0;
    const high = Math.floor(word / 4294967296) >>> 0;
    h = mix32((h ^ low) + 0x7f4a7c15);
    h = mix32((h ^ high) + 0x165667b1);
  }
  return h;
}

/**
 * An independent stream identified by a seed and a path of integers (e.g. [purpose, batch]).
 * Streams depend only on their identity, never on how work is split between threads.
 */
export function streamFor(seed: number, ...path: number[]): Sfc32 {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative safe integer, got ${seed}`);
  const words = [seed, ...path];
  return new Sfc32(hashWords(words, 1), hashWords(words, 2), hashWords(words, 3), hashWords(words, 4));
}

/** Stream purposes, so that evaluation and search draws never overlap. */
export const StreamPurpose = {
  monteCarloBatch: 1,
  search: 2,
} as const;
