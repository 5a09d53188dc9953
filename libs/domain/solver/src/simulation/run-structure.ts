import { CaribouError } from '@caribou/domain-common';
import { NOT_LOGGED, type CompiledModel } from '@caribou/domain-model';
import { DrawTable, drawLayout, type DrawLayout } from './draws';
import { heapRows, type RowAllocator } from './row-arena';

const KIB_PER_GIB = 1048576;

/**
 * Runs are simulated in chunks of this many, node by node. One chunk holds all of the
 * reference's 2000 runs: a pass per node over the whole evaluation is about 8 % faster than
 * passes over chunks of 200 (measured on 30 × 20: fewer loop set-ups, longer streams for the
 * prefetcher), and the per-run accumulators (48 KB at one hour) still fit in L2. The reference's
 * batches of 200 runs align with the grid.
 */
export const RUNS_PER_CHUNK = 2000;

/**
 * The orders three uploads can start in (indices among the taken in-edges), numbered as
 * `threeUploadOrder` in assembly/general-kernels.ts numbers them (the `arriveThree` kernel picks
 * a run's tabulated units by that number).
 */
export const THREE_UPLOAD_ORDERS = [
  [0, 1, 2],
  [0, 2, 1],
  [2, 0, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 1, 0],
] as const;

/** Runs in ascending order, and for every chunk c the index of its first run ≥ c · RUNS_PER_CHUNK. */
export interface RunList {
  runs: Int32Array;
  chunkStart: Int32Array;
}

function runList(runs: readonly number[], totalRuns: number, arena: RowAllocator): RunList {
  const list = arena.i32(runs.length);
  list.set(runs);
  const chunks = Math.ceil(totalRuns / RUNS_PER_CHUNK);
  const chunkStart = new Int32Array(chunks + 1);
  for (let c = 0; c <= chunks; c++) chunkStart[c] = lowerBound(list, c * RUNS_PER_CHUNK);
  return { runs: list, chunkStart };
}

/** Index in `list` of its first run ≥ `run` (its length when none). */
export function indexOfRun(list: RunList, run: number): number {
  return run % RUNS_PER_CHUNK === 0 && run / RUNS_PER_CHUNK < list.chunkStart.length
    ? list.chunkStart[run / RUNS_PER_CHUNK]!
    : lowerBound(list.runs, run);
}

function lowerBound(list: Int32Array, value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How a node is reached, which decides how its arrival is simulated. */
export const enum NodeKind {
  /** The entry point: the client's call (and the redirector) start it. */
  Start = 0,
  /** One in-edge and no simulated edges into it: it starts when that edge's message arrives. */
  Simple = 1,
  /** A sync node (in-degree > 1) or the target of simulated edges: the latest-starting candidate triggers it. */
  General = 2,
  /** No in-edge and not the entry point: it never runs. */
  Unreachable = 3,
}

/**
 * One node's executions drawn from one execution dataset, per run (zero where it does not run):
 * the measured duration (before the region's runtime scale), the data transferred during the
 * execution, and for every out-edge the logged offset of that call (before scaling).
 */
export interface ExecutionRows {
  durationSeconds: Float64Array;
  transferDuringExecutionGb: Float64Array;
  /** Per out-edge of the node (see `RunStructure.outEdges`). NaN = null in the data, NOT_LOGGED = no column. */
  callOffset: Float64Array[];
  /** Per out-edge: 1 when every run the node runs in has a usable offset (no fall-back to the end time). */
  allLogged: Uint8Array;
}

/** Per run of a general node: the in-edges taken (indices among its in-edges), grouped. */
export interface TakenGroup {
  inEdgeIndices: Int32Array;
  runs: RunList;
}

/**
 * Everything about a set of Monte-Carlo runs that does not depend on where the functions run,
 * derived once per seed from the draw table (reference-solver.md §3): which nodes run, which
 * edges are taken or skipped, which sizes are sent, which executions are drawn, which simulated
 * edges exist. Per-run rows hold zeros where a node does not run or an edge is not taken, so
 * that the simulator's loops over a chunk of runs need no tests.
 *
 * Nodes: instances 0..N-1, the client N, the redirector N+1. Edges: DAG edges 0..E-1, the client
 * edge E, the redirector hop E+1 (numbering of `CompiledModel`). A structure covers runs
 * [firstRun, firstRun + runs) of the seed (a worker thread holds its share); rows and run lists
 * use run − firstRun.
 */
export class RunStructure {
  readonly layout: DrawLayout;
  readonly draws: DrawTable;
  /** 1 in the reference's `list[int(U·(len−1))]` mode (the last element is never drawn), else 0. */
  readonly shrink: number;
  readonly kind: Uint8Array;
  /** 1 when simulated edges (non-execution notices) can reach the node. */
  readonly hasSlots: Uint8Array;
  /** Per run: the placement decision is read at the function (not by the client). */
  readonly wpdAtFunction: Uint8Array;
  /** Per node (instances): 1 in the runs it runs in. Per node incl. the redirector: the same as 0/1 doubles. */
  readonly invoked: Uint8Array[];
  readonly ranWeight: Float64Array[];
  /** Per DAG edge: 1 in the runs it is taken (its source ran and its coin came up). */
  readonly taken: Uint8Array[];
  readonly takenWeight: Float64Array[];
  /** Per DAG edge: 1.0 in the runs its source ran but it was not taken (non-execution notices are sent). */
  readonly skippedWeight: Float64Array[];
  readonly skippedRuns: RunList[];
  /** Per edge (incl. client and redirector hop): the size sent, its SNS requests and size bucket; 0 where not taken. */
  readonly sizeGb: Float64Array[];
  readonly snsRequests: Float64Array[];
  readonly sizeBucket: Int32Array[];
  /**
   * Per DAG edge: the latency drawn from the list of the home → home region pair (for the run's
   * size bucket), without that pair's shift; −Infinity where the edge is not taken. Most region
   * pairs use this very list plus a shift (the missing-data model), see `conformingShift`.
   */
  readonly homePairLatency: Float64Array[];
  /** Per node (instances and the redirector): its out-edges, in successor order. */
  readonly outEdges: Int32Array[];
  /** Per node: its in-edges (creation order). */
  readonly inEdges: Int32Array[];
  /** Per node: runs it runs in (the redirector: runs that read the placement decision at the function). */
  readonly runsOf: RunList[];
  /** Per general node: its runs grouped by the set of taken in-edges. */
  readonly takenGroups: TakenGroup[][];
  /** Simulated edges, `[slot · runs + run]`: the non-execution entry, the skipped edge it rides on. */
  readonly slotEntry: Int32Array;
  readonly slotSkipEdge: Int32Array;
  /** Per (node, run): the slots into the node in insertion order, `[(syncOrderBase[v] + q) · runs + run]`. */
  readonly syncOrder: Int32Array;
  readonly syncOrderCount: Int32Array;
  /** Per general node: the runs in which simulated edges reach it. */
  readonly runsWithSlots: RunList[];
  /** Per node: row of the sync-upload tables (-1 unless in-degree > 1). */
  readonly syncUploadRow: Int32Array;
  /** Per (sync row, run): write units of one upload or of two in order, of two swapped; read units. */
  readonly syncWriteUnits: Float64Array;
  readonly syncWriteUnitsSwapped: Float64Array;
  readonly syncReadUnits: Float64Array;
  /** Per node: row of the three-upload tables (-1 unless in-degree ≥ 3). */
  readonly threeUploadRow: Int32Array;
  /**
   * Per (three-upload row, upload order, run), `[(row · 6 + order) · runs + run]`: write and read
   * units of three uploads started in that order (`THREE_UPLOAD_ORDERS`), in the runs that take
   * exactly three in-edges.
   */
  readonly threeUploadWriteUnits: Float64Array;
  readonly threeUploadReadUnits: Float64Array;
  private readonly executionRows = new Map<number, ExecutionRows>();

  constructor(
    readonly model: CompiledModel,
    readonly runs: number,
    batchSize: number,
    seed: number,
    /** First (absolute) run covered; rows are indexed by run − firstRun. */
    readonly firstRun = 0,
    /** Where the per-run rows live (the simulator's, so that its WebAssembly kernels can read them). */
    readonly arena: RowAllocator = heapRows,
  ) {
    const m = model;
    const N = m.instanceCount;
    const edges = m.edgeFrom.length;
    const E = m.clientEdge;
    this.shrink = m.referenceQuirks ? 1 : 0;
    this.layout = drawLayout(m);
    this.draws = new DrawTable(this.layout, runs, batchSize, seed, firstRun, arena);

    this.inEdges = [];
    this.outEdges = [];
    for (let v = 0; v < N; v++) {
      this.inEdges.push(m.inEdges.slice(m.inEdgeStart[v]!, m.inEdgeStart[v + 1]!));
      this.outEdges.push(m.outEdges.slice(m.outEdgeStart[v]!, m.outEdgeStart[v + 1]!));
    }
    this.inEdges.push(new Int32Array(0), new Int32Array(0));
    this.outEdges.push(new Int32Array(0), Int32Array.of(m.redirectorEdge));

    this.hasSlots = new Uint8Array(N);
    for (let n = 0; n < m.nonExecSyncNode.length; n++) this.hasSlots[m.nonExecSyncNode[n]!] = 1;
    this.kind = new Uint8Array(N);
    for (let v = 0; v < N; v++) {
      const degree = this.inEdges[v]!.length;
      if (v === m.startHop) this.kind[v] = NodeKind.Start;
      else if (degree === 0) this.kind[v] = NodeKind.Unreachable;
      else if (degree === 1 && !this.hasSlots[v]) this.kind[v] = NodeKind.Simple;
      else this.kind[v] = NodeKind.General;
    }

    const rows = <T>(count: number, make: () => T): T[] => Array.from({ length: count }, make);
    this.wpdAtFunction = arena.u8(runs);
    this.invoked = rows(N, () => arena.u8(runs));
    this.taken = rows(E, () => arena.u8(runs));
    this.takenWeight = rows(E, () => arena.f64(runs));
    this.skippedWeight = rows(E, () => arena.f64(runs));
    this.sizeGb = rows(edges, () => arena.f64(runs));
    this.snsRequests = rows(edges, () => arena.f64(runs));
    this.sizeBucket = rows(edges, () => arena.i32(runs));
    this.slotEntry = arena.i32(m.slotCount * runs).fill(-1);
    this.slotSkipEdge = arena.i32(m.slotCount * runs);
    this.syncOrder = arena.i32(m.slotCount * runs);
    this.syncOrderCount = arena.i32(N * runs);
    this.deriveRuns();

    const weights = (flags: Uint8Array): Float64Array => {
      const row = arena.f64(runs);
      row.set(flags);
      return row;
    };
    this.ranWeight = this.invoked.map(weights);
    this.ranWeight.push(arena.f64(runs), weights(this.wpdAtFunction));
    for (let e = 0; e < E; e++) this.takenWeight[e]!.set(this.taken[e]!);
    const listOf = (flags: Uint8Array): RunList => {
      const list: number[] = [];
      for (let r = 0; r < runs; r++) if (flags[r]) list.push(r);
      return runList(list, runs, arena);
    };
    this.runsOf = this.invoked.map(listOf);
    this.runsOf.push(runList([], runs, arena), listOf(this.wpdAtFunction));
    this.skippedRuns = this.skippedWeight.map((weights) => listOf(Uint8Array.from(weights)));
    this.takenGroups = [];
    for (let v = 0; v < N; v++) this.takenGroups.push(this.kind[v] === NodeKind.General ? this.groupByTakenEdges(v) : []);
    this.runsWithSlots = [];
    for (let v = 0; v < N; v++) {
      const withSlots: number[] = [];
      if (this.hasSlots[v]) for (const r of this.runsOf[v]!.runs) if (this.syncOrderCount[v * runs + r]! > 0) withSlots.push(r);
      this.runsWithSlots.push(runList(withSlots, runs, arena));
    }
    this.homePairLatency = rows(E, () => arena.f64(runs));
    for (let e = 0; e < E; e++) this.drawHomePairLatencies(e);

    this.syncUploadRow = new Int32Array(N).fill(-1);
    let syncRows = 0;
    for (let v = 0; v < N; v++) if (this.inEdges[v]!.length > 1) this.syncUploadRow[v] = syncRows++;
    this.syncWriteUnits = arena.f64(syncRows * runs);
    this.syncWriteUnitsSwapped = arena.f64(syncRows * runs);
    this.syncReadUnits = arena.f64(syncRows * runs);
    this.threeUploadRow = new Int32Array(N).fill(-1);
    let threeRows = 0;
    for (let v = 0; v < N; v++) if (this.inEdges[v]!.length >= 3) this.threeUploadRow[v] = threeRows++;
    this.threeUploadWriteUnits = arena.f64(threeRows * THREE_UPLOAD_ORDERS.length * runs);
    this.threeUploadReadUnits = arena.f64(threeRows * THREE_UPLOAD_ORDERS.length * runs);
    this.deriveSyncUploads();
  }

  /** Which edges are taken and which nodes run in each run, the sizes sent, the simulated edges (§3). */
  private deriveRuns(): void {
    const m = this.model;
    const runs = this.runs;
    const u = this.draws.values;
    const layout = this.layout;
    const shrink = this.shrink;
    const pickSize = (e: number, r: number): void => {
      const si = m.sizeStart[e]! + ((u[layout.size[e]! * runs + r]! * (m.sizeCount[e]! - shrink)) | 0);
      this.sizeGb[e]![r] = m.sizeGb[si]!;
      this.snsRequests[e]![r] = m.sizeSnsRequests[si]!;
      this.sizeBucket[e]![r] = m.sizeBucket[si]!;
    };
    for (let r = 0; r < runs; r++) {
      this.wpdAtFunction[r] = u[layout.wpdAtFunction * runs + r]! < m.wpdAtFunctionProbability ? 1 : 0;
      pickSize(m.clientEdge, r);
      pickSize(m.redirectorEdge, r);
      for (let t = 0; t < m.instanceCount; t++) {
        const v = m.topologicalOrder[t]!;
        let runsNode = v === m.startHop;
        if (!runsNode) {
          for (const e of this.inEdges[v]!) {
            if (!this.invoked[m.edgeFrom[e]!]![r]) continue;
            if (this.taken[e]![r]) {
              runsNode = true;
              if (m.sizeCount[e]! === 0) throw new CaribouError(`edge ${m.edgeFrom[e]} → ${v} is taken but has no transfer sizes`);
              pickSize(e, r);
            } else {
              this.skippedWeight[e]![r] = 1;
              const entriesEnd = m.nonExecStart[e]! + m.nonExecCount[e]!;
              for (let n = m.nonExecStart[e]!; n < entriesEnd; n++) {
                const slot = m.nonExecSlot[n]!;
                const sync = m.nonExecSyncNode[n]!;
                if (this.slotEntry[slot * runs + r]! < 0) {
                  const q = this.syncOrderCount[sync * runs + r]!;
                  this.syncOrder[(m.syncOrderBase[sync]! + q) * runs + r] = slot;
                  this.syncOrderCount[sync * runs + r] = q + 1;
                }
                this.slotEntry[slot * runs + r] = n;
                this.slotSkipEdge[slot * runs + r] = e;
              }
            }
          }
        }
        if (!runsNode) continue;
        this.invoked[v]![r] = 1;
        for (const e of this.outEdges[v]!) if (u[layout.coin[e]! * runs + r]! < m.edgeProbability[e]!) this.taken[e]![r] = 1;
      }
    }
  }

  private groupByTakenEdges(v: number): TakenGroup[] {
    const groups = new Map<string, { edges: number[]; runs: number[] }>();
    const inEdges = this.inEdges[v]!;
    for (const r of this.runsOf[v]!.runs) {
      const taken: number[] = [];
      inEdges.forEach((e, j) => {
        if (this.taken[e]![r]) taken.push(j);
      });
      const key = taken.join(',');
      const group = groups.get(key) ?? { edges: taken, runs: [] };
      group.runs.push(r);
      groups.set(key, group);
    }
    return [...groups.values()].map((g) => ({ inEdgeIndices: Int32Array.from(g.edges), runs: runList(g.runs, this.runs, this.arena) }));
  }

  private drawHomePairLatencies(e: number): void {
    const m = this.model;
    const runs = this.runs;
    const u = this.draws.values;
    const site = this.layout.latency[e]! * runs;
    const homePair = m.edgeLatencyBase[e]! + (m.homeRegion * m.regionCount + m.homeRegion) * m.edgeBucketCount[e]!;
    const row = this.homePairLatency[e]!;
    const taken = this.taken[e]!;
    const bucket = this.sizeBucket[e]!;
    for (let r = 0; r < runs; r++) {
      if (!taken[r]) {
        row[r] = -Infinity;
        continue;
      }
      const li = homePair + bucket[r]!;
      row[r] = m.latencyValues[m.latencyOffset[li]! + ((u[site + r]! * (m.latencyLength[li]! - this.shrink)) | 0)]!;
    }
  }

  /**
   * The shift that turns `homePairLatency[e]` into edge e's latency between regions `from` and
   * `to`, when that pair samples the home pair's lists for every size bucket with one common
   * shift (the missing-data model, and the home pair itself); null when it does not.
   */
  conformingShift(e: number, from: number, to: number): number | null {
    const m = this.model;
    const buckets = m.edgeBucketCount[e]!;
    const base = m.edgeLatencyBase[e]!;
    const pair = base + (from * m.regionCount + to) * buckets;
    const homePair = base + (m.homeRegion * m.regionCount + m.homeRegion) * buckets;
    const shift = m.latencyShift[pair]!;
    for (let b = 0; b < buckets; b++) {
      if (m.latencyOffset[pair + b] !== m.latencyOffset[homePair + b] || m.latencyLength[pair + b] !== m.latencyLength[homePair + b]) return null;
      if (m.latencyShift[pair + b] !== shift) return null;
    }
    return shift;
  }

  /**
   * Edge e's latency in every run between regions `from` and `to` (shift included; −Infinity
   * where the edge is not taken), for pairs that do not conform (see `conformingShift`).
   */
  latencyRow(e: number, from: number, to: number, into: Float64Array): void {
    const m = this.model;
    const runs = this.runs;
    const u = this.draws.values;
    const site = this.layout.latency[e]! * runs;
    const pair = m.edgeLatencyBase[e]! + (from * m.regionCount + to) * m.edgeBucketCount[e]!;
    const isDagEdge = e < m.clientEdge;
    const taken = isDagEdge ? this.taken[e]! : null;
    const bucket = this.sizeBucket[e]!;
    for (let r = 0; r < runs; r++) {
      if (taken && !taken[r]) {
        into[r] = -Infinity;
        continue;
      }
      const li = pair + bucket[r]!;
      into[r] = m.latencyValues[m.latencyOffset[li]! + ((u[site + r]! * (m.latencyLength[li]! - this.shrink)) | 0)]! + m.latencyShift[li]!;
    }
  }

  /**
   * Executions of node v (an instance, or the redirector N+1) drawn from execution dataset
   * `dataset`, in the runs it runs in; memoised (most nodes only ever use their home dataset).
   */
  executions(v: number, dataset: number): ExecutionRows {
    const m = this.model;
    const key = v * m.datasetDurationStart.length + dataset;
    let rows = this.executionRows.get(key);
    if (rows) return rows;
    const runs = this.runs;
    const u = this.draws.values;
    const shrink = this.shrink;
    const outEdges = this.outEdges[v]!;
    const columns = Array.from(outEdges, (e) => m.edgeAuxColumn[e]!);
    rows = {
      durationSeconds: this.arena.f64(runs),
      transferDuringExecutionGb: this.arena.f64(runs),
      callOffset: Array.from(outEdges, () => this.arena.f64(runs)),
      allLogged: new Uint8Array(outEdges.length).fill(1),
    };
    const durationSite = this.layout.duration[v]! * runs;
    const auxSite = this.layout.auxRow[v]! * runs;
    const choices = m.datasetDurationCount[dataset]! - shrink;
    const width = m.datasetRowWidth[dataset]!;
    for (const r of this.runsOf[v]!.runs) {
      const j = m.datasetDurationStart[dataset]! + ((u[durationSite + r]! * choices) | 0);
      const row = m.durationRowStart[j]! + ((u[auxSite + r]! * (m.durationRowCount[j]! - shrink)) | 0) * width;
      rows.durationSeconds[r] = m.durationSeconds[j]!;
      rows.transferDuringExecutionGb[r] = m.auxValues[row]!;
      for (let k = 0; k < outEdges.length; k++) {
        const logged = m.auxValues[row + columns[k]!]!;
        rows.callOffset[k]![r] = logged;
        if (logged !== logged && m.referenceQuirks)
          throw new CaribouError('auxiliary data holds a null successor time; the reference solver fails here (§12.1 #12)');
        if (logged !== logged || logged === NOT_LOGGED) rows.allLogged[k] = 0;
      }
    }
    this.executionRows.set(key, rows);
    return rows;
  }

  /**
   * Write and read units of the sync-table uploads of one, two or three uploads per run: they
   * depend on which edges are taken and on the sizes sent, not on the deployment — except on
   * the order the uploads start in (`syncWriteUnitsSwapped` when the second of two starts first;
   * one entry per order of three). Each is the simulator's sum for that order (the running total
   * in upload order, so that the rounding is the same).
   */
  private deriveSyncUploads(): void {
    const runs = this.runs;
    for (let v = 0; v < this.model.instanceCount; v++) {
      const base = this.syncUploadRow[v]! * runs;
      if (base < 0) continue;
      for (let r = 0; r < runs; r++) {
        let count = 0;
        const sizes = [0, 0, 0];
        for (const e of this.inEdges[v]!) {
          if (!this.taken[e]![r]) continue;
          if (count < 3) sizes[count] = this.sizeGb[e]![r]!;
          count++;
        }
        const [s0, s1] = sizes as [number, number, number];
        if (count === 1) {
          this.syncWriteUnits[base + r] = Math.ceil(s0 * KIB_PER_GIB);
          this.syncReadUnits[base + r] = Math.ceil((s0 * KIB_PER_GIB) / 4);
        } else if (count === 2) {
          const total = s0 + s1;
          this.syncWriteUnits[base + r] = Math.ceil(s0 * KIB_PER_GIB) + Math.ceil(total * KIB_PER_GIB);
          this.syncWriteUnitsSwapped[base + r] = Math.ceil(s1 * KIB_PER_GIB) + Math.ceil(total * KIB_PER_GIB);
          this.syncReadUnits[base + r] = Math.ceil((total * KIB_PER_GIB) / 4);
        } else if (count === 3) {
          const row = this.threeUploadRow[v]! * THREE_UPLOAD_ORDERS.length;
          THREE_UPLOAD_ORDERS.forEach((order, o) => {
            let total = 0;
            let units = 0;
            for (const i of order) {
              total += sizes[i]!;
              units += Math.ceil(total * KIB_PER_GIB);
            }
            this.threeUploadWriteUnits[(row + o) * runs + r] = units;
            this.threeUploadReadUnits[(row + o) * runs + r] = Math.ceil((total * KIB_PER_GIB) / 4);
          });
        }
      }
    }
  }

  /** Bytes held by the per-seed rows (draws included), for the memory bound. */
  get bytes(): number {
    let total = this.draws.values.byteLength;
    const add = (rows: ArrayLike<{ byteLength: number }>): void => {
      for (let i = 0; i < rows.length; i++) total += rows[i]!.byteLength;
    };
    add(this.invoked);
    add(this.ranWeight);
    add(this.taken);
    add(this.takenWeight);
    add(this.skippedWeight);
    add(this.sizeGb);
    add(this.snsRequests);
    add(this.sizeBucket);
    add(this.homePairLatency);
    for (const rows of this.executionRows.values()) {
      total += rows.durationSeconds.byteLength * (2 + rows.callOffset.length);
    }
    total += this.slotEntry.byteLength * 3 + this.syncOrderCount.byteLength + this.syncWriteUnits.byteLength * 3;
    total += this.threeUploadWriteUnits.byteLength * 2;
    return total;
  }
}
