import { CaribouError } from '@caribou/domain-common';
import { NOT_LOGGED, type CompiledModel } from '@caribou/domain-model';
import type { SampleBlock } from '../metrics';
import type { DrawLayout, DrawTable } from './draws';
import { indexOfRun, NodeKind, RunStructure, RUNS_PER_CHUNK, THREE_UPLOAD_ORDERS, type ExecutionRows } from './run-structure';
import { kernelsFor, type Kernels } from './kernels';
import { RowArena } from './row-arena';
import { timingStateKey, DownstreamSets, TimingStates, type StateShape, type TimingState } from './timing-states';

const KIB_PER_GIB = 1048576;

/** Memory for latency rows of region pairs that do not sample the home pair's lists (per simulator). */
const LATENCY_MEMO_BYTES = 16 * 1024 * 1024;

/**
 * Memory for the timing states of recently evaluated deployments (per simulator): 64 MiB holds
 * about 40 states of a 100-function workflow over 2000 runs (a state is ~8 bytes per instance and
 * run, plus a few rows per sync node), more when neighbours share rows with their base.
 */
export const TIMING_STATE_BYTES = 64 * 1024 * 1024;

export interface SimulatorOptions {
  /** First (absolute) run this simulator covers; it covers `runs` runs from there. */
  firstRun?: number;
  latencyMemoBytes?: number;
  timingStateBytes?: number;
}

const EMPTY = new Float64Array(0);

/**
 * Where `slotArrivals` finds the call time of any DAG edge and of the node's in-edges — row
 * addresses (read as unsigned 32-bit: an Int32Array wraps addresses past 2 GiB to negative
 * numbers, the kernel reads the same bits back) and scales — and each notice's latency list
 * (offset, usable length, shift, address of its draws), valid for deployment `version`.
 */
interface SlotTables {
  version: number;
  inCall: Int32Array;
  edgeStart: Int32Array;
  edgeOffset: Int32Array;
  edgeDuration: Int32Array;
  edgeScale: Float64Array;
  notices: Float64Array;
  latencyValues: Float64Array;
}

/**
 * Monte-Carlo runs of reference-solver.md §3 over a compiled model, all runs of an evaluation at
 * once, node by node in topological order, in chunks of runs.
 *
 * Two halves, kept apart because they change for different reasons:
 * - **Timing** — when each node starts, which candidate triggers a sync node — is computed
 *   exactly as the spec's run does (the same floating-point operations in the same order), and
 *   kept per deployment (`TimingState`). A neighbouring deployment recomputes it only for the
 *   nodes whose region changed and everything downstream of them, and reuses the rest.
 * - **Accounting** — cost, and carbon at each requested hour — is linear in per-run quantities
 *   that do not depend on regions (sizes sent, SNS requests, durations drawn, data transferred
 *   during execution, whether an edge was skipped) with coefficients that do (prices, runtime
 *   scale, grid intensities). Every node adds `Σ coefficient · quantity` to the run's totals, in
 *   topological order, for every evaluation; unused runs hold zeros in the quantity rows.
 *
 * An evaluation from a base state therefore gives bit-for-bit the samples of a full one.
 */
export class BatchSimulator {
  readonly runs: number;
  readonly firstRun: number;
  readonly structure: RunStructure;
  /** Every per-run row the loops read or write, in one WebAssembly memory for the kernels. */
  private readonly arena: RowArena;
  private readonly kernels: Kernels;
  private readonly m: CompiledModel;
  private readonly N: number;
  private readonly R: number;
  private readonly K: number;
  /** Hour slots of the model's carbon intensities (24 hours and the daily average). */
  private readonly hourSlotCount: number;
  private readonly energy: number;
  private readonly halfEnergy: number;
  private readonly unknownGramsPerGb: number;
  /** Per DAG edge: its position among its source's out-edges. */
  private readonly outPosition: Int32Array;
  /** Per (edge, from, to): the conforming shift (see RunStructure.conformingShift), NaN when the pair does not conform. */
  private readonly pairShift: Float64Array;
  /** Per in-edge of a general node, for the chunk being simulated: its call time in each run. */
  private readonly callTimeRow: Float64Array[];
  /** `slotArrivals`'s tables (see `slotTables`), made at the first simulated edge. */
  private slotTableRows: SlotTables | null = null;
  /** `chargeSlotTrigger`'s charges per non-execution entry (see `slotNoticeCharges`), and what they were made for. */
  private slotNoticeRows: Float64Array | null = null;
  private slotNoticeVersion = -1;
  private slotNoticeHours: Int32Array | null = null;
  /** Per in-edge of the general node being accounted: its trigger's fixed cost, then grams per hour (see `accountGeneral`). */
  private noticeCharges: Float64Array | null = null;

  // The deployment.
  private readonly region: Int32Array;
  private readonly execution: ExecutionRows[];
  private readonly scale: Float64Array;
  /** Execution cost per measured second (price per second × runtime scale). */
  private readonly costPerMeasuredSecond: Float64Array;
  private readonly invocationCost: Float64Array;
  /** Execution grams per unit of grid intensity per measured second. */
  private readonly carbonPerMeasuredSecond: Float64Array;
  private readonly snsCost: Float64Array;
  /** Simple nodes: egress price of their in-edge's payload (0 within a region). */
  private readonly arrivalEgress: Float64Array;
  /** Per DAG edge: non-execution charges of one skip; sync-table charge and upload egress of one upload. */
  private readonly skipCharge: Float64Array;
  private readonly syncCharge: Float64Array;
  private readonly uploadEgress: Float64Array;
  /** Per DAG edge: latency in every run (−Infinity where not taken) plus `edgeLatencyShift`. */
  private readonly edgeLatency: Float64Array[];
  private readonly edgeLatencyShift: Float64Array;
  private redirectorLatency: Float64Array = EMPTY;
  private redirectPossible = false;
  private deployed = false;
  private version = 0;

  // Carbon coefficients at the hours being priced: `[h · nodes + v]` or `[h · edges + e]`.
  private pricedVersion = -1;
  private pricedSlots = '';
  /**
   * A typed copy of the priced slots: the hot loops read it, and an Int32Array has one map
   * whatever array the caller passed (a slots array built by `hours.map` is now and then holey,
   * and a JSArray field of varying elements kind deoptimized every loop reading it — "wrong map").
   */
  private hourSlots = new Int32Array(0);
  private arrivalGrams = EMPTY;
  private executionGrams = EMPTY;
  private transferDuringExecutionGrams = EMPTY;
  private skipGrams = EMPTY;
  private uploadGramsPerGb = EMPTY;

  // Memoised latency rows.
  private latencyRows = new Map<number, Float64Array>();
  private previousLatencyRows = new Map<number, Float64Array>();
  /** Rows of a dropped generation: reused from the next deployment on (this one may still read them). */
  private droppedLatencyRows: Float64Array[] = [];
  private spareLatencyRows: Float64Array[] = [];
  private readonly latencyRowLimit: number;
  private readonly redirectorLatencyRows = new Map<number, Float64Array>();

  // Timing states.
  private readonly states: TimingStates;
  private state: TimingState | null = null;
  /** The deployment being set and the instances it re-times, for `selectTimingState`. */
  private readonly wantedScratch: Int32Array;
  private readonly retimeScratch: Uint8Array;

  // Per-run totals of the chunk being simulated and scratch.
  private readonly cost: Float64Array;
  private readonly runtime: Float64Array;
  /** Carbon at each priced hour, `[h · runs + run]`. */
  private carbon: Float64Array;
  private readonly uploadTime: Float64Array;
  private readonly uploadSize: Float64Array;

  /** `runs` runs from `options.firstRun` (default 0) of the seed's batches of `batchSize`. */
  constructor(model: CompiledModel, runs: number, batchSize: number, seed: number, options: SimulatorOptions = {}) {
    this.m = model;
    this.runs = runs;
    this.firstRun = options.firstRun ?? 0;
    this.N = model.instanceCount;
    this.R = model.regionCount;
    this.K = model.knownRegionCount;
    this.hourSlotCount = model.carbonIntensity.length / model.knownRegionCount;
    this.energy = model.transmissionEnergyKwhPerGb;
    this.halfEnergy = model.transmissionEnergyKwhPerGb / 2;
    this.unknownGramsPerGb = model.transmissionEnergyKwhPerGb * model.unknownRegionIntensity;
    this.arena = new RowArena();
    this.kernels = kernelsFor(this.arena);
    this.structure = new RunStructure(model, runs, batchSize, seed, this.firstRun, this.arena);
    const N = this.N;
    const R = this.R;
    const E = model.clientEdge;
    const s = this.structure;

    this.outPosition = new Int32Array(E);
    for (let v = 0; v < N; v++) s.outEdges[v]!.forEach((e, k) => (this.outPosition[e] = k));
    this.pairShift = new Float64Array(E * R * R);
    for (let e = 0; e < E; e++)
      for (let from = 0; from < R; from++)
        for (let to = 0; to < R; to++) this.pairShift[(e * R + from) * R + to] = s.conformingShift(e, from, to) ?? NaN;

    this.callTimeRow = Array.from({ length: E }, (_, e) => (s.kind[model.edgeTo[e]!] === NodeKind.General ? this.arena.f64(runs) : EMPTY));

    this.region = new Int32Array(N + 2);
    this.execution = new Array<ExecutionRows>(N + 2);
    this.scale = new Float64Array(N + 2);
    this.costPerMeasuredSecond = new Float64Array(N + 2);
    this.invocationCost = new Float64Array(N + 2);
    this.carbonPerMeasuredSecond = new Float64Array(N + 2);
    this.snsCost = new Float64Array(N + 2);
    this.arrivalEgress = new Float64Array(N);
    this.skipCharge = new Float64Array(E);
    this.syncCharge = new Float64Array(E);
    this.uploadEgress = new Float64Array(E);
    this.edgeLatency = Array.from({ length: E }, () => EMPTY);
    this.edgeLatencyShift = new Float64Array(E);
    this.latencyRowLimit = Math.max(2, Math.floor((options.latencyMemoBytes ?? LATENCY_MEMO_BYTES) / (8 * runs)));

    const rowsOf = new Uint8Array(N);
    for (let v = 0; v < N; v++) {
      if (s.kind[v] !== NodeKind.General) continue;
      rowsOf[v] = s.inEdges[v]!.length > 1 ? 2 : 1;
      const candidates = s.inEdges[v]!.length + model.syncOrderBase[v + 1]! - model.syncOrderBase[v]!;
      if (candidates > 65535) throw new CaribouError(`instance ${v} has more than 65535 possible triggers`);
    }
    const shape: StateShape = { nodes: N, rowsOf };
    // What a change of each instance's region re-times: it and everything downstream of it.
    const downstream = new DownstreamSets(N, model.topologicalOrder, (v) => s.outEdges[v]!.map((e) => model.edgeTo[e]!));
    this.states = new TimingStates(shape, runs, options.timingStateBytes ?? TIMING_STATE_BYTES, downstream, this.arena);
    if (R > 65536) throw new CaribouError(`${R} regions: at most 65536 are supported`); // see timingStateKey
    this.wantedScratch = new Int32Array(N);
    this.retimeScratch = new Uint8Array(N);

    this.cost = this.arena.f64(runs);
    this.runtime = this.arena.f64(runs);
    this.carbon = this.arena.f64(runs);
    this.uploadTime = new Float64Array(model.maxInDegree);
    this.uploadSize = new Float64Array(model.maxInDegree);
  }

  get layout(): DrawLayout {
    return this.structure.layout;
  }

  get draws(): DrawTable {
    return this.structure.draws;
  }

  /**
   * Bytes held by this simulator: `total` is its row arena (every per-run row handed out; rows
   * are never freed, so this is what it holds) and the per-(edge, region pair) shift table.
   * Of which: the per-seed structure (draws included), the memoised latency rows in use, the
   * live timing states, the other tables and per-run totals, and `spare` — rows kept for reuse
   * (dropped timing states' row groups, recycled latency rows) or outgrown.
   */
  get cacheBytes(): { structure: number; latencyRows: number; timingStates: number; tables: number; spare: number; total: number } {
    const memoised = new Set<Float64Array>([...this.latencyRows.values(), ...this.previousLatencyRows.values(), ...this.redirectorLatencyRows.values()]);
    let latencyRows = 0;
    for (const row of memoised) latencyRows += row.byteLength;
    let tables = this.pairShift.byteLength + this.carbon.byteLength + this.cost.byteLength + this.runtime.byteLength;
    for (const row of this.callTimeRow) tables += row.byteLength;
    const slotTables = this.slotTableRows;
    if (slotTables) for (const row of [slotTables.inCall, slotTables.edgeStart, slotTables.edgeOffset, slotTables.edgeDuration, slotTables.edgeScale, slotTables.notices, slotTables.latencyValues]) tables += row.byteLength;
    tables += (this.slotNoticeRows?.byteLength ?? 0) + (this.noticeCharges?.byteLength ?? 0);
    const structure = this.structure.bytes;
    const timingStates = this.states.liveBytes;
    const total = this.arena.bytes + this.pairShift.byteLength;
    return { structure, latencyRows, timingStates, tables, spare: total - structure - latencyRows - timingStates - tables, total };
  }

  /** Whether the complete timing of `deployment` is kept (a neighbour of it would be re-timed from it). */
  keepsTimingOf(deployment: ArrayLike<number>): boolean {
    // The key is one code unit per region index: only a valid deployment has one of its own.
    return this.invalidity(deployment) === null && this.states.has(timingStateKey(deployment));
  }

  /** Why `deployment` is not one region index per instance, or null when it is. */
  private invalidity(deployment: ArrayLike<number>): string | null {
    const N = this.N;
    const R = this.R;
    if (deployment.length !== N) return `deployment has ${deployment.length} regions; expected one per instance (${N})`;
    for (let i = 0; i < N; i++) {
      const r = deployment[i]!;
      if (!Number.isInteger(r) || r < 0 || r >= R) return `deployment[${i}] = ${r} is not a region index in 0..${R - 1}`;
    }
    return null;
  }

  /** Bytes of timing states kept for incremental evaluations. */
  get timingStateBytes(): number {
    return this.states.liveBytes;
  }

  /**
   * Sets the deployment to simulate. The next `simulate` recomputes timing only downstream of
   * the instances whose region differs from a kept state's: `base`'s, or a closer kept one's.
   */
  setDeployment(deployment: ArrayLike<number>, base?: ArrayLike<number> | null): void {
    const m = this.m;
    const N = this.N;
    const R = this.R;
    const s = this.structure;
    const invalid = this.invalidity(deployment);
    if (invalid !== null) throw new CaribouError(invalid);
    this.version++;
    if (this.droppedLatencyRows.length > 0) {
      for (const row of this.droppedLatencyRows) this.spareLatencyRows.push(row);
      this.droppedLatencyRows = [];
    }
    const home = m.homeRegion;
    const region = this.region;
    for (let i = 0; i < N; i++) region[i] = deployment[i]!;
    region[m.clientNode] = -1;
    region[m.redirectorNode] = home;
    for (let v = 0; v < N + 2; v++) {
      if (v === m.clientNode) continue;
      const profile = v === m.redirectorNode ? m.redirectorProfile : v * R + region[v]!;
      const scale = m.profileScale[profile]!;
      this.execution[v] = s.executions(v, m.profileDataset[profile]!);
      this.scale[v] = scale;
      this.costPerMeasuredSecond[v] = m.executionCostPerSecond[profile]! * scale;
      this.invocationCost[v] = m.invocationCost[profile]!;
      this.carbonPerMeasuredSecond[v] = m.executionCarbonPerSecond[profile]! * scale;
      this.snsCost[v] = m.snsRequestCost[region[v]!]!;
    }
    const transfer = m.transferCostPerGb;
    for (let e = 0; e < m.clientEdge; e++) {
      const ra = region[m.edgeFrom[e]!]!;
      const rv = region[m.edgeTo[e]!]!;
      const shift = this.pairShift[(e * R + ra) * R + rv]!;
      if (shift === shift) {
        this.edgeLatency[e] = s.homePairLatency[e]!;
        this.edgeLatencyShift[e] = shift;
      } else {
        this.edgeLatency[e] = this.latencyRowOf(e, ra, rv);
        this.edgeLatencyShift[e] = 0;
      }
      let charge = 0;
      for (let n = m.nonExecStart[e]!; n < m.nonExecStart[e]! + m.nonExecCount[e]!; n++) {
        const rs = region[m.nonExecSyncNode[n]!]!;
        charge += m.nonExecResponseWriteUnitsTwice[n]! * m.writeUnitCost[rs]! + (rs !== ra ? transfer[rs]! * m.nonExecResponseGb[n]! : 0);
      }
      this.skipCharge[e] = charge;
      this.syncCharge[e] = m.edgeSyncWriteUnitsTwice[e]! * m.writeUnitCost[rv]! + (ra !== rv ? transfer[rv]! * m.edgeSyncSizeGb[e]! : 0);
      this.uploadEgress[e] = ra !== rv ? transfer[ra]! : 0;
      if (s.kind[m.edgeTo[e]!] === NodeKind.Simple) this.arrivalEgress[m.edgeTo[e]!] = ra !== rv ? transfer[ra]! : 0;
    }
    const startRegion = region[m.startHop]!;
    this.redirectPossible = startRegion !== home && m.wpdAtFunctionProbability > 0;
    if (this.redirectPossible) {
      let row = this.redirectorLatencyRows.get(startRegion);
      if (!row) {
        row = this.arena.f64(this.runs);
        s.latencyRow(m.redirectorEdge, home, startRegion, row);
        this.redirectorLatencyRows.set(startRegion, row);
      }
      this.redirectorLatency = row;
    }
    this.selectTimingState(deployment, base ?? null);
    this.deployed = true;
  }

  /**
   * The deployment's kept timing state, or a new one sharing its base's rows upstream of the
   * changes. The base is the kept state that leaves the fewest nodes to re-time: the one asked
   * for, unless another kept state is closer (or the one asked for was dropped) — a node's timing
   * depends only on its own and its ancestors' regions, so any kept state serves.
   */
  private selectTimingState(deployment: ArrayLike<number>, base: ArrayLike<number> | null): void {
    const key = timingStateKey(deployment);
    const existing = this.states.existing(key);
    if (existing) {
      this.state = existing;
      return;
    }
    const wanted = this.wantedScratch;
    wanted.set(deployment);
    const changed = this.retimeScratch;
    const baseState = this.states.baseFor(wanted, base ? timingStateKey(base) : null, changed);
    this.state = this.states.create(key, wanted, baseState, changed);
    this.states.trim(this.state, baseState);
  }

  /**
   * Simulates (absolute) runs [first, last) of the current deployment and writes them to `out`
   * from `offset`: cost, runtime, and carbon priced at each hour slot (hour-major). With no
   * slot, cost and runtime only (the carbon accounting is skipped).
   */
  simulate(first: number, last: number, slots: readonly number[], out: SampleBlock, offset: number): void {
    if (!this.deployed || !this.state) throw new CaribouError('simulate called before setDeployment');
    if (first < this.firstRun || last > this.firstRun + this.runs || first > last)
      throw new CaribouError(`runs ${first}..${last} are outside ${this.firstRun}..${this.firstRun + this.runs}`);
    this.priceAt(slots);
    const hours = slots.length;
    const runs = this.runs;
    const localFirst = first - this.firstRun;
    const localLast = last - this.firstRun;
    for (let c0 = localFirst; c0 < localLast; ) {
      const chunk = Math.floor(c0 / RUNS_PER_CHUNK);
      const c1 = Math.min(localLast, (chunk + 1) * RUNS_PER_CHUNK);
      this.simulateChunk(chunk, c0, c1);
      const at = offset + (c0 - localFirst);
      out.cost.set(this.cost.subarray(c0, c1), at);
      out.runtime.set(this.runtime.subarray(c0, c1), at);
      for (let h = 0; h < hours; h++) out.carbon.set(this.carbon.subarray(h * runs + c0, h * runs + c1), h * out.runs + at);
      c0 = c1;
    }
  }

  private simulateChunk(chunk: number, c0: number, c1: number): void {
    const m = this.m;
    const s = this.structure;
    const state = this.state!;
    const runs = this.runs;
    const whole = c0 === chunk * RUNS_PER_CHUNK && c1 === Math.min(runs, (chunk + 1) * RUNS_PER_CHUNK);
    const timing = state.filled[chunk] === 0;
    this.cost.fill(0, c0, c1);
    this.runtime.fill(0, c0, c1);
    for (let h = 0; h < this.hourSlots.length; h++) this.carbon.fill(0, h * runs + c0, h * runs + c1);
    this.startHop(c0, c1, timing && state.owns[m.startHop] === 1);
    this.execute(m.startHop, c0, c1);
    for (let t = 0; t < this.N; t++) {
      const v = m.topologicalOrder[t]!;
      const kind = s.kind[v];
      const retime = timing && state.owns[v] === 1;
      if (kind === NodeKind.Simple) {
        this.chargeSkippedEdges(v, c0, c1);
        this.accountSimple(v, c0, c1, retime);
      } else if (kind === NodeKind.General) {
        if (retime) this.arriveGeneral(v, c0, c1);
        this.chargeSkippedEdges(v, c0, c1);
        this.accountGeneral(v, c0, c1);
        this.execute(v, c0, c1);
      } else if (kind === NodeKind.Unreachable && retime) {
        state.start[v]!.fill(-Infinity, c0, c1);
      }
    }
    if (whole && timing) {
      state.filled[chunk] = 1;
      state.filledCount++;
    }
  }

  // ---------------------------------------------------------------------------------------
  // Timing: exactly the spec's arithmetic (start = call time + latency; end = start + seconds).
  // ---------------------------------------------------------------------------------------

  /** A simple node starts when its in-edge's message arrives (−Infinity where it does not run). */
  private arriveSimple(v: number, c0: number, c1: number): void {
    const e = this.structure.inEdges[v]![0]!;
    const start = this.state!.start[v]!;
    const latency = this.edgeLatency[e]!;
    const shift = this.edgeLatencyShift[e]!;
    const a = this.m.edgeFrom[e]!;
    const rowsA = this.execution[a]!;
    const k = this.outPosition[e]!;
    const startA = this.state!.start[a]!.byteOffset;
    const offset = rowsA.callOffset[k]!.byteOffset;
    const scaleA = this.scale[a]!;
    if (rowsA.allLogged[k] === 1) this.kernels.arriveLogged(start.byteOffset, startA, offset, latency.byteOffset, c0, c1, scaleA, shift);
    else this.kernels.arrive(start.byteOffset, startA, offset, rowsA.durationSeconds.byteOffset, latency.byteOffset, c0, c1, scaleA, shift, NOT_LOGGED);
  }

  /** Call times of edge e in runs [c0, c1) into `callTimeRow[e]`: when its source calls it (its end time when not logged). */
  private fillCallTimes(e: number, c0: number, c1: number): void {
    const a = this.m.edgeFrom[e]!;
    const rows = this.execution[a]!;
    const k = this.outPosition[e]!;
    const row = this.callTimeRow[e]!.byteOffset;
    const startA = this.state!.start[a]!.byteOffset;
    const offset = rows.callOffset[k]!.byteOffset;
    const scaleA = this.scale[a]!;
    if (rows.allLogged[k] === 1) this.kernels.callTimesLogged(row, startA, offset, c0, c1, scaleA);
    else this.kernels.callTimes(row, startA, offset, rows.durationSeconds.byteOffset, c0, c1, scaleA, NOT_LOGGED);
  }

  /**
   * Sync nodes and targets of simulated edges: the latest-starting candidate triggers v (§3).
   * Run by run, in-edges in creation order then the simulated edges in insertion order (ties
   * keep the first). Also the write and read units of a sync node's uploads, which depend on the
   * order the uploads start in. The candidates' call and arrival times are laid out per edge first.
   * Runs taking one to three in-edges (all of them in the bench's workflows) and the simulated
   * edges' call times run as WebAssembly kernels; four or more taken in-edges stay here.
   */
  private arriveGeneral(v: number, c0: number, c1: number): void {
    const m = this.m;
    const s = this.structure;
    const state = this.state!;
    const runs = this.runs;
    const kernels = this.kernels;
    const inEdges = s.inEdges[v]!;
    const degree = inEdges.length;
    const sync = degree > 1;
    const start = state.start[v]!;
    const trigger = state.trigger[v]!;
    const writeUnits = state.uploadWriteUnits[v]!;
    const readUnits = state.uploadReadUnits[v]!;
    const syncRow = s.syncUploadRow[v]! * runs;
    const orderBase = m.syncOrderBase[v]!;
    const hasSlots = s.hasSlots[v] === 1;
    const callTimes = this.callTimeRow;
    const latencies = this.edgeLatency;
    const shifts = this.edgeLatencyShift;
    for (const e of inEdges) this.fillCallTimes(e, c0, c1);
    start.fill(-Infinity, c0, c1);
    // Rows of this node's per-run tables (only a sync node has upload units).
    const syncWrite = sync ? s.syncWriteUnits.byteOffset + syncRow * 8 : 0;
    const syncWriteSwapped = sync ? s.syncWriteUnitsSwapped.byteOffset + syncRow * 8 : 0;
    const syncRead = sync ? s.syncReadUnits.byteOffset + syncRow * 8 : 0;
    // The latest-starting taken in-edge, group by group (the taken set is fixed within a group).
    for (const group of s.takenGroups[v]!) {
      const list = group.runs.runs;
      const lo = indexOfRun(group.runs, c0);
      const hi = indexOfRun(group.runs, c1);
      if (lo === hi) continue;
      const taken = group.inEdgeIndices;
      const count = taken.length;
      const j0 = taken[0]!;
      const e0 = inEdges[j0]!;
      if (count === 1) {
        if (sync)
          kernels.arriveOneSync(
            start.byteOffset, trigger.byteOffset, writeUnits.byteOffset, readUnits.byteOffset, list.byteOffset, lo, hi,
            callTimes[e0]!.byteOffset, latencies[e0]!.byteOffset, syncWrite, syncRead, shifts[e0]!, j0,
          );
        else kernels.arriveOne(start.byteOffset, trigger.byteOffset, list.byteOffset, lo, hi, callTimes[e0]!.byteOffset, latencies[e0]!.byteOffset, shifts[e0]!, j0);
        continue;
      }
      const j1 = taken[1]!;
      const e1 = inEdges[j1]!;
      if (count === 2) {
        kernels.arriveTwo(
          start.byteOffset, trigger.byteOffset, writeUnits.byteOffset, readUnits.byteOffset, list.byteOffset, lo, hi,
          callTimes[e0]!.byteOffset, latencies[e0]!.byteOffset, s.sizeGb[e0]!.byteOffset,
          callTimes[e1]!.byteOffset, latencies[e1]!.byteOffset, s.sizeGb[e1]!.byteOffset,
          syncWrite, syncWriteSwapped, syncRead, shifts[e0]!, shifts[e1]!, j0, j1,
        );
        continue;
      }
      if (count === 3) {
        // As the general case below, with the upload units tabulated per order (THREE_UPLOAD_ORDERS).
        const j2 = taken[2]!;
        const e2 = inEdges[j2]!;
        const threeRow = s.threeUploadRow[v]! * THREE_UPLOAD_ORDERS.length * runs;
        kernels.arriveThree(
          start.byteOffset, trigger.byteOffset, writeUnits.byteOffset, readUnits.byteOffset, list.byteOffset, lo, hi,
          callTimes[e0]!.byteOffset, latencies[e0]!.byteOffset, s.sizeGb[e0]!.byteOffset,
          callTimes[e1]!.byteOffset, latencies[e1]!.byteOffset, s.sizeGb[e1]!.byteOffset,
          callTimes[e2]!.byteOffset, latencies[e2]!.byteOffset, s.sizeGb[e2]!.byteOffset,
          s.threeUploadWriteUnits.byteOffset + threeRow * 8, s.threeUploadReadUnits.byteOffset + threeRow * 8, runs,
          shifts[e0]!, shifts[e1]!, shifts[e2]!, j0, j1, j2,
        );
        continue;
      }
      const uploadTime = this.uploadTime;
      const uploadSize = this.uploadSize;
      for (let i = lo; i < hi; i++) {
        const r = list[i]!;
        let bestTau = -Infinity;
        let bestCode = 0;
        let bestEdge = 0;
        for (let x = 0; x < count; x++) {
          const e = inEdges[taken[x]!]!;
          const tau = callTimes[e]![r]!;
          uploadTime[x] = tau;
          uploadSize[x] = s.sizeGb[e]![r]!;
          if (tau > bestTau) {
            bestTau = tau;
            bestCode = taken[x]!;
            bestEdge = e;
          }
        }
        start[r] = bestTau + (latencies[bestEdge]![r]! + shifts[bestEdge]!);
        trigger[r] = bestCode;
        this.sortedUploadUnits(count, writeUnits, readUnits, r);
      }
    }
    if (!hasSlots) return;
    // Simulated edges compete with the in-edges: a later-called notice triggers v instead.
    const list = s.runsWithSlots[v]!;
    const lo = indexOfRun(list, c0);
    const hi = indexOfRun(list, c1);
    if (lo === hi) return;
    const tables = this.slotTables(inEdges);
    kernels.slotArrivals(
      start.byteOffset, trigger.byteOffset, list.runs.byteOffset, lo, hi, tables.inCall.byteOffset,
      s.syncOrderCount.byteOffset + v * runs * 4, s.syncOrder.byteOffset + orderBase * runs * 4, s.slotSkipEdge.byteOffset, s.slotEntry.byteOffset,
      tables.edgeStart.byteOffset, tables.edgeOffset.byteOffset, tables.edgeDuration.byteOffset, tables.edgeScale.byteOffset,
      tables.notices.byteOffset, tables.latencyValues.byteOffset, runs, degree, NOT_LOGGED,
    );
  }

  /**
   * `slotArrivals`'s tables for the current deployment and timing state (made at the first
   * simulated edge, refreshed once per deployment): per DAG edge, its source's start,
   * call-offset and duration rows and runtime scale (a simulated edge rides on any skipped
   * edge); per non-execution entry, its latency list between its regions and its slot's draws;
   * per in-edge of the node at hand, its call-time row.
   */
  private slotTables(inEdges: Int32Array): SlotTables {
    const m = this.m;
    const s = this.structure;
    const E = m.clientEdge;
    const R = this.R;
    const runs = this.runs;
    let tables = this.slotTableRows;
    if (!tables) {
      const arena = this.arena;
      tables = {
        version: -1,
        inCall: arena.i32(m.maxInDegree),
        edgeStart: arena.i32(E),
        edgeOffset: arena.i32(E),
        edgeDuration: arena.i32(E),
        edgeScale: arena.f64(E),
        notices: arena.f64(4 * m.nonExecSyncNode.length),
        latencyValues: arena.copyOf(m.latencyValues),
      };
      this.slotTableRows = tables;
    }
    if (tables.version !== this.version) {
      const start = this.state!.start;
      const region = this.region;
      for (let e = 0; e < E; e++) {
        const a = m.edgeFrom[e]!;
        const rows = this.execution[a]!;
        tables.edgeStart[e] = start[a]!.byteOffset;
        tables.edgeOffset[e] = rows.callOffset[this.outPosition[e]!]!.byteOffset;
        tables.edgeDuration[e] = rows.durationSeconds.byteOffset;
        tables.edgeScale[e] = this.scale[a]!;
      }
      const notices = tables.notices;
      const draws = s.draws.values.byteOffset;
      for (let n = 0; n < m.nonExecSyncNode.length; n++) {
        const slot = m.nonExecSlot[n]!;
        const li = m.nonExecLatencyBase[n]! + region[m.slotFrom[slot]!]! * R + region[m.nonExecSyncNode[n]!]!;
        notices[4 * n] = m.latencyOffset[li]!;
        notices[4 * n + 1] = m.latencyLength[li]! - s.shrink;
        notices[4 * n + 2] = m.latencyShift[li]!;
        notices[4 * n + 3] = draws + s.layout.slotLatency[slot]! * runs * 8;
      }
      tables.version = this.version;
    }
    for (let j = 0; j < inEdges.length; j++) tables.inCall[j] = this.callTimeRow[inEdges[j]!]!.byteOffset;
    return tables;
  }

  /**
   * Sync-table writes rewrite the growing item: in upload order (by start time, then size), the
   * write units of each running total, plus one read of the final item (§3 step 3). One or two
   * uploads are tabulated per seed, three per order; four or more (in `uploadTime`/`uploadSize`)
   * are sorted here.
   */
  private sortedUploadUnits(count: number, writeUnits: Float64Array, readUnits: Float64Array, r: number): void {
    const times = this.uploadTime;
    const sizes = this.uploadSize;
    for (let i = 1; i < count; i++) {
      if (times[i - 1]! < times[i]! || (times[i - 1] === times[i] && sizes[i - 1]! <= sizes[i]!)) continue;
      const t = times[i]!;
      const size = sizes[i]!;
      let j = i - 1;
      while (j >= 0 && (times[j]! > t || (times[j] === t && sizes[j]! > size))) {
        times[j + 1] = times[j]!;
        sizes[j + 1] = sizes[j]!;
        j--;
      }
      times[j + 1] = t;
      sizes[j + 1] = size;
    }
    let total = 0;
    let units = 0;
    for (let i = 0; i < count; i++) {
      total += sizes[i]!;
      units += Math.ceil(total * KIB_PER_GIB);
    }
    writeUnits[r] = units;
    readUnits[r] = Math.ceil((total * KIB_PER_GIB) / 4);
  }

  // ---------------------------------------------------------------------------------------
  // Accounting: cost and carbon per run, node by node, as coefficient × per-run quantity.
  // ---------------------------------------------------------------------------------------

  /**
   * Steps 0–1 (§3): where the placement decision is read, the client's call, the redirector
   * (the entry point's home copy, when the decision is read at the function and the entry
   * point is elsewhere) and its hop; the entry point's start time when `retime`.
   */
  private startHop(c0: number, c1: number, retime: boolean): void {
    const m = this.m;
    const s = this.structure;
    const runs = this.runs;
    const K = this.K;
    const home = m.homeRegion;
    const system = m.systemRegion;
    const startNode = m.startHop;
    const rs = this.region[startNode]!;
    const wpd = s.wpdAtFunction;
    const redirectPossible = this.redirectPossible;
    const clientSize = s.sizeGb[m.clientEdge]!;
    const clientRequests = s.snsRequests[m.clientEdge]!;
    const hopSize = s.sizeGb[m.redirectorEdge]!;
    const hopRequests = s.snsRequests[m.redirectorEdge]!;
    const redirector = m.redirectorNode;
    const rowsR = this.execution[redirector]!;
    const durationR = rowsR.durationSeconds;
    const dtdeR = rowsR.transferDuringExecutionGb;
    const offsetR = rowsR.callOffset[0]!;
    const scaleR = this.scale[redirector]!;
    const hopLatency = this.redirectorLatency;
    const start = this.state!.start[startNode]!;
    const energy = this.energy;
    const halfEnergy = this.halfEnergy;
    const unknown = this.unknownGramsPerGb;
    const wpdReadUnits = m.wpdReadUnits;
    const wpdSize = m.wpdSizeGb;
    const ci = m.carbonIntensity;
    const slots = this.hourSlots;
    const cost = this.cost;
    const carbon = this.carbon;
    const runtime = this.runtime;
    // The client hop: to the entry point's home copy when it redirects, else to the entry point.
    const clientAtHome = m.clientLatencyShift[home]!;
    const clientAtStart = m.clientLatencyShift[rs]!;
    for (let r = c0; r < c1; r++) {
      const atFunction = wpd[r] === 1;
      const redirect = atFunction && redirectPossible;
      const reader = redirect ? home : rs;
      let c: number;
      let fixedGrams = clientSize[r]! * unknown;
      // Grams per unit of intensity at home, at the entry point's region, at the system region.
      let atHome = 0;
      let atStart = 0;
      let atSystem = 0;
      if (!atFunction) {
        c = wpdReadUnits * m.readUnitCost[system]!;
        fixedGrams += wpdSize * unknown;
      } else {
        c = wpdReadUnits * m.readUnitCost[reader]!;
        const toReaderFull = system === reader ? wpdSize * energy : wpdSize * halfEnergy;
        if (system !== reader) atSystem += toReaderFull;
        if (redirect) atHome += toReaderFull;
        else atStart += toReaderFull;
      }
      c += m.snsRequestCost[reader]! * clientRequests[r]!;
      if (redirect) {
        const measured = durationR[r]!;
        const dtde = dtdeR[r]!;
        c += this.costPerMeasuredSecond[redirector]! * measured + this.invocationCost[redirector]!;
        c += m.snsRequestCost[rs]! * hopRequests[r]! + m.transferCostPerGb[home]! * hopSize[r]!;
        atHome += this.carbonPerMeasuredSecond[redirector]! * measured + (dtde / 2) * energy + hopSize[r]! * halfEnergy;
        atStart += hopSize[r]! * halfEnergy;
        fixedGrams += dtde * (unknown / 2);
        const end = clientAtHome + measured * scaleR;
        if (end > runtime[r]!) runtime[r] = end;
        if (retime) {
          const logged = offsetR[r]!;
          const call = logged === logged && logged !== NOT_LOGGED ? clientAtHome + logged * scaleR : end;
          start[r] = call + hopLatency[r]!;
        }
      } else if (retime) {
        start[r] = clientAtStart;
      }
      cost[r] += c;
      for (let h = 0; h < slots.length; h++) {
        const base = slots[h]! * K;
        carbon[h * runs + r] += fixedGrams + atHome * ci[base + home]! + atStart * ci[base + rs]! + atSystem * ci[base + system]!;
      }
    }
  }

  /** Non-execution notices of v's in-edges skipped in a run (§3 step 2, "not taken"). */
  private chargeSkippedEdges(v: number, c0: number, c1: number): void {
    const m = this.m;
    const runs = this.runs;
    const E = m.clientEdge;
    const carbon = this.carbon.byteOffset;
    const hours = this.hourSlots.length;
    for (const e of this.structure.inEdges[v]!) {
      if (m.nonExecCount[e] === 0) continue;
      const skipped = this.structure.skippedWeight[e]!.byteOffset;
      this.kernels.addScaled(this.cost.byteOffset, skipped, c0, c1, this.skipCharge[e]!);
      for (let h = 0; h < hours; h++) this.kernels.addScaled(carbon + h * runs * 8, skipped, c0, c1, this.skipGrams[h * E + e]!);
    }
  }

  /**
   * A simple node's arrival (SNS request at its region, egress from its predecessor's, the
   * payload's transfer carbon) and execution (§2.3, §2.4), and its end time in the runtime;
   * first its start times when `retime` (in the same pass when its predecessor logs every call).
   */
  private accountSimple(v: number, c0: number, c1: number, retime: boolean): void {
    const s = this.structure;
    const e = s.inEdges[v]![0]!;
    const nodes = this.N + 2;
    const runs = this.runs;
    const requests = s.snsRequests[e]!;
    const size = s.sizeGb[e]!;
    const ran = s.ranWeight[v]!;
    const rows = this.execution[v]!;
    const measured = rows.durationSeconds;
    const dtde = rows.transferDuringExecutionGb;
    const start = this.state!.start[v]!;
    const snsCost = this.snsCost[v]!;
    const egress = this.arrivalEgress[v]!;
    const perSecond = this.costPerMeasuredSecond[v]!;
    const invocation = this.invocationCost[v]!;
    const scale = this.scale[v]!;
    const carbon = this.carbon;
    const a = this.m.edgeFrom[e]!;
    const k = this.outPosition[e]!;
    const kernels = this.kernels;
    const cost = this.cost.byteOffset;
    const runtime = this.runtime.byteOffset;
    if (this.hourSlots.length === 0) {
      // Cost and runtime only (a hard-constraint check): no carbon.
      if (retime) this.arriveSimple(v, c0, c1);
      kernels.accountSimpleCost(cost, runtime, start.byteOffset, requests.byteOffset, size.byteOffset, measured.byteOffset, ran.byteOffset, c0, c1, snsCost, egress, perSecond, invocation, scale);
    } else if (retime && this.execution[a]!.allLogged[k] === 1) {
      // Arrival (as in `arriveSimple`) and accounting in one pass.
      kernels.arriveAndAccountSimple(
        cost, carbon.byteOffset, runtime, start.byteOffset, this.state!.start[a]!.byteOffset, this.execution[a]!.callOffset[k]!.byteOffset, this.edgeLatency[e]!.byteOffset,
        requests.byteOffset, size.byteOffset, measured.byteOffset, ran.byteOffset, dtde.byteOffset, c0, c1,
        this.scale[a]!, this.edgeLatencyShift[e]!, snsCost, egress, perSecond, invocation, scale, this.arrivalGrams[v]!, this.executionGrams[v]!, this.transferDuringExecutionGrams[v]!,
      );
    } else {
      if (retime) this.arriveSimple(v, c0, c1);
      kernels.accountSimple(
        cost, carbon.byteOffset, runtime, start.byteOffset, requests.byteOffset, size.byteOffset, measured.byteOffset, ran.byteOffset, dtde.byteOffset, c0, c1,
        snsCost, egress, perSecond, invocation, scale, this.arrivalGrams[v]!, this.executionGrams[v]!, this.transferDuringExecutionGrams[v]!,
      );
    }
    for (let h = 1; h < this.hourSlots.length; h++) {
      const at = h * nodes + v;
      kernels.addScaledTriple(
        carbon.byteOffset + h * runs * 8, size.byteOffset, measured.byteOffset, dtde.byteOffset, c0, c1,
        this.arrivalGrams[at]!, this.executionGrams[at]!, this.transferDuringExecutionGrams[at]!,
      );
    }
  }

  /**
   * A general node's arrival: for a sync node, every taken in-edge's upload to its sync table
   * and the read-back, and the units of the growing item; then the triggering candidate's SNS
   * request and payload (only it pays SNS, §12.1 #4). The per-run loops are WebAssembly kernels,
   * at every priced hour (a 24-hour solve prices many hours per simulation while its hours'
   * searches coincide); what stays here is their coefficients, per in-edge or per notice.
   */
  private accountGeneral(v: number, c0: number, c1: number): void {
    const m = this.m;
    const s = this.structure;
    const runs = this.runs;
    const E = m.clientEdge;
    const K = this.K;
    const kernels = this.kernels;
    const state = this.state!;
    const inEdges = s.inEdges[v]!;
    const degree = inEdges.length;
    const sync = degree > 1;
    const hours = this.hourSlots.length;
    const priced = hours > 0;
    const cost = this.cost;
    const carbon = this.carbon;
    const rv = this.region[v]!;
    if (sync) {
      // Every taken in-edge's upload and read-back (two in-edges, the usual case, in one pass).
      if (degree === 2) this.chargeTwoUploads(inEdges[0]!, inEdges[1]!, c0, c1, priced);
      for (const e of inEdges) {
        const taken = s.takenWeight[e]!;
        const size = s.sizeGb[e]!;
        const syncSize = m.edgeSyncSizeGb[e]!;
        if (degree !== 2) {
          const charge = this.syncCharge[e]!;
          const egress = this.uploadEgress[e]!;
          const perGb = this.uploadGramsPerGb[e]!;
          if (priced) kernels.chargeUpload(cost.byteOffset, carbon.byteOffset, taken.byteOffset, size.byteOffset, c0, c1, charge, egress, perGb, syncSize * perGb);
          else kernels.chargeUploadCost(cost.byteOffset, taken.byteOffset, size.byteOffset, c0, c1, charge, egress);
        }
        for (let h = 1; h < hours; h++) {
          const perGbAt = this.uploadGramsPerGb[h * E + e]!;
          kernels.addScaledPair(carbon.byteOffset + h * runs * 8, size.byteOffset, taken.byteOffset, c0, c1, perGbAt, syncSize * perGbAt);
        }
      }
    }
    const trigger = state.trigger[v]!;
    const writeUnits = state.uploadWriteUnits[v]!;
    const readUnits = state.uploadReadUnits[v]!;
    const writeCost = m.writeUnitCost[rv]!;
    const readCost = m.readUnitCost[rv]!;
    const snsCost = this.snsCost[v]!;
    const orderBase = m.syncOrderBase[v]!;
    const slots = this.hourSlots;
    // An in-edge's trigger, in the node's runs. Its charges per in-edge, in the arena: the fixed
    // cost of a sync node's notice, then per priced hour the grams per GB of its route (a sync
    // node's notice: times its payload, one product, the same per run).
    const list = s.runsOf[v]!;
    const lo = indexOfRun(list, c0);
    const hi = indexOfRun(list, c1);
    const charges = (this.noticeCharges = this.rowForHours(this.noticeCharges, m.maxInDegree, m.maxInDegree, Math.max(1, hours)));
    let firstEgress = 0;
    for (let j = 0; j < degree; j++) {
      const e = inEdges[j]!;
      const from = this.region[m.edgeFrom[e]!]!;
      const egress = from !== rv ? m.transferCostPerGb[from]! : 0;
      if (j === 0) firstEgress = egress;
      charges[j] = snsCost * m.edgeSnsOnlyRequests[e]! + egress * m.edgeSnsOnlySizeGb[e]!;
      for (let h = 0; h < hours; h++) {
        const perGb = this.routeGramsPerGb(slots[h]! * K, from, rv);
        charges[degree + h * degree + j] = sync ? m.edgeSnsOnlySizeGb[e]! * perGb : perGb;
      }
    }
    if (sync) {
      kernels.chargeSyncTrigger(
        cost.byteOffset, carbon.byteOffset, trigger.byteOffset, writeUnits.byteOffset, readUnits.byteOffset, list.runs.byteOffset, lo, hi,
        charges.byteOffset, charges.byteOffset + degree * 8, degree, hours, runs, writeCost, readCost,
      );
    } else {
      const e = inEdges[0]!;
      kernels.chargeEdgeTrigger(
        cost.byteOffset, carbon.byteOffset, trigger.byteOffset, list.runs.byteOffset, lo, hi, s.snsRequests[e]!.byteOffset, s.sizeGb[e]!.byteOffset,
        charges.byteOffset + 8, hours, runs, snsCost, firstEgress,
      );
    }
    if (s.hasSlots[v] !== 1) return;
    // A simulated edge's trigger (only in the runs simulated edges reach v).
    const withSlots = s.runsWithSlots[v]!;
    const first = indexOfRun(withSlots, c0);
    const last = indexOfRun(withSlots, c1);
    if (first === last) return;
    kernels.chargeSlotTrigger(
      cost.byteOffset, carbon.byteOffset, trigger.byteOffset, writeUnits.byteOffset, readUnits.byteOffset, withSlots.runs.byteOffset, first, last,
      s.syncOrder.byteOffset + orderBase * runs * 4, s.slotEntry.byteOffset, this.slotNoticeCharges().byteOffset, runs, degree, sync ? 1 : 0, hours, writeCost, readCost,
    );
  }

  /**
   * Per non-execution entry, what its notice charges when it triggers its sync node (for
   * `chargeSlotTrigger`; refreshed when the deployment or the priced hours change): its SNS
   * request and egress, then its grams at each priced hour.
   */
  private slotNoticeCharges(): Float64Array {
    const m = this.m;
    const count = m.nonExecSyncNode.length;
    const hours = this.hourSlots.length;
    const stride = 1 + hours;
    if (this.slotNoticeVersion === this.version && this.slotNoticeHours === this.hourSlots) return this.slotNoticeRows!;
    const charges = (this.slotNoticeRows = this.rowForHours(this.slotNoticeRows, count, count, hours));
    const region = this.region;
    for (let n = 0; n < count; n++) {
      const v = m.nonExecSyncNode[n]!;
      const rv = region[v]!;
      const from = region[m.slotFrom[m.nonExecSlot[n]!]!]!;
      const payload = m.nonExecSnsSizeGb[n]!;
      charges[stride * n] = this.snsCost[v]! * m.nonExecSnsRequests[n]! + (from !== rv ? m.transferCostPerGb[from]! * payload : 0);
      for (let h = 0; h < hours; h++) charges[stride * n + 1 + h] = payload * this.routeGramsPerGb(this.hourSlots[h]! * this.K, from, rv);
    }
    this.slotNoticeVersion = this.version;
    this.slotNoticeHours = this.hourSlots;
    return charges;
  }

  /** The uploads of a sync node's two in-edges, in one pass (the same sums as one edge at a time). */
  private chargeTwoUploads(e0: number, e1: number, c0: number, c1: number, priced: boolean): void {
    const s = this.structure;
    const taken0 = s.takenWeight[e0]!;
    const size0 = s.sizeGb[e0]!;
    const taken1 = s.takenWeight[e1]!;
    const size1 = s.sizeGb[e1]!;
    const charge0 = this.syncCharge[e0]!;
    const egress0 = this.uploadEgress[e0]!;
    const perGb0 = this.uploadGramsPerGb[e0]!;
    const syncGrams0 = this.m.edgeSyncSizeGb[e0]! * perGb0;
    const charge1 = this.syncCharge[e1]!;
    const egress1 = this.uploadEgress[e1]!;
    const perGb1 = this.uploadGramsPerGb[e1]!;
    const syncGrams1 = this.m.edgeSyncSizeGb[e1]! * perGb1;
    if (!priced) {
      this.kernels.chargeTwoUploadsCost(this.cost.byteOffset, taken0.byteOffset, size0.byteOffset, taken1.byteOffset, size1.byteOffset, c0, c1, charge0, egress0, charge1, egress1);
      return;
    }
    this.kernels.chargeTwoUploads(
      this.cost.byteOffset, this.carbon.byteOffset, taken0.byteOffset, size0.byteOffset, taken1.byteOffset, size1.byteOffset, c0, c1,
      charge0, egress0, perGb0, syncGrams0, charge1, egress1, perGb1, syncGrams1,
    );
  }

  /** Execution of node v (entry point, redirector-free part, general nodes): cost, carbon, end time. */
  private execute(v: number, c0: number, c1: number): void {
    const runs = this.runs;
    const nodes = this.N + 2;
    const ran = this.structure.ranWeight[v]!;
    const rows = this.execution[v]!;
    const measured = rows.durationSeconds;
    const dtde = rows.transferDuringExecutionGb;
    const start = this.state!.start[v]!;
    const perSecond = this.costPerMeasuredSecond[v]!;
    const invocation = this.invocationCost[v]!;
    const scale = this.scale[v]!;
    const carbon = this.carbon;
    if (this.hourSlots.length === 0) {
      this.kernels.executeCost(this.cost.byteOffset, this.runtime.byteOffset, start.byteOffset, measured.byteOffset, ran.byteOffset, c0, c1, perSecond, invocation, scale);
      return;
    }
    this.kernels.execute(
      this.cost.byteOffset, carbon.byteOffset, this.runtime.byteOffset, start.byteOffset, measured.byteOffset, ran.byteOffset, dtde.byteOffset, c0, c1,
      perSecond, invocation, scale, this.executionGrams[v]!, this.transferDuringExecutionGrams[v]!,
    );
    for (let h = 1; h < this.hourSlots.length; h++) {
      const at = h * nodes + v;
      this.kernels.addScaledPair(carbon.byteOffset + h * runs * 8, measured.byteOffset, dtde.byteOffset, c0, c1, this.executionGrams[at]!, this.transferDuringExecutionGrams[at]!);
    }
  }

  /**
   * Carbon coefficients of the current deployment at the hour slots to price: grams per GB of
   * a simple node's payload, per measured second of execution, per GB transferred during
   * execution; per skipped edge; per GB uploaded to a sync table.
   */
  private priceAt(slots: readonly number[]): void {
    const key = slots.join(',');
    if (this.pricedVersion === this.version && this.pricedSlots === key) return;
    const m = this.m;
    const N = this.N;
    const nodes = N + 2;
    const E = m.clientEdge;
    const K = this.K;
    const H = slots.length;
    const ci = m.carbonIntensity;
    const home = m.homeRegion;
    const energy = this.energy;
    const halfEnergy = this.halfEnergy;
    const region = this.region;
    // Room for one hour at least: unpriced simulations (no hour) read the first hour's coefficients they do not use.
    const rows = Math.max(1, H);
    this.carbon = this.rowForHours(this.carbon, 0, this.runs, rows);
    if (this.executionGrams.length < rows * nodes) {
      this.arrivalGrams = new Float64Array(rows * nodes);
      this.executionGrams = new Float64Array(rows * nodes);
      this.transferDuringExecutionGrams = new Float64Array(rows * nodes);
      this.skipGrams = new Float64Array(rows * E);
      this.uploadGramsPerGb = new Float64Array(rows * E);
    }
    for (let h = 0; h < H; h++) {
      const base = slots[h]! * K;
      for (let v = 0; v < nodes; v++) {
        if (v === m.clientNode) continue;
        const rv = region[v]!;
        this.executionGrams[h * nodes + v] = this.carbonPerMeasuredSecond[v]! * ci[base + rv]!;
        // Half of the data comes from the internet at large, half from the home region.
        this.transferDuringExecutionGrams[h * nodes + v] =
          this.unknownGramsPerGb / 2 + (rv === home ? (energy / 2) * ci[base + home]! : (halfEnergy / 2) * (ci[base + home]! + ci[base + rv]!));
      }
      for (let e = 0; e < E; e++) {
        const ra = region[m.edgeFrom[e]!]!;
        const rv = region[m.edgeTo[e]!]!;
        const perGb = this.routeGramsPerGb(base, ra, rv);
        this.uploadGramsPerGb[h * E + e] = perGb;
        if (this.structure.kind[m.edgeTo[e]!] === NodeKind.Simple) this.arrivalGrams[h * nodes + m.edgeTo[e]!] = perGb;
        let grams = 0;
        for (let n = m.nonExecStart[e]!; n < m.nonExecStart[e]! + m.nonExecCount[e]!; n++)
          grams += m.nonExecResponseGb[n]! * this.routeGramsPerGb(base, region[m.nonExecSyncNode[n]!]!, ra);
        this.skipGrams[h * E + e] = grams;
      }
    }
    this.hourSlots = Int32Array.from(slots);
    this.pricedSlots = key;
    this.pricedVersion = this.version;
  }

  /**
   * Grams per GB sent from region `from` to `to` at the hour whose intensities start at `base`
   * (`slot · K`): the transmission energy at the one region's intensity, or half of it at each end.
   */
  private routeGramsPerGb(base: number, from: number, to: number): number {
    const ci = this.m.carbonIntensity;
    return from === to ? this.energy * ci[base + to]! : this.halfEnergy * (ci[base + from]! + ci[base + to]!);
  }

  /**
   * `row` if it holds `fixed` values and `perHour` values for each of `hours` hours, else a new
   * arena row sized for every hour slot (or `hours`, if more): arena rows are never freed, so
   * growing one hour at a time, as a search pricing more and more hours does, would leave a
   * trail of outgrown rows.
   */
  private rowForHours(row: Float64Array | null, fixed: number, perHour: number, hours: number): Float64Array {
    if (row && row.length >= fixed + perHour * hours) return row;
    return this.arena.f64(fixed + perHour * Math.max(hours, this.hourSlotCount));
  }

  /**
   * Latency rows of region pairs that do not sample the home pair's lists, memoised per (edge,
   * region pair): a search evaluates many deployments that share most of their pairs. At most
   * `latencyRowLimit` rows are kept (two generations).
   */
  private latencyRowOf(e: number, from: number, to: number): Float64Array {
    const key = (e * this.R + from) * this.R + to;
    let row = this.latencyRows.get(key);
    if (row) return row;
    row = this.previousLatencyRows.get(key);
    if (!row) {
      row = this.spareLatencyRows.pop() ?? this.arena.f64(this.runs);
      this.structure.latencyRow(e, from, to, row);
    }
    if (this.latencyRows.size * 2 >= this.latencyRowLimit) {
      // The oldest generation goes, except the rows the newer one holds and the row looked up
      // here (it may come from the oldest): a recycled row is rewritten for another pair.
      for (const [kept, old] of this.previousLatencyRows) if (kept !== key && !this.latencyRows.has(kept)) this.droppedLatencyRows.push(old);
      this.previousLatencyRows = this.latencyRows;
      this.latencyRows = new Map();
    }
    this.latencyRows.set(key, row);
    return row;
  }
}
