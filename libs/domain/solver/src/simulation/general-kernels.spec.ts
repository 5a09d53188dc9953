import { describe, expect, it } from 'vitest';
import { kernelsFor } from './kernels';
import { RowArena } from './row-arena';
import { THREE_UPLOAD_ORDERS } from './run-structure';

/** Rows of 6 runs in one arena, filled from plain arrays. */
function rig() {
  const arena = new RowArena();
  const kernels = kernelsFor(arena);
  const f64 = (values: number[] | number = 0) => (typeof values === 'number' ? arena.f64(6).fill(values) : arena.copyOf(Float64Array.from(values)));
  const list = (runs: number[]) => arena.copyOf(Int32Array.from(runs));
  const trigger = (codes: number[] = [9, 9, 9, 9, 9, 9]) => arena.copyOf(Uint16Array.from(codes));
  return { arena, kernels, f64, list, trigger };
}

describe('the general-node kernels', () => {
  it('arriveOne and arriveOneSync: the run list\'s runs [lo, hi) start at call + (latency + shift), triggered by j', () => {
    const { kernels, f64, list, trigger } = rig();
    const start = f64(-1);
    const codes = trigger();
    const call = f64([10, 20, 30, 40, 50, 60]);
    const latency = f64([1, 2, 3, 4, 5, 6]);
    const runs = list([0, 2, 3, 5]);
    kernels.arriveOne(start.byteOffset, codes.byteOffset, runs.byteOffset, 1, 3, call.byteOffset, latency.byteOffset, 0.5, 7);
    expect([...start]).toEqual([-1, -1, 33.5, 44.5, -1, -1]);
    expect([...codes]).toEqual([9, 9, 7, 7, 9, 9]);

    const write = f64(0);
    const read = f64(0);
    const syncWrite = f64([100, 200, 300, 400, 500, 600]);
    const syncRead = f64([1000, 2000, 3000, 4000, 5000, 6000]);
    kernels.arriveOneSync(
      start.byteOffset, codes.byteOffset, write.byteOffset, read.byteOffset, runs.byteOffset, 3, 4,
      call.byteOffset, latency.byteOffset, syncWrite.byteOffset, syncRead.byteOffset, 0.25, 65535,
    );
    expect([start[5], codes[5], write[5], read[5]]).toEqual([66.25, 65535, 600, 6000]);
    expect([...write.subarray(0, 5)]).toEqual([0, 0, 0, 0, 0]);
  });

  it('arriveTwo: the later call triggers (the first on a tie or NaN); the uploads\' order by time, then size, picks the write units', () => {
    const { kernels, f64, list, trigger } = rig();
    const start = f64(-1);
    const codes = trigger();
    const write = f64(0);
    const read = f64(0);
    //                  later 1  later 0  tie, z0≤z1  tie, z0>z1  NaN  unlisted
    const call0 = f64([1,       5,       3,          3,          NaN, 1]);
    const call1 = f64([2,       4,       3,          3,          1,   2]);
    const size0 = f64([0,       0,       1,          2,          0,   0]);
    const size1 = f64([0,       0,       1,          1,          0,   0]);
    const latency0 = f64(10);
    const latency1 = f64(20);
    const inOrder = f64(1);
    const swapped = f64(2);
    const syncRead = f64(3);
    kernels.arriveTwo(
      start.byteOffset, codes.byteOffset, write.byteOffset, read.byteOffset, list([0, 1, 2, 3, 4, 5]).byteOffset, 0, 5,
      call0.byteOffset, latency0.byteOffset, size0.byteOffset, call1.byteOffset, latency1.byteOffset, size1.byteOffset,
      inOrder.byteOffset, swapped.byteOffset, syncRead.byteOffset, 0.5, 0.25, 4, 2,
    );
    expect([...start]).toEqual([22.25, 15.5, 13.5, 13.5, NaN, -1]);
    expect([...codes]).toEqual([2, 4, 4, 4, 4, 9]);
    expect([...write]).toEqual([1, 2, 1, 2, 2, 0]);
    expect([...read]).toEqual([3, 3, 3, 3, 3, 0]);
  });

  it('arriveThree: the latest call triggers (the first on a tie), and the uploads\' order picks its row of units', () => {
    const { arena, kernels, f64, list, trigger } = rig();
    const runs = 6;
    const start = f64(-1);
    const codes = trigger();
    const write = f64(0);
    const read = f64(0);
    // One run per order of THREE_UPLOAD_ORDERS: call times rank the uploads, and in run 5 a tie of all three is broken by size.
    const calls = [f64(0), f64(0), f64(0)];
    const sizes = [f64(1), f64(1), f64(1)];
    THREE_UPLOAD_ORDERS.forEach((order, r) => order.forEach((upload, rank) => (calls[upload]![r] = r < 5 ? rank : 7)));
    THREE_UPLOAD_ORDERS[5].forEach((upload, rank) => (sizes[upload]![5] = rank));
    const latencies = [f64(10), f64(20), f64(30)];
    // Units of order o in run r: 100·o + r (write), 1000·o + r (read).
    const threeWrite = arena.f64(6 * runs);
    const threeRead = arena.f64(6 * runs);
    for (let o = 0; o < 6; o++)
      for (let r = 0; r < runs; r++) {
        threeWrite[o * runs + r] = 100 * o + r;
        threeRead[o * runs + r] = 1000 * o + r;
      }
    kernels.arriveThree(
      start.byteOffset, codes.byteOffset, write.byteOffset, read.byteOffset, list([0, 1, 2, 3, 4, 5]).byteOffset, 0, 6,
      calls[0]!.byteOffset, latencies[0]!.byteOffset, sizes[0]!.byteOffset,
      calls[1]!.byteOffset, latencies[1]!.byteOffset, sizes[1]!.byteOffset,
      calls[2]!.byteOffset, latencies[2]!.byteOffset, sizes[2]!.byteOffset,
      threeWrite.byteOffset, threeRead.byteOffset, runs, 0.5, 0.25, 0.125, 3, 4, 5,
    );
    // The last upload of each order starts at 2 and triggers; run 5's tie goes to the first in-edge.
    const last = THREE_UPLOAD_ORDERS.map((order) => order[2]);
    expect([...codes]).toEqual([...last.slice(0, 5).map((x) => 3 + x), 3]);
    expect([...start]).toEqual([...last.slice(0, 5).map((x) => 2 + (10 * (x + 1) + [0.5, 0.25, 0.125][x]!)), 7 + 10.5]);
    expect([...write]).toEqual([0, 101, 202, 303, 404, 505]);
    expect([...read]).toEqual([0, 1001, 2002, 3003, 4004, 5005]);
  });

  it('chargeUpload and chargeUploadCost add one upload\'s charges within runs [r0, r1)', () => {
    const { kernels, f64 } = rig();
    const cost = f64(1);
    const carbon = f64(2);
    const taken = f64([1, 1, 0, 1, 1, 1]);
    const size = f64([0.5, 0.25, 0, 1, 2, 4]);
    kernels.chargeUpload(cost.byteOffset, carbon.byteOffset, taken.byteOffset, size.byteOffset, 1, 5, 3, 4, 8, 16);
    expect([...cost]).toEqual([1, 1 + (3 + 1), 1, 1 + (3 + 4), 1 + (3 + 8), 1]);
    expect([...carbon]).toEqual([2, 2 + (2 + 16), 2, 2 + (8 + 16), 2 + (16 + 16), 2]);
    kernels.chargeUploadCost(cost.byteOffset, taken.byteOffset, size.byteOffset, 0, 1, 3, 4);
    expect(cost[0]).toBe(1 + (3 + 2));
  });

  it('chargeSyncTrigger charges the triggering in-edge\'s notice and the units, at every priced hour, and skips runs a simulated edge triggered', () => {
    const { arena, kernels, f64, list, trigger } = rig();
    const cost = f64(1);
    const carbon = arena.f64(2 * 6).fill(2); // two priced hours
    const codes = trigger([0, 1, 2, 1, 0, 0]); // degree 2: code 2 is a simulated edge
    const write = f64([1, 2, 3, 4, 5, 6]);
    const read = f64([10, 20, 30, 40, 50, 60]);
    const noticeCost = arena.copyOf(Float64Array.of(0.5, 0.25));
    const noticeGrams = arena.copyOf(Float64Array.of(100, 200, /* hour 1: */ 1000, 2000));
    const runs = list([1, 2, 3, 5]);
    kernels.chargeSyncTrigger(
      cost.byteOffset, carbon.byteOffset, codes.byteOffset, write.byteOffset, read.byteOffset, runs.byteOffset, 0, 4,
      noticeCost.byteOffset, noticeGrams.byteOffset, 2, 2, 6, 2, 0.5,
    );
    expect([...cost]).toEqual([1, 1 + (4 + 10 + 0.25), 1, 1 + (8 + 20 + 0.25), 1, 1 + (12 + 30 + 0.5)]);
    expect([...carbon]).toEqual([2, 202, 2, 202, 2, 102, 2, 2002, 2, 2002, 2, 1002]);
    // Unpriced: cost only.
    kernels.chargeSyncTrigger(
      cost.byteOffset, carbon.byteOffset, codes.byteOffset, write.byteOffset, read.byteOffset, runs.byteOffset, 3, 4,
      noticeCost.byteOffset, noticeGrams.byteOffset, 2, 0, 6, 2, 0.5,
    );
    expect([cost[5], carbon[5], carbon[11]]).toEqual([1 + (12 + 30 + 0.5) + (12 + 30 + 0.5), 102, 1002]);
  });

  it('chargeEdgeTrigger charges the in-edge\'s SNS requests and payload where it triggered (code 0), at every priced hour', () => {
    const { arena, kernels, f64, list, trigger } = rig();
    const cost = f64(1);
    const carbon = arena.f64(2 * 6).fill(2);
    const codes = trigger([0, 1, 0, 0, 3, 0]);
    const requests = f64([1, 2, 3, 4, 5, 6]);
    const size = f64([0.5, 1, 2, 4, 8, 16]);
    const gramsPerGb = arena.copyOf(Float64Array.of(10, 100));
    kernels.chargeEdgeTrigger(cost.byteOffset, carbon.byteOffset, codes.byteOffset, list([0, 1, 3, 4]).byteOffset, 0, 4, requests.byteOffset, size.byteOffset, gramsPerGb.byteOffset, 2, 6, 2, 4);
    expect([...cost]).toEqual([1 + (2 + 2), 1, 1, 1 + (8 + 16), 1, 1]);
    expect([...carbon]).toEqual([2 + 5, 2, 2, 2 + 40, 2, 2, 2 + 50, 2, 2, 2 + 400, 2, 2]);
    kernels.chargeEdgeTrigger(cost.byteOffset, carbon.byteOffset, codes.byteOffset, list([5]).byteOffset, 0, 1, requests.byteOffset, size.byteOffset, gramsPerGb.byteOffset, 0, 6, 2, 4);
    expect([cost[5], carbon[5], carbon[11]]).toEqual([1 + (12 + 64), 2, 2]);
  });

  it('addScaledPair adds x · a + y · b within runs [r0, r1)', () => {
    const { kernels, f64 } = rig();
    const row = f64(1);
    kernels.addScaledPair(row.byteOffset, f64([1, 2, 3, 4, 5, 6]).byteOffset, f64(0.5).byteOffset, 2, 4, 10, 4);
    expect([...row]).toEqual([1, 1, 1 + (30 + 2), 1 + (40 + 2), 1, 1]);
  });
});

describe('the simulated-edge kernels', () => {
  it('slotArrivals: the last notice called later than the best so far triggers, and arrives after its latency', () => {
    const { arena, kernels, f64, list, trigger } = rig();
    const runs = 6;
    const notLogged = -Infinity;
    // Two DAG edges the notices ride on (0 and 1), sources scaled by 2 and 3; edge 1 logs no offset in run 3 and a null one in run 5.
    const sourceStart = [f64([0, 0, 0, 0, 0, 0]), f64([1, 1, 1, 1, 1, 1])];
    const offset = [f64([1, 1, 1, 1, 5, 1]), f64([2, 2, 2, notLogged, 2, NaN])];
    const duration = [f64(10), f64(4)];
    const table = (values: number[]) => arena.copyOf(Int32Array.from(values));
    const edgeStart = table(sourceStart.map((row) => row.byteOffset));
    const edgeOffset = table(offset.map((row) => row.byteOffset));
    const edgeDuration = table(duration.map((row) => row.byteOffset));
    const edgeScale = arena.copyOf(Float64Array.of(2, 3));
    // The node's in-edges' call times (degree 2), and which one triggered it.
    const inCalls = [f64([5, 5, 5, 5, 5, 5]), f64([1, 8, 1, 1, 1, 1])];
    const inCall = table(inCalls.map((row) => row.byteOffset));
    const codes = trigger([0, 1, 0, 0, 0, 0]);
    const start = f64(-1);
    // Per run: slots in insertion order (at most two), the edge each rides on, its entry (slot s carries entry s).
    const slotCount = table([2, 1, 2, 1, 2, 1]);
    const syncOrder = table([0, 0, 0, 0, 0, 0, /* q = 1: */ 1, 0, 1, 0, 1, 0]);
    const slotSkipEdge = table([/* slot 0: */ 0, 0, 1, 1, 1, 1, /* slot 1: */ 1, 0, 0, 0, 0, 0]);
    const slotEntry = table([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    // Latency lists: entry 0 draws from [100, 200, 300, 400] (usable 3) plus 0.5, entry 1 from [1000, 2000] plus 0.25.
    const latencyValues = arena.copyOf(Float64Array.of(100, 200, 300, 400, 1000, 2000));
    const draws = [f64([0, 0.5, 0.99, 0.34, 0, 0]), f64([0.5, 0, 0, 0, 0.49, 0])];
    const notices = arena.copyOf(Float64Array.of(0, 3, 0.5, draws[0]!.byteOffset, 4, 2, 0.25, draws[1]!.byteOffset));
    kernels.slotArrivals(
      start.byteOffset, codes.byteOffset, list([0, 1, 2, 3, 4, 5]).byteOffset, 0, 6, inCall.byteOffset,
      slotCount.byteOffset, syncOrder.byteOffset, slotSkipEdge.byteOffset, slotEntry.byteOffset,
      edgeStart.byteOffset, edgeOffset.byteOffset, edgeDuration.byteOffset, edgeScale.byteOffset, notices.byteOffset, latencyValues.byteOffset,
      runs, 2, notLogged,
    );
    // Run 0: slot 0 calls at 0 + 1·2 = 2 < 5; slot 1 at 1 + 2·3 = 7 > 5 wins (code 2 + 1), draw 0.5 of 2 → 2000.
    // Run 1: in-edge 1 called at 8; slot 0 at 2 loses. Run 2: slot 0 at 7 wins (draw 0.99 of 3 → 300), slot 1 at 2 does not.
    // Run 3: slot 0 (edge 1, not logged) at 1 + 4·3 = 13 wins (0.34 of 3 → 200). Run 4: slot 0 at 7, then slot 1 at 0 + 5·2 = 10
    // (0.49 of 2 → 1000). Run 5: slot 0 (edge 1, a null offset) at the end time too, 13 (0 → 100).
    expect([...codes]).toEqual([3, 1, 2, 2, 3, 2]);
    expect([...start]).toEqual([7 + 2000.25, -1, 7 + 300.5, 13 + 200.5, 10 + 1000.25, 13 + 100.5]);
  });

  it('chargeSlotTrigger charges the triggering notice (after a sync node\'s units), at every priced hour, where a simulated edge triggered', () => {
    const { arena, kernels, f64, list, trigger } = rig();
    const runs = 6;
    const cost = f64(1);
    const carbon = arena.f64(2 * 6).fill(2); // two priced hours
    const codes = trigger([2, 0, 3, 2, 1, 3]); // degree 2: codes 2 and 3 are slots 0 and 1 of the run
    const table = (values: number[]) => arena.copyOf(Int32Array.from(values));
    const syncOrder = table([0, 0, 1, 1, 0, 0, /* q = 1: */ 1, 1, 0, 0, 1, 1]);
    const slotEntry = table([/* slot 0: */ 0, 0, 0, 0, 0, 0, /* slot 1: */ 1, 1, 1, 1, 1, 1]);
    // Per entry: its cost, then its grams at each of two priced hours.
    const noticeCharges = arena.copyOf(Float64Array.of(0.5, 10, 11, 0.25, 20, 21));
    const write = f64([1, 2, 3, 4, 5, 6]);
    const read = f64([10, 20, 30, 40, 50, 60]);
    const all = list([0, 1, 2, 3, 4, 5]);
    kernels.chargeSlotTrigger(
      cost.byteOffset, carbon.byteOffset, codes.byteOffset, write.byteOffset, read.byteOffset, all.byteOffset, 0, 4,
      syncOrder.byteOffset, slotEntry.byteOffset, noticeCharges.byteOffset, runs, 2, 1, 2, 2, 0.5,
    );
    // Run 0: slot 0 (entry 0); run 2: q = 1 → slot 0 (entry 0); run 3: q = 0 → slot 1 (entry 1); run 1 an in-edge.
    expect([...cost]).toEqual([1 + (2 + 5 + 0.5), 1, 1 + (6 + 15 + 0.5), 1 + (8 + 20 + 0.25), 1, 1]);
    expect([...carbon]).toEqual([12, 2, 12, 22, 2, 2, 13, 2, 13, 23, 2, 2]);
    // Not a sync node, unpriced (entries' cost only): the notice's charge only.
    kernels.chargeSlotTrigger(
      cost.byteOffset, carbon.byteOffset, codes.byteOffset, 0, 0, all.byteOffset, 4, 6,
      syncOrder.byteOffset, slotEntry.byteOffset, arena.copyOf(Float64Array.of(0.5, 0.25)).byteOffset, runs, 2, 0, 0, 2, 0.5,
    );
    expect([cost[4], cost[5], carbon[5]]).toEqual([1, 1 + 0.25, 2]);
  });
});
