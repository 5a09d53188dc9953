// The general-node loops of batch-simulator.ts (sync nodes and targets of simulated edges), in
// AssemblyScript, compiled with kernels.ts into the same WebAssembly module (see kernels.ts for
// why, and for the rules: rows are RowArena addresses, the same IEEE operations in the same
// order as the loop each kernel replaced, hence the same bits).
//
// A general node's runs are visited through run lists (ascending Int32 run indices, a
// RunList's `runs` row) between list indices [lo, hi); trigger rows are Uint16 (the candidate
// that triggered the node: in-edge j < in-degree, else a simulated edge).

/** The address of run r in a row of doubles. */
// @ts-ignore: decorator
@inline function at(row: usize, r: i32): usize {
  return row + (<usize>r << 3);
}

/** The address of run r in a Uint16 row. */
// @ts-ignore: decorator
@inline function at16(row: usize, r: i32): usize {
  return row + (<usize>r << 1);
}

/** The run at index i of a run list. */
// @ts-ignore: decorator
@inline function runAt(list: usize, i: i32): i32 {
  return load<i32>(list + (<usize>i << 2));
}

// ---------------------------------------------------------------------------------------
// Timing: the latest-starting taken in-edge, per group of runs taking the same in-edges
// ---------------------------------------------------------------------------------------

/** Runs taking one in-edge (j): the node starts when its message arrives, and j triggers it. */
export function arriveOne(start: usize, trigger: usize, list: usize, lo: i32, hi: i32, call: usize, latency: usize, shift: f64, j: i32): void {
  for (let i = lo; i < hi; i++) {
    const r = runAt(list, i);
    store<f64>(at(start, r), load<f64>(at(call, r)) + (load<f64>(at(latency, r)) + shift));
    store<u16>(at16(trigger, r), <u16>j);
  }
}

/** `arriveOne` at a sync node: also the write and read units of its one upload (tabulated per run). */
export function arriveOneSync(
  start: usize, trigger: usize, writeUnits: usize, readUnits: usize, list: usize, lo: i32, hi: i32,
  call: usize, latency: usize, syncWrite: usize, syncRead: usize, shift: f64, j: i32,
): void {
  for (let i = lo; i < hi; i++) {
    const r = runAt(list, i);
    store<f64>(at(start, r), load<f64>(at(call, r)) + (load<f64>(at(latency, r)) + shift));
    store<u16>(at16(trigger, r), <u16>j);
    store<f64>(at(writeUnits, r), load<f64>(at(syncWrite, r)));
    store<f64>(at(readUnits, r), load<f64>(at(syncRead, r)));
  }
}

/**
 * Runs taking two in-edges (j0, j1) of a sync node: the later call triggers (the first on a
 * tie), and the two uploads' order (by call time, then size) decides the write units of the
 * growing item: `syncWrite` in order, `syncWriteSwapped` swapped.
 */
export function arriveTwo(
  start: usize, trigger: usize, writeUnits: usize, readUnits: usize, list: usize, lo: i32, hi: i32,
  call0: usize, latency0: usize, size0: usize, call1: usize, latency1: usize, size1: usize,
  syncWrite: usize, syncWriteSwapped: usize, syncRead: usize, shift0: f64, shift1: f64, j0: i32, j1: i32,
): void {
  for (let i = lo; i < hi; i++) {
    const r = runAt(list, i);
    const t0 = load<f64>(at(call0, r));
    const t1 = load<f64>(at(call1, r));
    if (t1 > t0) {
      store<f64>(at(start, r), t1 + (load<f64>(at(latency1, r)) + shift1));
      store<u16>(at16(trigger, r), <u16>j1);
    } else {
      store<f64>(at(start, r), t0 + (load<f64>(at(latency0, r)) + shift0));
      store<u16>(at16(trigger, r), <u16>j0);
    }
    const inOrder = t0 < t1 || (t0 == t1 && load<f64>(at(size0, r)) <= load<f64>(at(size1, r)));
    store<f64>(at(writeUnits, r), inOrder ? load<f64>(at(syncWrite, r)) : load<f64>(at(syncWriteSwapped, r)));
    store<f64>(at(readUnits, r), load<f64>(at(syncRead, r)));
  }
}

/** run-structure.ts `threeUploadOrder`: the index in THREE_UPLOAD_ORDERS of three uploads' order. */
// @ts-ignore: decorator
@inline function threeUploadOrder(first01: bool, first02: bool, first12: bool): i32 {
  if (first01) return first12 ? 0 : first02 ? 1 : 2;
  return first02 ? 3 : first12 ? 4 : 5;
}

/**
 * Runs taking three in-edges (j0, j1, j2) of a sync node: the latest call triggers (the first
 * on a tie), and the uploads' order selects the units, tabulated per order: order o's row
 * starts `o · runs` doubles after `threeWrite` (`threeRead`).
 */
export function arriveThree(
  start: usize, trigger: usize, writeUnits: usize, readUnits: usize, list: usize, lo: i32, hi: i32,
  call0: usize, latency0: usize, size0: usize, call1: usize, latency1: usize, size1: usize, call2: usize, latency2: usize, size2: usize,
  threeWrite: usize, threeRead: usize, runs: i32, shift0: f64, shift1: f64, shift2: f64, j0: i32, j1: i32, j2: i32,
): void {
  for (let i = lo; i < hi; i++) {
    const r = runAt(list, i);
    const t0 = load<f64>(at(call0, r));
    const t1 = load<f64>(at(call1, r));
    const t2 = load<f64>(at(call2, r));
    if (t2 > t0 && t2 > t1) {
      store<f64>(at(start, r), t2 + (load<f64>(at(latency2, r)) + shift2));
      store<u16>(at16(trigger, r), <u16>j2);
    } else if (t1 > t0) {
      store<f64>(at(start, r), t1 + (load<f64>(at(latency1, r)) + shift1));
      store<u16>(at16(trigger, r), <u16>j1);
    } else {
      store<f64>(at(start, r), t0 + (load<f64>(at(latency0, r)) + shift0));
      store<u16>(at16(trigger, r), <u16>j0);
    }
    const z0 = load<f64>(at(size0, r));
    const z1 = load<f64>(at(size1, r));
    const z2 = load<f64>(at(size2, r));
    const order = threeUploadOrder(t0 < t1 || (t0 == t1 && z0 <= z1), t0 < t2 || (t0 == t2 && z0 <= z2), t1 < t2 || (t1 == t2 && z1 <= z2));
    const row = order * runs + r;
    store<f64>(at(writeUnits, r), load<f64>(at(threeWrite, row)));
    store<f64>(at(readUnits, r), load<f64>(at(threeRead, row)));
  }
}

// ---------------------------------------------------------------------------------------
// Accounting of a general node's arrival, at the first priced hour
// ---------------------------------------------------------------------------------------

/** One taken in-edge's upload to a sync table and its read-back, cost only. */
export function chargeUploadCost(cost: usize, taken: usize, size: usize, r0: i32, r1: i32, charge: f64, egress: f64): void {
  for (let r = r0; r < r1; r++) store<f64>(at(cost, r), load<f64>(at(cost, r)) + (load<f64>(at(taken, r)) * charge + load<f64>(at(size, r)) * egress));
}

/** One taken in-edge's upload to a sync table and its read-back: cost and carbon. */
export function chargeUpload(cost: usize, carbon: usize, taken: usize, size: usize, r0: i32, r1: i32, charge: f64, egress: f64, perGb: f64, syncGrams: f64): void {
  for (let r = r0; r < r1; r++) {
    const sent = load<f64>(at(size, r));
    const once = load<f64>(at(taken, r));
    store<f64>(at(cost, r), load<f64>(at(cost, r)) + (once * charge + sent * egress));
    store<f64>(at(carbon, r), load<f64>(at(carbon, r)) + (sent * perGb + once * syncGrams));
  }
}

/**
 * A sync node's trigger, in its runs where an in-edge triggered it (code < degree; the runs a
 * simulated edge triggered are skipped): the units of the growing item, and the notice's fixed
 * cost `noticeCost[code]`; with `priced`, its grams `noticeGrams[code]` (payload × grams per GB).
 */
export function chargeSyncTrigger(
  cost: usize, carbon: usize, trigger: usize, writeUnits: usize, readUnits: usize, list: usize, lo: i32, hi: i32,
  noticeCost: usize, noticeGrams: usize, degree: i32, priced: i32, writeCost: f64, readCost: f64,
): void {
  for (let i = lo; i < hi; i++) {
    const r = runAt(list, i);
    const code = <i32>load<u16>(at16(trigger, r));
    if (code >= degree) continue;
    store<f64>(at(cost, r), load<f64>(at(cost, r)) + (load<f64>(at(writeUnits, r)) * writeCost + load<f64>(at(readUnits, r)) * readCost + load<f64>(at(noticeCost, code))));
    if (priced) store<f64>(at(carbon, r), load<f64>(at(carbon, r)) + load<f64>(at(noticeGrams, code)));
  }
}

/**
 * The one in-edge of a target of simulated edges, in its runs where it triggered the node (code
 * 0): its SNS requests and payload's egress; with `priced`, the payload's grams.
 */
export function chargeEdgeTrigger(
  cost: usize, carbon: usize, trigger: usize, list: usize, lo: i32, hi: i32, requests: usize, size: usize,
  priced: i32, snsCost: f64, egress: f64, gramsPerGb: f64,
): void {
  for (let i = lo; i < hi; i++) {
    const r = runAt(list, i);
    if (load<u16>(at16(trigger, r)) != 0) continue;
    const payload = load<f64>(at(size, r));
    store<f64>(at(cost, r), load<f64>(at(cost, r)) + (snsCost * load<f64>(at(requests, r)) + egress * payload));
    if (priced) store<f64>(at(carbon, r), load<f64>(at(carbon, r)) + payload * gramsPerGb);
  }
}

// ---------------------------------------------------------------------------------------
// Timing: simulated edges competing with a general node's in-edges
// ---------------------------------------------------------------------------------------

/** The address held at index i of a table of 32-bit addresses. */
// @ts-ignore: decorator
@inline function addressAt(table: usize, i: i32): usize {
  return <usize>load<u32>(table + (<usize>i << 2));
}

/**
 * In the runs where simulated edges reach a general node (run list [lo, hi)): each of the run's
 * slots q, in insertion order, sends a notice when the source of the edge it rides on would have
 * called it (as `callTimes`: startA + offset · scaleA, or the end time when the offset is
 * missing); a notice called later than the best so far — at first the triggering in-edge's call —
 * triggers the node instead (ties keep the earlier). The last such slot's notice (non-execution
 * entry n) sets `trigger` to degree + q and `start` to its call time plus its latency, drawn from
 * its region pair's list: `latencyValues[offset + (u · usable | 0)] + shift`.
 *
 * Tables: `inCall[j]`, the address of in-edge j's call-time row (32-bit addresses); per DAG
 * edge e, the addresses of its source's start row `edgeStart[e]`, offset row `edgeOffset[e]` and
 * duration row `edgeDuration[e]`, and the source's runtime scale `edgeScale[e]` (doubles); per
 * entry n, four doubles at `notices + 32 n`: its latency list's offset, usable length and shift,
 * and the address of its slot's row of latency draws u. Per run, `slotCount[r]` slots; slot q
 * is `syncOrder[q · runs + r]`, riding on edge `slotSkipEdge[slot · runs + r]` with entry
 * `slotEntry[slot · runs + r]` (Int32 rows).
 */
export function slotArrivals(
  start: usize, trigger: usize, list: usize, lo: i32, hi: i32, inCall: usize,
  slotCount: usize, syncOrder: usize, slotSkipEdge: usize, slotEntry: usize,
  edgeStart: usize, edgeOffset: usize, edgeDuration: usize, edgeScale: usize, notices: usize, latencyValues: usize,
  runs: i32, degree: i32, notLogged: f64,
): void {
  for (let i = lo; i < hi; i++) {
    const r = runAt(list, i);
    const slots = load<i32>(slotCount + (<usize>r << 2));
    let bestTau = load<f64>(at(addressAt(inCall, <i32>load<u16>(at16(trigger, r))), r));
    let bestSlot = -1;
    for (let q = 0; q < slots; q++) {
      const slot = load<i32>(syncOrder + (<usize>(q * runs + r) << 2));
      const e = load<i32>(slotSkipEdge + (<usize>(slot * runs + r) << 2));
      const startA = load<f64>(at(addressAt(edgeStart, e), r));
      const logged = load<f64>(at(addressAt(edgeOffset, e), r));
      const scaleA = load<f64>(at(edgeScale, e));
      const tau = logged == logged && logged != notLogged ? startA + logged * scaleA : startA + load<f64>(at(addressAt(edgeDuration, e), r)) * scaleA;
      if (tau > bestTau) {
        bestTau = tau;
        bestSlot = q;
      }
    }
    if (bestSlot < 0) continue;
    const slot = load<i32>(syncOrder + (<usize>(bestSlot * runs + r) << 2));
    const notice = notices + (<usize>load<i32>(slotEntry + (<usize>(slot * runs + r) << 2)) << 5);
    const u = load<f64>(at(<usize>load<f64>(notice, 24), r));
    const latency = load<f64>(at(latencyValues, <i32>load<f64>(notice) + <i32>(u * load<f64>(notice, 8)))) + load<f64>(notice, 16);
    store<f64>(at(start, r), bestTau + latency);
    store<u16>(at16(trigger, r), <u16>(degree + bestSlot));
  }
}

/**
 * A general node's trigger by a simulated edge, in the runs simulated edges reach it (run list
 * [lo, hi); runs an in-edge triggered are skipped): the notice's cost (entry n's SNS request and
 * egress, `noticeCharges[2n]`), for a sync node after the units of the growing item; with
 * `priced`, its grams at the first priced hour `noticeCharges[2n + 1]`. Slot q of run r is
 * `syncOrder[q · runs + r]`, its entry `slotEntry[slot · runs + r]`.
 */
export function chargeSlotTrigger(
  cost: usize, carbon: usize, trigger: usize, writeUnits: usize, readUnits: usize, list: usize, lo: i32, hi: i32,
  syncOrder: usize, slotEntry: usize, noticeCharges: usize, runs: i32, degree: i32, sync: i32, priced: i32, writeCost: f64, readCost: f64,
): void {
  for (let i = lo; i < hi; i++) {
    const r = runAt(list, i);
    const code = <i32>load<u16>(at16(trigger, r));
    if (code < degree) continue;
    const slot = load<i32>(syncOrder + (<usize>((code - degree) * runs + r) << 2));
    const notice = noticeCharges + (<usize>load<i32>(slotEntry + (<usize>(slot * runs + r) << 2)) << 4);
    let c = load<f64>(notice);
    if (sync) c = load<f64>(at(writeUnits, r)) * writeCost + load<f64>(at(readUnits, r)) * readCost + c;
    store<f64>(at(cost, r), load<f64>(at(cost, r)) + c);
    if (priced) store<f64>(at(carbon, r), load<f64>(at(carbon, r)) + load<f64>(notice, 8));
  }
}
