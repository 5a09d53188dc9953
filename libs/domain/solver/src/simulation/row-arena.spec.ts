import { describe, expect, it } from 'vitest';
import { compileModel } from '@caribou/domain-model';
import { instanceFiles, modelOf } from '../__fixtures__/fixtures';
import { BatchSimulator } from './batch-simulator';
import { heapRows, RowArena } from './row-arena';
import { RunStructure } from './run-structure';

describe('RowArena', () => {
  it('keeps every row valid and in place while the memory grows', () => {
    const arena = new RowArena(65536);
    const first = arena.f64(1000);
    first.fill(1.5);
    const rows = Array.from({ length: 200 }, (_, i) => arena.f64(2000).fill(i));
    expect(arena.memory.buffer.byteLength).toBeGreaterThan(65536);
    expect(first.every((x) => x === 1.5)).toBe(true);
    rows.forEach((row, i) => expect(row[1999]).toBe(i));
    // Every row is where its address says in the current memory.
    const view = new Float64Array(arena.memory.buffer);
    expect(view[first.byteOffset / 8 + 999]).toBe(1.5);
    expect(view[rows[150]!.byteOffset / 8]).toBe(150);
  });

  it('hands out disjoint, aligned, zeroed rows of each element type', () => {
    const arena = new RowArena();
    const rows = [arena.u8(3), arena.u16(5), arena.i32(7), arena.f64(9), arena.u8(1)];
    for (const row of rows) {
      expect(row.byteOffset % 16).toBe(0);
      expect(row.byteOffset).toBeGreaterThan(0);
      expect([...row].every((x) => x === 0)).toBe(true);
    }
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.byteOffset).toBeGreaterThanOrEqual(rows[i - 1]!.byteOffset + rows[i - 1]!.byteLength);
    expect(arena.bytes).toBe(16 + 16 + 32 + 80 + 16);
  });

  it('copies a row into the memory', () => {
    const arena = new RowArena();
    const copy = arena.copyOf(Int32Array.of(3, -4, 5));
    expect(copy).toBeInstanceOf(Int32Array);
    expect([...copy]).toEqual([3, -4, 5]);
    expect(copy.buffer).toBe(arena.memory.buffer);
  });

  it('refuses a negative or fractional length in one line', () => {
    expect(() => new RowArena().f64(-1)).toThrow(/-8 bytes cannot be allocated/);
  });

  it('a simulator keeps its structure in its arena; a structure built alone (the pool’s screen) on the heap, freed as usual', () => {
    const compiled = compileModel(modelOf(instanceFiles.n10));
    const simulator = new BatchSimulator(compiled, 100, 20, 1);
    expect(simulator.structure.sizeGb[0]!.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(simulator.structure.runsOf[0]!.runs.buffer).toBeInstanceOf(SharedArrayBuffer);
    const alone = new RunStructure(compiled, 100, 20, 1);
    expect(alone.arena).toBe(heapRows);
    expect(alone.sizeGb[0]!.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect([...alone.sizeGb[0]!]).toEqual([...simulator.structure.sizeGb[0]!]);
  });
});
