// The general-node loops of batch-simulator.ts (sync nodes and targets of simulated edges), in
// AssemblyScript, compiled with kernels.ts into the same WebAssembly module (see kernels.ts for
// why, and for the rules: rows are RowArena addresses, the same IEEE operations in the same
// order as the loop each kernel replaced, hence the same bits).
//
// A general node's runs are visited through run lists (ascending Int32 run indices, a
// RunList's `runs` row) between list indices [lo, hi); trigger rows are Uint16 (the candidate
// that triggered the node: in-edge j < in-degree, else a simulated edge).

import { add, add2, both, dot2, get, get16, get2, getI32, runAt, set, set16 } from './rows';

// ---------------------------------------------------------------------------------------
// Timing: the latest-starting taken in-edge, per group of runs taking the same in-edges
// ---------------------------------------------------------------------------------------

/** Runs taking one in-edge (j): the node starts when its message arrives, and j triggers it. */
export function arriveOne(start: usize, trigger: usize, list: usize, lo: i32, hi: i32, call: usize, latency: usize, shift: f64, j: i32): void {
  for (let i = lo; i < hi; i++) {
    const r = runAt(list, i);
    set(start, r, get(call, r) + (get(latency, r) + shift));
    set16(trigger, r, j);
  }
}

/** `arriveOne` at a sync node: also the write and read units of its one upload (tabulated per run). */
export function arriveOneSync(
  start: usize, trigger: usize, writeUnits: usize, readUnits: usize, list: usize, lo: i32, hi: i32,
  call: usize, latency: usize, syncWrite: usize, syncRead: usize, shift: f64, j: i32,
): void {
  for (let i = lo; i < hi; i++) {
    const r = runAt(list, i);
    set(start, r, get(call, r) + (get(latency, r) + shift));
    set16(trigger, r, j);
    set(writeUnits, r, get(syncWrite, r));
    set(readUnits, r, get(syncRead, r));
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
    const t0 = get(call0, r);
    const t1 = get(call1, r);
    if (t1 > t0) {
      set(start, r, t1 + (get(latency1, r) + shift1));
      set16(trigger, r, j1);
    } else {
      set(start, r, t0 + (get(latency0, r) + shift0));
      set16(trigger, r, j0);
    }
    const inOrder = t0 < t1 || (t0 == t1 && get(size0, r) <= get(size1, r));
    set(writeUnits, r, inOrder ? get(syncWrite, r) : get(syncWriteSwapped, r));
    set(readUnits, r, get(syncRead, r));
  }
}

/**
 * Which of run-structure.ts's `THREE_UPLOAD_ORDERS` three uploads start in, from whether the
 * first starts no later than the second (`first01`: earlier, or at the same time and no larger —
 * the simulator's stable sort by start time, then size), the first than the third, the second
 * than the third.
 */
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
    const t0 = get(call0, r);
    const t1 = get(call1, r);
    const t2 = get(call2, r);
    if (t2 > t0 && t2 > t1) {
      set(start, r, t2 + (get(latency2, r) + shift2));
      set16(trigger, r, j2);
    } else if (t1 > t0) {
      set(start, r, t1 + (get(latency1, r) + shift1));
      set16(trigger, r, j1);
    } else {
      set(start, r, t0 + (get(latency0, r) + shift0));
      set16(trigger, r, j0);
    }
    const z0 = get(size0, r);
    const z1 = get(size1, r);
    const z2 = get(size2, r);
    const order = threeUploadOrder(t0 < t1 || (t0 == t1 && z0 <= z1), t0 < t2 || (t0 == t2 && z0 <= z2), t1 < t2 || (t1 == t2 && z1 <= z2));
    const row = order * runs + r;
    set(writeUnits, r, get(threeWrite, row));
    set(readUnits, r, get(threeRead, row));
  }
}

// ---------------------------------------------------------------------------------------
// Accounting of a general node's arrival: cost, and carbon at the priced hours
// ---------------------------------------------------------------------------------------

/** One taken in-edge's upload to a sync table and its read-back, cost only. */
export function chargeUploadCost(cost: usize, taken: usize, size: usize, r0: i32, r1: i32, charge: f64, egress: f64): void {
  const once = both(charge), sent = both(egress);
  for (let r = r0; r < r1; r += 2) add2(cost, r, dot2(get2(taken, r), once, get2(size, r), sent), r + 1 < r1);
}

/** One taken in-edge's upload to a sync table and its read-back: cost and carbon. */
export function chargeUpload(cost: usize, carbon: usize, taken: usize, size: usize, r0: i32, r1: i32, charge: f64, egress: f64, perGb: f64, syncGrams: f64): void {
  const charged = both(charge), out = both(egress), grams = both(perGb), itemGrams = both(syncGrams);
  for (let r = r0; r < r1; r += 2) {
    const whole = r + 1 < r1;
    const sent = get2(size, r);
    const once = get2(taken, r);
    add2(cost, r, dot2(once, charged, sent, out), whole);
    add2(carbon, r, dot2(sent, grams, once, itemGrams), whole);
  }
}

/**
 * A sync node's trigger, in its runs where an in-edge triggered it (code < degree; the runs a
 * simulated edge triggered are skipped): the units of the growing item, and the notice's fixed
 * cost `noticeCost[code]`; at each priced hour h < hours, its grams `noticeGrams[h · degree +
 * code]` (payload × grams per GB) into the carbon row of h (`carbon[h · runs + r]`).
 */
export function chargeSyncTrigger(
  cost: usize, carbon: usize, trigger: usize, writeUnits: usize, readUnits: usize, list: usize, lo: i32, hi: i32,
  noticeCost: usize, noticeGrams: usize, degree: i32, hours: i32, runs: i32, writeCost: f64, readCost: f64,
): void {
  for (let i = lo; i < hi; i++) {
    const r = runAt(list, i);
    const code = get16(trigger, r);
    if (code >= degree) continue;
    add(cost, r, get(writeUnits, r) * writeCost + get(readUnits, r) * readCost + get(noticeCost, code));
    for (let h = 0; h < hours; h++) add(carbon, h * runs + r, get(noticeGrams, h * degree + code));
  }
}

/**
 * The one in-edge of a target of simulated edges, in its runs where it triggered the node (code
 * 0): its SNS requests and payload's egress; at each priced hour h < hours, the payload's grams
 * (`gramsPerGb[h]` per GB) into the carbon row of h.
 */
export function chargeEdgeTrigger(
  cost: usize, carbon: usize, trigger: usize, list: usize, lo: i32, hi: i32, requests: usize, size: usize, gramsPerGb: usize,
  hours: i32, runs: i32, snsCost: f64, egress: f64,
): void {
  for (let i = lo; i < hi; i++) {
    const r = runAt(list, i);
    if (get16(trigger, r) != 0) continue;
    const payload = get(size, r);
    add(cost, r, snsCost * get(requests, r) + egress * payload);
    for (let h = 0; h < hours; h++) add(carbon, h * runs + r, payload * get(gramsPerGb, h));
  }
}

/** row += x · a + y · b (an upload's grams at a later priced hour: size · grams per GB + taken · sync-item grams). */
export function addScaledPair(row: usize, x: usize, y: usize, r0: i32, r1: i32, a: f64, b: f64): void {
  const ka = both(a), kb = both(b);
  for (let r = r0; r < r1; r += 2) add2(row, r, dot2(get2(x, r), ka, get2(y, r), kb), r + 1 < r1);
}

// ---------------------------------------------------------------------------------------
// Timing: simulated edges competing with a general node's in-edges
// ---------------------------------------------------------------------------------------

/** The row address at index i of a table of 32-bit addresses. */
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
 * entry n, `notices[4n .. 4n + 3]`: its latency list's offset, usable length and shift,
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
    const slots = getI32(slotCount, r);
    let bestTau = get(addressAt(inCall, get16(trigger, r)), r);
    let bestSlot = -1;
    for (let q = 0; q < slots; q++) {
      const slot = getI32(syncOrder, q * runs + r);
      const e = getI32(slotSkipEdge, slot * runs + r);
      const startA = get(addressAt(edgeStart, e), r);
      const logged = get(addressAt(edgeOffset, e), r);
      const scaleA = get(edgeScale, e);
      const tau = logged == logged && logged != notLogged ? startA + logged * scaleA : startA + get(addressAt(edgeDuration, e), r) * scaleA;
      if (tau > bestTau) {
        bestTau = tau;
        bestSlot = q;
      }
    }
    if (bestSlot < 0) continue;
    const slot = getI32(syncOrder, bestSlot * runs + r);
    const notice = 4 * getI32(slotEntry, slot * runs + r);
    const u = get(<usize>get(notices, notice + 3), r);
    const latency = get(latencyValues, <i32>get(notices, notice) + <i32>(u * get(notices, notice + 1))) + get(notices, notice + 2);
    set(start, r, bestTau + latency);
    set16(trigger, r, degree + bestSlot);
  }
}

/**
 * A general node's trigger by a simulated edge, in the runs simulated edges reach it (run list
 * [lo, hi); runs an in-edge triggered are skipped): the notice's cost (entry n's SNS request and
 * egress), for a sync node after the units of the growing item, and at each priced hour h <
 * hours its grams into the carbon row of h. Entry n's charges are `noticeCharges[n · (1 +
 * hours)]` (cost) and `[n · (1 + hours) + 1 + h]` (grams). Slot q of run r is
 * `syncOrder[q · runs + r]`, its entry `slotEntry[slot · runs + r]`.
 */
export function chargeSlotTrigger(
  cost: usize, carbon: usize, trigger: usize, writeUnits: usize, readUnits: usize, list: usize, lo: i32, hi: i32,
  syncOrder: usize, slotEntry: usize, noticeCharges: usize, runs: i32, degree: i32, sync: i32, hours: i32, writeCost: f64, readCost: f64,
): void {
  for (let i = lo; i < hi; i++) {
    const r = runAt(list, i);
    const code = get16(trigger, r);
    if (code < degree) continue;
    const slot = getI32(syncOrder, (code - degree) * runs + r);
    const notice = (1 + hours) * getI32(slotEntry, slot * runs + r);
    let c = get(noticeCharges, notice);
    if (sync) c = get(writeUnits, r) * writeCost + get(readUnits, r) * readCost + c;
    add(cost, r, c);
    for (let h = 0; h < hours; h++) add(carbon, h * runs + r, get(noticeCharges, notice + 1 + h));
  }
}
