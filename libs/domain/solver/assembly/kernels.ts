// The simulator's hottest loops, in AssemblyScript, compiled to WebAssembly by
// `npm run build:kernels` (tools/kernels/build-kernels.ts) into
// src/simulation/kernels.wasm.ts. WebAssembly runs these loops 2–2.5× faster than V8 runs
// the same loops over typed arrays (no bounds checks, no deoptimisation, scalar doubles in
// registers), with the same IEEE operations in the same order, hence the same bits.
//
// Every row is an address in the simulator's RowArena (a Float64Array's byteOffset); rows
// are indexed by run, and each kernel covers runs [r0, r1). Each one is the loop it replaced
// in batch-simulator.ts, term for term: keep the order of additions when editing (floating-
// point addition is not associative, and a full evaluation must equal an incremental one).
import { add, get, raise, set } from './rows';

/** When a node calls along an out-edge: its start plus the logged offset, or its end when the offset is missing (NaN or `notLogged`). */
// @ts-ignore: decorator
@inline function callTime(startA: usize, offset: usize, duration: usize, r: i32, scaleA: f64, notLogged: f64): f64 {
  const logged = get(offset, r);
  return logged == logged && logged != notLogged ? get(startA, r) + logged * scaleA : get(startA, r) + get(duration, r) * scaleA;
}

// ---------------------------------------------------------------------------------------
// Timing
// ---------------------------------------------------------------------------------------

/** Call times of an edge whose source logs every call: startA + offset · scaleA. */
export function callTimesLogged(row: usize, startA: usize, offset: usize, r0: i32, r1: i32, scaleA: f64): void {
  for (let r = r0; r < r1; r++) set(row, r, get(startA, r) + get(offset, r) * scaleA);
}

/** Call times where some offsets are missing (see `callTime`). */
export function callTimes(row: usize, startA: usize, offset: usize, duration: usize, r0: i32, r1: i32, scaleA: f64, notLogged: f64): void {
  for (let r = r0; r < r1; r++) set(row, r, callTime(startA, offset, duration, r, scaleA, notLogged));
}

/** A simple node's start times: its in-edge's call time plus the latency row and its shift. */
export function arriveLogged(start: usize, startA: usize, offset: usize, latency: usize, r0: i32, r1: i32, scaleA: f64, shift: f64): void {
  for (let r = r0; r < r1; r++) set(start, r, get(startA, r) + get(offset, r) * scaleA + (get(latency, r) + shift));
}

/** As `arriveLogged`, where some offsets are missing (see `callTime`). */
export function arrive(start: usize, startA: usize, offset: usize, duration: usize, latency: usize, r0: i32, r1: i32, scaleA: f64, shift: f64, notLogged: f64): void {
  for (let r = r0; r < r1; r++) set(start, r, callTime(startA, offset, duration, r, scaleA, notLogged) + (get(latency, r) + shift));
}

// ---------------------------------------------------------------------------------------
// Accounting: cost and carbon (at the first priced hour) per run, and the runtime
// ---------------------------------------------------------------------------------------

/** A simple node's arrival and execution, cost and runtime only (no priced hour). */
export function accountSimpleCost(
  cost: usize, runtime: usize, start: usize, requests: usize, size: usize, measured: usize, ran: usize, r0: i32, r1: i32,
  snsCost: f64, egress: f64, perSecond: f64, invocation: f64, scale: f64,
): void {
  for (let r = r0; r < r1; r++) {
    const seconds = get(measured, r);
    add(cost, r, get(requests, r) * snsCost + get(size, r) * egress + seconds * perSecond + get(ran, r) * invocation);
    raise(runtime, r, get(start, r) + seconds * scale);
  }
}

/** A simple node's arrival and execution: cost, carbon at the first priced hour, runtime. */
export function accountSimple(
  cost: usize, carbon: usize, runtime: usize, start: usize, requests: usize, size: usize, measured: usize, ran: usize, dtde: usize, r0: i32, r1: i32,
  snsCost: f64, egress: f64, perSecond: f64, invocation: f64, scale: f64, arrival: f64, execution: f64, duringExecution: f64,
): void {
  for (let r = r0; r < r1; r++) {
    const seconds = get(measured, r);
    const sent = get(size, r);
    add(cost, r, get(requests, r) * snsCost + sent * egress + seconds * perSecond + get(ran, r) * invocation);
    add(carbon, r, sent * arrival + seconds * execution + get(dtde, r) * duringExecution);
    raise(runtime, r, get(start, r) + seconds * scale);
  }
}

/** `arriveLogged` and `accountSimple` in one pass. */
export function arriveAndAccountSimple(
  cost: usize, carbon: usize, runtime: usize, start: usize, startA: usize, offset: usize, latency: usize,
  requests: usize, size: usize, measured: usize, ran: usize, dtde: usize, r0: i32, r1: i32,
  scaleA: f64, shift: f64, snsCost: f64, egress: f64, perSecond: f64, invocation: f64, scale: f64, arrival: f64, execution: f64, duringExecution: f64,
): void {
  for (let r = r0; r < r1; r++) {
    const t0 = get(startA, r) + get(offset, r) * scaleA + (get(latency, r) + shift);
    set(start, r, t0);
    const seconds = get(measured, r);
    const sent = get(size, r);
    add(cost, r, get(requests, r) * snsCost + sent * egress + seconds * perSecond + get(ran, r) * invocation);
    add(carbon, r, sent * arrival + seconds * execution + get(dtde, r) * duringExecution);
    raise(runtime, r, t0 + seconds * scale);
  }
}

/** A node's execution, cost and runtime only. */
export function executeCost(cost: usize, runtime: usize, start: usize, measured: usize, ran: usize, r0: i32, r1: i32, perSecond: f64, invocation: f64, scale: f64): void {
  for (let r = r0; r < r1; r++) {
    const seconds = get(measured, r);
    add(cost, r, seconds * perSecond + get(ran, r) * invocation);
    raise(runtime, r, get(start, r) + seconds * scale);
  }
}

/** A node's execution: cost, carbon at the first priced hour, runtime. */
export function execute(
  cost: usize, carbon: usize, runtime: usize, start: usize, measured: usize, ran: usize, dtde: usize, r0: i32, r1: i32,
  perSecond: f64, invocation: f64, scale: f64, execution: f64, duringExecution: f64,
): void {
  for (let r = r0; r < r1; r++) {
    const seconds = get(measured, r);
    add(cost, r, seconds * perSecond + get(ran, r) * invocation);
    add(carbon, r, seconds * execution + get(dtde, r) * duringExecution);
    raise(runtime, r, get(start, r) + seconds * scale);
  }
}

/** A sync node's two uploads, cost only. */
export function chargeTwoUploadsCost(cost: usize, taken0: usize, size0: usize, taken1: usize, size1: usize, r0: i32, r1: i32, charge0: f64, egress0: f64, charge1: f64, egress1: f64): void {
  for (let r = r0; r < r1; r++) set(cost, r, get(cost, r) + (get(taken0, r) * charge0 + get(size0, r) * egress0) + (get(taken1, r) * charge1 + get(size1, r) * egress1));
}

/** A sync node's two uploads: cost and carbon at the first priced hour. */
export function chargeTwoUploads(
  cost: usize, carbon: usize, taken0: usize, size0: usize, taken1: usize, size1: usize, r0: i32, r1: i32,
  charge0: f64, egress0: f64, perGb0: f64, syncGrams0: f64, charge1: f64, egress1: f64, perGb1: f64, syncGrams1: f64,
): void {
  for (let r = r0; r < r1; r++) {
    const sent0 = get(size0, r);
    const once0 = get(taken0, r);
    const sent1 = get(size1, r);
    const once1 = get(taken1, r);
    set(cost, r, get(cost, r) + (once0 * charge0 + sent0 * egress0) + (once1 * charge1 + sent1 * egress1));
    set(carbon, r, get(carbon, r) + (sent0 * perGb0 + once0 * syncGrams0) + (sent1 * perGb1 + once1 * syncGrams1));
  }
}

/** row += values · coefficient (a skipped edge's charge, or its grams at one priced hour). */
export function addScaled(row: usize, values: usize, r0: i32, r1: i32, coefficient: f64): void {
  for (let r = r0; r < r1; r++) add(row, r, get(values, r) * coefficient);
}

/** row += x · a + y · b + z · c (a simple node's grams at a later priced hour: payload, execution, data during execution). */
export function addScaledTriple(row: usize, x: usize, y: usize, z: usize, r0: i32, r1: i32, a: f64, b: f64, c: f64): void {
  for (let r = r0; r < r1; r++) add(row, r, get(x, r) * a + get(y, r) * b + get(z, r) * c);
}
