import { describe, expect, it } from 'vitest';
import { kernelsFor, kernelsModule, type Kernels } from './kernels';
import { RowArena } from './row-arena';
import { webAssembly } from './webassembly';

/** Parameters per kernel, as the `Kernels` interface declares them. */
const ARITY: Record<keyof Kernels, number> = {
  callTimesLogged: 6,
  callTimes: 8,
  arriveLogged: 8,
  arrive: 10,
  accountSimpleCost: 14,
  accountSimple: 19,
  arriveAndAccountSimple: 24,
  executeCost: 10,
  execute: 14,
  chargeTwoUploadsCost: 11,
  chargeTwoUploads: 16,
  arriveOne: 9,
  arriveOneSync: 13,
  arriveTwo: 20,
  arriveThree: 25,
  chargeUploadCost: 7,
  chargeUpload: 10,
  chargeSyncTrigger: 15,
  chargeEdgeTrigger: 13,
  addScaledPair: 7,
  slotArrivals: 19,
  chargeSlotTrigger: 17,
  addScaled: 5,
  addScaledTriple: 9,
};

describe('the WebAssembly kernels', () => {
  it('export exactly the functions the simulator declares, with their parameter counts, and import only the memory', () => {
    const kernels = kernelsFor(new RowArena()) as unknown as Record<string, (...args: number[]) => void>;
    const functions = webAssembly.Module.exports(kernelsModule()).filter((e) => e.kind === 'function').map((e) => e.name);
    expect(functions.sort()).toEqual(Object.keys(ARITY).sort());
    for (const [name, arity] of Object.entries(ARITY)) expect(kernels[name]!.length, name).toBe(arity);
  });

  it('read and write the arena rows they are given, within runs [r0, r1)', () => {
    const arena = new RowArena();
    const kernels = kernelsFor(arena);
    const row = arena.f64(8).fill(-1);
    const startA = arena.f64(8);
    startA.set([0, 1, 2, 3, 4, 5, 6, 7]);
    const offset = arena.f64(8).fill(0.5);
    offset[3] = NaN;
    offset[4] = -Infinity;
    const duration = arena.f64(8).fill(10);
    kernels.callTimes(row.byteOffset, startA.byteOffset, offset.byteOffset, duration.byteOffset, 1, 6, 2, -Infinity);
    // Logged offsets scale; a missing one (NaN, or not logged) falls back to the end time.
    expect([...row]).toEqual([-1, 2, 3, 23, 24, 6, -1, -1]);
  });
});
