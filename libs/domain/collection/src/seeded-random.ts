/** A source of uniform draws in [0, 1). */
export type UniformRandom = () => number;

/** FNV-1a 32-bit hash of a string: turns a readable seed ("42:us-east-1:eu-west-1") into a PRNG state. */
export function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Mulberry32: a small, fast 32-bit PRNG with good statistical quality for sampling.
 * Seeded per use so collected latency samples are reproducible run to run
 * (the reference draws from numpy's unseeded global generator).
 */
export function mulberry32(seed: number): UniformRandom {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws by the Box–Muller transform (both outputs of each pair are used). */
export function standardNormalSampler(random: UniformRandom): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const u1 = 1 - random(); // (0, 1]: keeps log finite
    const u2 = random();
    const radius = Math.sqrt(-2 * Math.log(u1));
    spare = radius * Math.sin(2 * Math.PI * u2);
    return radius * Math.cos(2 * Math.PI * u2);
  };
}
