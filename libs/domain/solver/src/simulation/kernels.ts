import { KERNELS_WASM_BASE64 } from './kernels.wasm';
import type { RowArena } from './row-arena';
import { webAssembly, type WasmModule } from './webassembly';

/**
 * The simulator's WebAssembly kernels (libs/domain/solver/assembly/kernels.ts), bound to one
 * RowArena's memory. Row arguments are addresses (a row's `byteOffset` in the arena); each
 * kernel covers runs [r0, r1). See the AssemblyScript source for what each one computes.
 */
export interface Kernels {
  callTimesLogged(row: number, startA: number, offset: number, r0: number, r1: number, scaleA: number): void;
  callTimes(row: number, startA: number, offset: number, duration: number, r0: number, r1: number, scaleA: number, notLogged: number): void;
  arriveLogged(start: number, startA: number, offset: number, latency: number, r0: number, r1: number, scaleA: number, shift: number): void;
  arrive(start: number, startA: number, offset: number, duration: number, latency: number, r0: number, r1: number, scaleA: number, shift: number, notLogged: number): void;
  accountSimpleCost(
    cost: number, runtime: number, start: number, requests: number, size: number, measured: number, ran: number, r0: number, r1: number,
    snsCost: number, egress: number, perSecond: number, invocation: number, scale: number,
  ): void;
  accountSimple(
    cost: number, carbon: number, runtime: number, start: number, requests: number, size: number, measured: number, ran: number, dtde: number, r0: number, r1: number,
    snsCost: number, egress: number, perSecond: number, invocation: number, scale: number, arrival: number, execution: number, duringExecution: number,
  ): void;
  arriveAndAccountSimple(
    cost: number, carbon: number, runtime: number, start: number, startA: number, offset: number, latency: number,
    requests: number, size: number, measured: number, ran: number, dtde: number, r0: number, r1: number,
    scaleA: number, shift: number, snsCost: number, egress: number, perSecond: number, invocation: number, scale: number, arrival: number, execution: number, duringExecution: number,
  ): void;
  executeCost(cost: number, runtime: number, start: number, measured: number, ran: number, r0: number, r1: number, perSecond: number, invocation: number, scale: number): void;
  execute(
    cost: number, carbon: number, runtime: number, start: number, measured: number, ran: number, dtde: number, r0: number, r1: number,
    perSecond: number, invocation: number, scale: number, execution: number, duringExecution: number,
  ): void;
  chargeTwoUploadsCost(cost: number, taken0: number, size0: number, taken1: number, size1: number, r0: number, r1: number, charge0: number, egress0: number, charge1: number, egress1: number): void;
  chargeTwoUploads(
    cost: number, carbon: number, taken0: number, size0: number, taken1: number, size1: number, r0: number, r1: number,
    charge0: number, egress0: number, perGb0: number, syncGrams0: number, charge1: number, egress1: number, perGb1: number, syncGrams1: number,
  ): void;

  // General nodes (libs/domain/solver/assembly/general-kernels.ts): `list` is a RunList's runs
  // row, covered between indices [lo, hi); `trigger` a Uint16 row; `hours` the priced hours.
  arriveOne(start: number, trigger: number, list: number, lo: number, hi: number, call: number, latency: number, shift: number, j: number): void;
  arriveOneSync(
    start: number, trigger: number, writeUnits: number, readUnits: number, list: number, lo: number, hi: number,
    call: number, latency: number, syncWrite: number, syncRead: number, shift: number, j: number,
  ): void;
  arriveTwo(
    start: number, trigger: number, writeUnits: number, readUnits: number, list: number, lo: number, hi: number,
    call0: number, latency0: number, size0: number, call1: number, latency1: number, size1: number,
    syncWrite: number, syncWriteSwapped: number, syncRead: number, shift0: number, shift1: number, j0: number, j1: number,
  ): void;
  arriveThree(
    start: number, trigger: number, writeUnits: number, readUnits: number, list: number, lo: number, hi: number,
    call0: number, latency0: number, size0: number, call1: number, latency1: number, size1: number, call2: number, latency2: number, size2: number,
    threeWrite: number, threeRead: number, runs: number, shift0: number, shift1: number, shift2: number, j0: number, j1: number, j2: number,
  ): void;
  chargeUploadCost(cost: number, taken: number, size: number, r0: number, r1: number, charge: number, egress: number): void;
  chargeUpload(cost: number, carbon: number, taken: number, size: number, r0: number, r1: number, charge: number, egress: number, perGb: number, syncGrams: number): void;
  chargeSyncTrigger(
    cost: number, carbon: number, trigger: number, writeUnits: number, readUnits: number, list: number, lo: number, hi: number,
    noticeCost: number, noticeGrams: number, degree: number, hours: number, runs: number, writeCost: number, readCost: number,
  ): void;
  chargeEdgeTrigger(
    cost: number, carbon: number, trigger: number, list: number, lo: number, hi: number, requests: number, size: number, gramsPerGb: number,
    hours: number, runs: number, snsCost: number, egress: number,
  ): void;
  addScaledPair(row: number, x: number, y: number, r0: number, r1: number, a: number, b: number): void;
  slotArrivals(
    start: number, trigger: number, list: number, lo: number, hi: number, inCall: number,
    slotCount: number, syncOrder: number, slotSkipEdge: number, slotEntry: number,
    edgeStart: number, edgeOffset: number, edgeDuration: number, edgeScale: number, notices: number, latencyValues: number,
    runs: number, degree: number, notLogged: number,
  ): void;
  chargeSlotTrigger(
    cost: number, carbon: number, trigger: number, writeUnits: number, readUnits: number, list: number, lo: number, hi: number,
    syncOrder: number, slotEntry: number, noticeCharges: number, runs: number, degree: number, sync: number, hours: number, writeCost: number, readCost: number,
  ): void;
  addScaled(row: number, values: number, r0: number, r1: number, coefficient: number): void;
  addScaledTriple(row: number, x: number, y: number, z: number, r0: number, r1: number, a: number, b: number, c: number): void;
}

/** Compiled once per thread; instantiated per arena. */
let compiled: WasmModule | undefined;

export function kernelsModule(): WasmModule {
  if (!compiled) compiled = new webAssembly.Module(Uint8Array.from(atob(KERNELS_WASM_BASE64), (c) => c.charCodeAt(0)));
  return compiled;
}

/** The kernels, reading and writing `arena`'s rows. */
export function kernelsFor(arena: RowArena): Kernels {
  return new webAssembly.Instance(kernelsModule(), { env: { memory: arena.memory } }).exports as unknown as Kernels;
}
