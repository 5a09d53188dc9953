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

/** The address of run r in a row of doubles. */
// @ts-ignore: decorator
@inline function at(row: usize, r: i32): usize {
  return row + (<usize>r << 3);
}

// ---------------------------------------------------------------------------------------
// Timing
// ---------------------------------------------------------------------------------------

/** Call times of an edge whose source logs every call: startA + offset · scaleA. */
export function callTimesLogged(row: usize, startA: usize, offset: usize, r0: i32, r1: i32, scaleA: f64): void {
  for (let r = r0; r < r1; r++) store<f64>(at(row, r), load<f64>(at(startA, r)) + load<f64>(at(offset, r)) * scaleA);
}

/** Call times where some offsets are missing (NaN or `notLogged`): the source's end time instead. */
export function callTimes(row: usize, startA: usize, offset: usize, duration: usize, r0: i32, r1: i32, scaleA: f64, notLogged: f64): void {
  for (let r = r0; r < r1; r++) {
    const logged = load<f64>(at(offset, r));
    const t = logged == logged && logged != notLogged ? load<f64>(at(startA, r)) + logged * scaleA : load<f64>(at(startA, r)) + load<f64>(at(duration, r)) * scaleA;
    store<f64>(at(row, r), t);
  }
}

/** A simple node's start times: its in-edge's call time plus the latency row and its shift. */
export function arriveLogged(start: usize, startA: usize, offset: usize, latency: usize, r0: i32, r1: i32, scaleA: f64, shift: f64): void {
  for (let r = r0; r < r1; r++)
    store<f64>(at(start, r), load<f64>(at(startA, r)) + load<f64>(at(offset, r)) * scaleA + (load<f64>(at(latency, r)) + shift));
}

/** As `arriveLogged`, where some offsets are missing (see `callTimes`). */
export function arrive(start: usize, startA: usize, offset: usize, duration: usize, latency: usize, r0: i32, r1: i32, scaleA: f64, shift: f64, notLogged: f64): void {
  for (let r = r0; r < r1; r++) {
    const logged = load<f64>(at(offset, r));
    const call = logged == logged && logged != notLogged ? load<f64>(at(startA, r)) + logged * scaleA : load<f64>(at(startA, r)) + load<f64>(at(duration, r)) * scaleA;
    store<f64>(at(start, r), call + (load<f64>(at(latency, r)) + shift));
  }
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
    const seconds = load<f64>(at(measured, r));
    store<f64>(at(cost, r), load<f64>(at(cost, r)) + (load<f64>(at(requests, r)) * snsCost + load<f64>(at(size, r)) * egress + seconds * perSecond + load<f64>(at(ran, r)) * invocation));
    const end = load<f64>(at(start, r)) + seconds * scale;
    if (end > load<f64>(at(runtime, r))) store<f64>(at(runtime, r), end);
  }
}

/** A simple node's arrival and execution: cost, carbon at the first priced hour, runtime. */
export function accountSimple(
  cost: usize, carbon: usize, runtime: usize, start: usize, requests: usize, size: usize, measured: usize, ran: usize, dtde: usize, r0: i32, r1: i32,
  snsCost: f64, egress: f64, perSecond: f64, invocation: f64, scale: f64, arrival: f64, execution: f64, duringExecution: f64,
): void {
  for (let r = r0; r < r1; r++) {
    const seconds = load<f64>(at(measured, r));
    const sent = load<f64>(at(size, r));
    store<f64>(at(cost, r), load<f64>(at(cost, r)) + (load<f64>(at(requests, r)) * snsCost + sent * egress + seconds * perSecond + load<f64>(at(ran, r)) * invocation));
    store<f64>(at(carbon, r), load<f64>(at(carbon, r)) + (sent * arrival + seconds * execution + load<f64>(at(dtde, r)) * duringExecution));
    const end = load<f64>(at(start, r)) + seconds * scale;
    if (end > load<f64>(at(runtime, r))) store<f64>(at(runtime, r), end);
  }
}

/** `arriveLogged` and `accountSimple` in one pass. */
export function arriveAndAccountSimple(
  cost: usize, carbon: usize, runtime: usize, start: usize, startA: usize, offset: usize, latency: usize,
  requests: usize, size: usize, measured: usize, ran: usize, dtde: usize, r0: i32, r1: i32,
  scaleA: f64, shift: f64, snsCost: f64, egress: f64, perSecond: f64, invocation: f64, scale: f64, arrival: f64, execution: f64, duringExecution: f64,
): void {
  for (let r = r0; r < r1; r++) {
    const t0 = load<f64>(at(startA, r)) + load<f64>(at(offset, r)) * scaleA + (load<f64>(at(latency, r)) + shift);
    store<f64>(at(start, r), t0);
    const seconds = load<f64>(at(measured, r));
    const sent = load<f64>(at(size, r));
    store<f64>(at(cost, r), load<f64>(at(cost, r)) + (load<f64>(at(requests, r)) * snsCost + sent * egress + seconds * perSecond + load<f64>(at(ran, r)) * invocation));
    store<f64>(at(carbon, r), load<f64>(at(carbon, r)) + (sent * arrival + seconds * execution + load<f64>(at(dtde, r)) * duringExecution));
    const end = t0 + seconds * scale;
    if (end > load<f64>(at(runtime, r))) store<f64>(at(runtime, r), end);
  }
}

/** A node's execution, cost and runtime only. */
export function executeCost(cost: usize, runtime: usize, start: usize, measured: usize, ran: usize, r0: i32, r1: i32, perSecond: f64, invocation: f64, scale: f64): void {
  for (let r = r0; r < r1; r++) {
    const seconds = load<f64>(at(measured, r));
    store<f64>(at(cost, r), load<f64>(at(cost, r)) + (seconds * perSecond + load<f64>(at(ran, r)) * invocation));
    const end = load<f64>(at(start, r)) + seconds * scale;
    if (end > load<f64>(at(runtime, r))) store<f64>(at(runtime, r), end);
  }
}

/** A node's execution: cost, carbon at the first priced hour, runtime. */
export function execute(
  cost: usize, carbon: usize, runtime: usize, start: usize, measured: usize, ran: usize, dtde: usize, r0: i32, r1: i32,
  perSecond: f64, invocation: f64, scale: f64, execution: f64, duringExecution: f64,
): void {
  for (let r = r0; r < r1; r++) {
    const seconds = load<f64>(at(measured, r));
    store<f64>(at(cost, r), load<f64>(at(cost, r)) + (seconds * perSecond + load<f64>(at(ran, r)) * invocation));
    store<f64>(at(carbon, r), load<f64>(at(carbon, r)) + (seconds * execution + load<f64>(at(dtde, r)) * duringExecution));
    const end = load<f64>(at(start, r)) + seconds * scale;
    if (end > load<f64>(at(runtime, r))) store<f64>(at(runtime, r), end);
  }
}

/** A sync node's two uploads, cost only. */
export function chargeTwoUploadsCost(cost: usize, taken0: usize, size0: usize, taken1: usize, size1: usize, r0: i32, r1: i32, charge0: f64, egress0: f64, charge1: f64, egress1: f64): void {
  for (let r = r0; r < r1; r++)
    store<f64>(
      at(cost, r),
      load<f64>(at(cost, r)) + (load<f64>(at(taken0, r)) * charge0 + load<f64>(at(size0, r)) * egress0) + (load<f64>(at(taken1, r)) * charge1 + load<f64>(at(size1, r)) * egress1),
    );
}

/** A sync node's two uploads: cost and carbon at the first priced hour. */
export function chargeTwoUploads(
  cost: usize, carbon: usize, taken0: usize, size0: usize, taken1: usize, size1: usize, r0: i32, r1: i32,
  charge0: f64, egress0: f64, perGb0: f64, syncGrams0: f64, charge1: f64, egress1: f64, perGb1: f64, syncGrams1: f64,
): void {
  for (let r = r0; r < r1; r++) {
    const sent0 = load<f64>(at(size0, r));
    const once0 = load<f64>(at(taken0, r));
    const sent1 = load<f64>(at(size1, r));
    const once1 = load<f64>(at(taken1, r));
    store<f64>(at(cost, r), load<f64>(at(cost, r)) + (once0 * charge0 + sent0 * egress0) + (once1 * charge1 + sent1 * egress1));
    store<f64>(at(carbon, r), load<f64>(at(carbon, r)) + (sent0 * perGb0 + once0 * syncGrams0) + (sent1 * perGb1 + once1 * syncGrams1));
  }
}

/** row += values · coefficient (a skipped edge's charge, or its grams at one priced hour). */
export function addScaled(row: usize, values: usize, r0: i32, r1: i32, coefficient: f64): void {
  for (let r = r0; r < r1; r++) store<f64>(at(row, r), load<f64>(at(row, r)) + load<f64>(at(values, r)) * coefficient);
}
