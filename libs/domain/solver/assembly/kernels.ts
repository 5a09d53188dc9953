// The simulator's hottest loops, in AssemblyScript, compiled to WebAssembly by
// `npm run build:kernels` (tools/kernels/build-kernels.ts) into
// src/simulation/kernels.wasm.ts. WebAssembly runs these loops 2–2.5× faster than V8 runs
// the same loops over typed arrays (no bounds checks, no deoptimisation, scalar doubles in
// registers), and two runs at a time (SIMD, rows.ts) about 1.6× faster again, with the same
// IEEE operations in the same order, hence the same bits.
//
// Every row is an address in the simulator's RowArena (a Float64Array's byteOffset); rows
// are indexed by run, and each kernel covers runs [r0, r1), in pairs (see rows.ts). Each one
// is the loop it replaced in batch-simulator.ts, term for term: keep the order of additions
// when editing (floating-point addition is not associative, and a full evaluation must equal
// an incremental one). `dot3(a, x, b, y, c, z)` is JavaScript's `a * x + b * y + c * z`.
import { add2, both, dot2, dot3, dot4, get2, plus, raise2, set2, times } from './rows';

/**
 * When a node calls along an out-edge, for runs r and r + 1: its start plus the logged offset,
 * or its end (start plus duration) where the offset is missing (NaN or `notLogged`).
 */
// @ts-ignore: decorator
@inline function callTimes2(startA: usize, offset: usize, duration: usize, r: i32, scaleA: v128, notLogged: v128): v128 {
  const logged = get2(offset, r);
  const usable = v128.and(f64x2.eq(logged, logged), f64x2.ne(logged, notLogged));
  const start = get2(startA, r);
  return v128.bitselect(plus(start, times(logged, scaleA)), plus(start, times(get2(duration, r), scaleA)), usable);
}

// ---------------------------------------------------------------------------------------
// Timing
// ---------------------------------------------------------------------------------------

/** Call times of an edge whose source logs every call: startA + offset · scaleA. */
export function callTimesLogged(row: usize, startA: usize, offset: usize, r0: i32, r1: i32, scaleA: f64): void {
  const scale = both(scaleA);
  for (let r = r0; r < r1; r += 2) set2(row, r, plus(get2(startA, r), times(get2(offset, r), scale)), r + 1 < r1);
}

/** Call times where some offsets are missing (see `callTimes2`). */
export function callTimes(row: usize, startA: usize, offset: usize, duration: usize, r0: i32, r1: i32, scaleA: f64, notLogged: f64): void {
  const scale = both(scaleA);
  const missing = both(notLogged);
  for (let r = r0; r < r1; r += 2) set2(row, r, callTimes2(startA, offset, duration, r, scale, missing), r + 1 < r1);
}

/** A simple node's start times: its in-edge's call time plus the latency row and its shift. */
export function arriveLogged(start: usize, startA: usize, offset: usize, latency: usize, r0: i32, r1: i32, scaleA: f64, shift: f64): void {
  const scale = both(scaleA);
  const shifted = both(shift);
  for (let r = r0; r < r1; r += 2)
    set2(start, r, plus(plus(get2(startA, r), times(get2(offset, r), scale)), plus(get2(latency, r), shifted)), r + 1 < r1);
}

/** As `arriveLogged`, where some offsets are missing (see `callTimes2`). */
export function arrive(start: usize, startA: usize, offset: usize, duration: usize, latency: usize, r0: i32, r1: i32, scaleA: f64, shift: f64, notLogged: f64): void {
  const scale = both(scaleA);
  const shifted = both(shift);
  const missing = both(notLogged);
  for (let r = r0; r < r1; r += 2)
    set2(start, r, plus(callTimes2(startA, offset, duration, r, scale, missing), plus(get2(latency, r), shifted)), r + 1 < r1);
}

// ---------------------------------------------------------------------------------------
// Accounting: cost and carbon (at the first priced hour) per run, and the runtime
// ---------------------------------------------------------------------------------------

/** A simple node's arrival and execution, cost and runtime only (no priced hour). */
export function accountSimpleCost(
  cost: usize, runtime: usize, start: usize, requests: usize, size: usize, measured: usize, ran: usize, r0: i32, r1: i32,
  snsCost: f64, egress: f64, perSecond: f64, invocation: f64, scale: f64,
): void {
  const sns = both(snsCost), out = both(egress), second = both(perSecond), call = both(invocation), scaled = both(scale);
  for (let r = r0; r < r1; r += 2) {
    const whole = r + 1 < r1;
    const seconds = get2(measured, r);
    add2(cost, r, dot4(get2(requests, r), sns, get2(size, r), out, seconds, second, get2(ran, r), call), whole);
    raise2(runtime, r, plus(get2(start, r), times(seconds, scaled)), whole);
  }
}

/** A simple node's arrival and execution: cost, carbon at the first priced hour, runtime. */
export function accountSimple(
  cost: usize, carbon: usize, runtime: usize, start: usize, requests: usize, size: usize, measured: usize, ran: usize, dtde: usize, r0: i32, r1: i32,
  snsCost: f64, egress: f64, perSecond: f64, invocation: f64, scale: f64, arrival: f64, execution: f64, duringExecution: f64,
): void {
  const sns = both(snsCost), out = both(egress), second = both(perSecond), call = both(invocation), scaled = both(scale);
  const sentGrams = both(arrival), secondGrams = both(execution), duringGrams = both(duringExecution);
  for (let r = r0; r < r1; r += 2) {
    const whole = r + 1 < r1;
    const seconds = get2(measured, r);
    const sent = get2(size, r);
    add2(cost, r, dot4(get2(requests, r), sns, sent, out, seconds, second, get2(ran, r), call), whole);
    add2(carbon, r, dot3(sent, sentGrams, seconds, secondGrams, get2(dtde, r), duringGrams), whole);
    raise2(runtime, r, plus(get2(start, r), times(seconds, scaled)), whole);
  }
}

/** `arriveLogged` and `accountSimple` in one pass. */
export function arriveAndAccountSimple(
  cost: usize, carbon: usize, runtime: usize, start: usize, startA: usize, offset: usize, latency: usize,
  requests: usize, size: usize, measured: usize, ran: usize, dtde: usize, r0: i32, r1: i32,
  scaleA: f64, shift: f64, snsCost: f64, egress: f64, perSecond: f64, invocation: f64, scale: f64, arrival: f64, execution: f64, duringExecution: f64,
): void {
  const callerScale = both(scaleA), shifted = both(shift);
  const sns = both(snsCost), out = both(egress), second = both(perSecond), call = both(invocation), scaled = both(scale);
  const sentGrams = both(arrival), secondGrams = both(execution), duringGrams = both(duringExecution);
  for (let r = r0; r < r1; r += 2) {
    const whole = r + 1 < r1;
    const t0 = plus(plus(get2(startA, r), times(get2(offset, r), callerScale)), plus(get2(latency, r), shifted));
    set2(start, r, t0, whole);
    const seconds = get2(measured, r);
    const sent = get2(size, r);
    add2(cost, r, dot4(get2(requests, r), sns, sent, out, seconds, second, get2(ran, r), call), whole);
    add2(carbon, r, dot3(sent, sentGrams, seconds, secondGrams, get2(dtde, r), duringGrams), whole);
    raise2(runtime, r, plus(t0, times(seconds, scaled)), whole);
  }
}

/** A node's execution, cost and runtime only. */
export function executeCost(cost: usize, runtime: usize, start: usize, measured: usize, ran: usize, r0: i32, r1: i32, perSecond: f64, invocation: f64, scale: f64): void {
  const second = both(perSecond), call = both(invocation), scaled = both(scale);
  for (let r = r0; r < r1; r += 2) {
    const whole = r + 1 < r1;
    const seconds = get2(measured, r);
    add2(cost, r, dot2(seconds, second, get2(ran, r), call), whole);
    raise2(runtime, r, plus(get2(start, r), times(seconds, scaled)), whole);
  }
}

/** A node's execution: cost, carbon at the first priced hour, runtime. */
export function execute(
  cost: usize, carbon: usize, runtime: usize, start: usize, measured: usize, ran: usize, dtde: usize, r0: i32, r1: i32,
  perSecond: f64, invocation: f64, scale: f64, execution: f64, duringExecution: f64,
): void {
  const second = both(perSecond), call = both(invocation), scaled = both(scale), secondGrams = both(execution), duringGrams = both(duringExecution);
  for (let r = r0; r < r1; r += 2) {
    const whole = r + 1 < r1;
    const seconds = get2(measured, r);
    add2(cost, r, dot2(seconds, second, get2(ran, r), call), whole);
    add2(carbon, r, dot2(seconds, secondGrams, get2(dtde, r), duringGrams), whole);
    raise2(runtime, r, plus(get2(start, r), times(seconds, scaled)), whole);
  }
}

/** A sync node's two uploads, cost only: cost + (taken0·charge0 + size0·egress0) + (taken1·charge1 + size1·egress1). */
export function chargeTwoUploadsCost(cost: usize, taken0: usize, size0: usize, taken1: usize, size1: usize, r0: i32, r1: i32, charge0: f64, egress0: f64, charge1: f64, egress1: f64): void {
  const c0 = both(charge0), e0 = both(egress0), c1 = both(charge1), e1 = both(egress1);
  for (let r = r0; r < r1; r += 2)
    set2(cost, r, plus(plus(get2(cost, r), dot2(get2(taken0, r), c0, get2(size0, r), e0)), dot2(get2(taken1, r), c1, get2(size1, r), e1)), r + 1 < r1);
}

/** A sync node's two uploads: cost and carbon at the first priced hour. */
export function chargeTwoUploads(
  cost: usize, carbon: usize, taken0: usize, size0: usize, taken1: usize, size1: usize, r0: i32, r1: i32,
  charge0: f64, egress0: f64, perGb0: f64, syncGrams0: f64, charge1: f64, egress1: f64, perGb1: f64, syncGrams1: f64,
): void {
  const c0 = both(charge0), e0 = both(egress0), g0 = both(perGb0), s0 = both(syncGrams0);
  const c1 = both(charge1), e1 = both(egress1), g1 = both(perGb1), s1 = both(syncGrams1);
  for (let r = r0; r < r1; r += 2) {
    const whole = r + 1 < r1;
    const sent0 = get2(size0, r);
    const once0 = get2(taken0, r);
    const sent1 = get2(size1, r);
    const once1 = get2(taken1, r);
    set2(cost, r, plus(plus(get2(cost, r), dot2(once0, c0, sent0, e0)), dot2(once1, c1, sent1, e1)), whole);
    set2(carbon, r, plus(plus(get2(carbon, r), dot2(sent0, g0, once0, s0)), dot2(sent1, g1, once1, s1)), whole);
  }
}

/** row += values · coefficient (a skipped edge's charge, or its grams at one priced hour). */
export function addScaled(row: usize, values: usize, r0: i32, r1: i32, coefficient: f64): void {
  const k = both(coefficient);
  for (let r = r0; r < r1; r += 2) add2(row, r, times(get2(values, r), k), r + 1 < r1);
}

/** row += x · a + y · b + z · c (a simple node's grams at a later priced hour: payload, execution, data during execution). */
export function addScaledTriple(row: usize, x: usize, y: usize, z: usize, r0: i32, r1: i32, a: f64, b: f64, c: f64): void {
  const ka = both(a), kb = both(b), kc = both(c);
  for (let r = r0; r < r1; r += 2) add2(row, r, dot3(get2(x, r), ka, get2(y, r), kb, get2(z, r), kc), r + 1 < r1);
}
