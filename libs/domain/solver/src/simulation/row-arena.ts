import { CaribouError } from '@caribou/domain-common';
import { webAssembly, type WasmMemory } from './webassembly';

const PAGE_BYTES = 65536;
/** WebAssembly's 32-bit address space: 65536 pages of 64 KiB. */
const MAX_PAGES = 65536;
/** The first bytes stay unused, so that no row starts at address 0. */
const FIRST_ROW_AT = 1024;
/** Rows start at multiples of 16 bytes (a WebAssembly SIMD lane group; cache-line friendly). */
const ALIGN = 16;
/** Bytes kept addressable after the last row (kernels read runs in pairs: see assembly/rows.ts). */
const SLACK = 16;
/** Grow by at least this much, so that a simulator's thousands of rows grow the memory a few times only. */
const MIN_GROWTH_PAGES = 64;

/** Where per-run rows come from: a RowArena (rows a kernel may read) or the JavaScript heap. */
export interface RowAllocator {
  f64(length: number): Float64Array;
  i32(length: number): Int32Array;
  u16(length: number): Uint16Array;
  u8(length: number): Uint8Array;
}

/**
 * Rows on the JavaScript heap, for a structure no kernel reads (the thread pool's carbon screen
 * keeps only sums from its own): the garbage collector frees them as soon as they are dropped,
 * whereas a dropped arena's memory waits for a major collection.
 */
export const heapRows: RowAllocator = {
  f64: (length) => new Float64Array(length),
  i32: (length) => new Int32Array(length),
  u16: (length) => new Uint16Array(length),
  u8: (length) => new Uint8Array(length),
};

/**
 * The simulator's per-run rows, all in one WebAssembly memory, so that the WebAssembly kernels
 * (kernels.ts) can read and write any of them by address. Rows are typed-array views of it,
 * which the JavaScript code uses as any other typed array.
 *
 * The memory is shared: growing a shared memory never detaches its buffer, so every row handed
 * out stays valid while the arena grows (a non-shared memory would invalidate all of them at
 * each growth). Nothing else shares it: each simulator, in each thread, has its own arena.
 *
 * Rows are never freed one by one; their owners recycle them (timing-state row groups, the
 * latency memo), and the whole memory is released with the arena.
 */
export class RowArena implements RowAllocator {
  readonly memory: WasmMemory;
  private top = FIRST_ROW_AT;
  private buffer: SharedArrayBuffer;

  constructor(initialBytes = 1 << 20) {
    const initial = Math.max(1, Math.ceil(initialBytes / PAGE_BYTES));
    this.memory = new webAssembly.Memory({ initial, maximum: MAX_PAGES, shared: true });
    this.buffer = this.memory.buffer as unknown as SharedArrayBuffer;
  }

  /** Bytes handed out so far. */
  get bytes(): number {
    return this.top - FIRST_ROW_AT;
  }

  f64(length: number): Float64Array {
    const at = this.reserve(length * 8); // first: it may replace the buffer
    return new Float64Array(this.buffer, at, length);
  }

  i32(length: number): Int32Array {
    const at = this.reserve(length * 4); // first: it may replace the buffer
    return new Int32Array(this.buffer, at, length);
  }

  u16(length: number): Uint16Array {
    const at = this.reserve(length * 2); // first: it may replace the buffer
    return new Uint16Array(this.buffer, at, length);
  }

  u8(length: number): Uint8Array {
    const at = this.reserve(length); // first: it may replace the buffer
    return new Uint8Array(this.buffer, at, length);
  }

  /** A copy of `values` in the arena. */
  copyOf<T extends Float64Array | Int32Array | Uint16Array | Uint8Array>(values: T): T {
    const kind = values.constructor as { new (buffer: SharedArrayBuffer, at: number, length: number): T };
    const at = this.reserve(values.byteLength);
    const row = new kind(this.buffer, at, values.length);
    row.set(values as never);
    return row;
  }

  /** The address of `bytes` zeroed bytes (the memory starts zeroed and rows are never reused here). */
  private reserve(bytes: number): number {
    if (!Number.isInteger(bytes) || bytes < 0) throw new CaribouError(`a row of ${bytes} bytes cannot be allocated`);
    const at = this.top;
    const end = at + Math.ceil(bytes / ALIGN) * ALIGN;
    // Slack after the last row: a kernel taking runs in pairs reads one double past a range's end.
    if (end + SLACK > this.buffer.byteLength) {
      const pages = Math.ceil((end + SLACK - this.buffer.byteLength) / PAGE_BYTES);
      const current = this.buffer.byteLength / PAGE_BYTES;
      const grow = Math.min(MAX_PAGES - current, Math.max(pages, MIN_GROWTH_PAGES, current >>> 2));
      if (grow < pages) throw new CaribouError(`the simulator's rows would exceed 4 GiB (${end} bytes); simulate fewer runs or a smaller workflow`);
      this.memory.grow(grow);
      this.buffer = this.memory.buffer as unknown as SharedArrayBuffer;
    }
    this.top = end;
    return at;
  }
}
