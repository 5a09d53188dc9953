/**
 * BENCHMARK BASELINE, not product code: the batch simulator as it was before incremental
 * evaluation (libs/domain/solver/src/simulation/batch-simulator.ts at commit 150306e, only its
 * imports and this note changed). `npm run bench` measures it next to the current simulator in
 * the same run ("the previous full-simulation path").
 */
import { CaribouError } from '@caribou/domain-common';
import { NOT_LOGGED, type CompiledModel } from '@caribou/domain-model';
import { DrawTable, drawLayout, type DrawLayout, type SampleBlock } from '@caribou/domain-solver';

const KIB_PER_GIB = 1048576;

/** Layout of `inEdgeParams`: per in-edge of a general node, its parameters under the deployment. */
const P_EDGE_ROW = 0;
/** The edge (its latency row is `edgeLatency[edge]`). */
const P_LATENCY_ROW = 1;
const P_SYNC = 2;
const P_SYNC_CHARGE = 3;
const P_UPLOAD_EGRESS = 4;
const P_ROW_A = 5;
const P_SAME_REGION = 6;
const P_ENERGY = 7;
const P_SYNC_GRAMS = 8;
const P_SNS_ONLY_SIZE = 9;
const P_SNS_ONLY_REQUESTS = 10;
const P_FROM_REGION = 11;
const IN_EDGE_PARAMS = 12;

/**
 * Memory for memoised latency rows (per simulator): 16 MiB, 1024 rows of 2000 runs. A search's
 * neighbouring deployments share most region pairs (94 % hits on the 30 × 20 bench solve).
 */
const LATENCY_MEMO_BYTES = 16 * 1024 * 1024;

/**
 * Runs simulated together, node by node (their state fits in the CPU caches); chunks sit on a
 * fixed grid, which the reference's batches of 200 runs (the unit threads split) align with.
 */
const RUNS_PER_CHUNK = 200;

/** Runs in ascending order, and for every chunk c the index of its first run ≥ c · RUNS_PER_CHUNK. */
interface RunList {
  runs: Int32Array;
  chunkStart: Int32Array;
}

function runList(runs: readonly number[], totalRuns: number): RunList {
  const list = Int32Array.from(runs);
  const chunks = Math.ceil(totalRuns / RUNS_PER_CHUNK);
  const chunkStart = new Int32Array(chunks + 1);
  for (let c = 0; c <= chunks; c++) chunkStart[c] = lowerBound(list, c * RUNS_PER_CHUNK);
  return { runs: list, chunkStart };
}

/** Index of the first run ≥ `run` in the list (its length when none). */
function indexOf(list: RunList, run: number): number {
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

/**
 * Monte-Carlo runs of reference-solver.md §3 over a compiled model, all runs of an evaluation
 * at once, node by node. What does not depend on regions — which edges are taken, which nodes
 * run, which sizes are sent, which simulated edges exist — is derived once from the draw table
 * (`structure`); evaluating a deployment then only does region-dependent arithmetic, in tight
 * loops over runs with the node's and edge's parameters held in locals.
 *
 * Cost and carbon are linear in transferred bytes and capacity units, so they are accumulated
 * as they arise; carbon is kept as grams per unit of grid intensity per region plus grams at the
 * fixed unknown-endpoint intensity, and priced for every requested hour at the end. The result
 * equals the literal transcription run by run (tests check it), up to summation order.
 */
export class BatchSimulatorV1 {
  readonly runs: number;
  readonly layout: DrawLayout;
  readonly draws: DrawTable;
  private readonly m: CompiledModel;
  private readonly shrink: number;
  private readonly N: number;
  private readonly R: number;
  private readonly K: number;
  private readonly energy: number;
  private readonly halfEnergy: number;
  private readonly unknownGramsPerGb: number;

  // Region-independent structure, [row · runs + run].
  private readonly wpdAtFunction: Uint8Array;
  private readonly invoked: Uint8Array;
  private readonly taken: Uint8Array;
  private readonly skipped: Uint8Array;
  private readonly sizeIndex: Int32Array;
  /** Per (edge, run): the sampled size, its size bucket and its SNS request count. */
  private readonly runSize: Float64Array;
  private readonly runBucket: Int32Array;
  private readonly runSnsRequests: Float64Array;
  /** Per (node, run): duration and data transfer of the execution sampled from the node's home dataset. */
  private readonly homeDataset: Int32Array;
  private readonly homeDuration: Float64Array;
  private readonly homeDtde: Float64Array;
  /** Per (out-edge, run): the logged offset of the successor call in the home-dataset row. */
  private readonly homeCallOffset: Float64Array;
  private readonly slotEntry: Int32Array;
  private readonly slotSkipEdge: Int32Array;
  private readonly syncOrder: Int32Array;
  private readonly syncOrderCount: Int32Array;
  /** Per node: its only in-edge when it has one and no simulated edges can reach it, else -1. */
  private readonly simpleInEdge: Int32Array;
  private readonly hasSlots: Uint8Array;
  /**
   * Per node (instances, client, redirector): the runs in which it runs, ascending; the
   * redirector's are the runs that read the placement decision at the function (it runs in them
   * when the deployment moves the entry point). Per DAG edge: the runs in which it is skipped.
   */
  private runsOf: RunList[] = [];
  private skippedRuns: RunList[] = [];
  /** Per node with a general arrival: its runs grouped by the set of taken in-edges. */
  private takenGroups: Array<Array<{ edges: Int32Array; runs: RunList }>> = [];
  /** Per node (incl. the redirector): out-edges and their auxiliary-row columns. */
  private readonly outEdgeList: Int32Array[];
  private readonly outColumnList: Int32Array[];
  /** Per node: `edge · runs` of each out-edge (row offsets into per-(edge, run) arrays). */
  private readonly outEdgeRowList: Int32Array[];

  // Deployment.
  private readonly region: Int32Array;
  private readonly profile: Int32Array;
  private readonly edgeLatencyRow: Int32Array;
  /** Per edge: its latency in every run under the current deployment (see `latencyRowOf`). */
  private readonly edgeLatency: Float64Array[];
  private latencyRows = new Map<number, Float64Array>();
  private previousLatencyRows = new Map<number, Float64Array>();
  private readonly latencyRowLimit: number;
  /** Region → row of `weights` (-1 when the deployment cannot charge it). */
  private readonly weightRow: Int32Array;
  private readonly touched: Int32Array;
  private touchedCount = 0;
  private redirectPossible = false;
  private readonly noLatency = new Float64Array(0);

  // Per-run results and scratch.
  private readonly cost: Float64Array;
  private readonly runtime: Float64Array;
  private readonly constant: Float64Array;
  private readonly weights: Float64Array;
  private readonly edgeTime: Float64Array;
  private readonly start: Float64Array;
  /** Carbon intensity of each touched region at the hour being priced. */
  private readonly intensity: Float64Array;
  private readonly uploadTime: Float64Array;
  private readonly uploadSize: Float64Array;
  /** In-edge parameters of the node being arrived at (IN_EDGE_PARAMS per in-edge). */
  private readonly inEdgeParams: Float64Array;
  /** Per sync node (`syncUploadRow`, -1 for others) and run: units of one or two uploads. */
  private readonly syncUploadRow: Int32Array;
  private syncWriteUnits = new Float64Array(0);
  private syncWriteUnitsSwapped = new Float64Array(0);
  private syncReadUnits = new Float64Array(0);

  /** `latencyMemoBytes` bounds the memoised latency rows (see `latencyRowOf`; tests shrink it). */
  constructor(model: CompiledModel, runs: number, batchSize: number, seed: number, latencyMemoBytes = LATENCY_MEMO_BYTES) {
    this.m = model;
    this.runs = runs;
    this.shrink = model.referenceQuirks ? 1 : 0; // list[int(U·(len−1))] never picks the last element (§12.1 #1)
    this.N = model.instanceCount;
    this.R = model.regionCount;
    this.K = model.knownRegionCount;
    this.energy = model.transmissionEnergyKwhPerGb;
    this.halfEnergy = model.transmissionEnergyKwhPerGb / 2;
    this.unknownGramsPerGb = model.transmissionEnergyKwhPerGb * model.unknownRegionIntensity;
    this.layout = drawLayout(model);
    this.draws = new DrawTable(this.layout, runs, batchSize, seed);
    const edges = model.edgeFrom.length;
    const E = model.clientEdge;
    const N = this.N;
    this.wpdAtFunction = new Uint8Array(runs);
    this.invoked = new Uint8Array(N * runs);
    this.taken = new Uint8Array(E * runs);
    this.skipped = new Uint8Array(E * runs);
    this.sizeIndex = new Int32Array(edges * runs);
    this.runSize = new Float64Array(edges * runs);
    this.runBucket = new Int32Array(edges * runs);
    this.runSnsRequests = new Float64Array(edges * runs);
    this.homeDataset = new Int32Array(N + 2).fill(-1);
    this.homeDuration = new Float64Array((N + 2) * runs);
    this.homeDtde = new Float64Array((N + 2) * runs);
    this.homeCallOffset = new Float64Array(edges * runs);
    this.slotEntry = new Int32Array(model.slotCount * runs).fill(-1);
    this.slotSkipEdge = new Int32Array(model.slotCount * runs);
    this.syncOrder = new Int32Array(model.slotCount * runs);
    this.syncOrderCount = new Int32Array(N * runs);
    this.hasSlots = new Uint8Array(N);
    for (let s = 0; s < model.slotCount; s++) this.hasSlots[model.nonExecSyncNode[this.firstEntryOfSlot(s)]!] = 1;
    this.simpleInEdge = new Int32Array(N).fill(-1);
    for (let v = 0; v < N; v++) {
      if (model.inEdgeStart[v + 1]! - model.inEdgeStart[v]! === 1 && !this.hasSlots[v])
        this.simpleInEdge[v] = model.inEdges[model.inEdgeStart[v]!]!;
    }
    this.outEdgeList = [];
    this.outColumnList = [];
    for (let v = 0; v < N + 2; v++) {
      if (v === model.redirectorNode) {
        this.outEdgeList.push(Int32Array.of(model.redirectorEdge));
        this.outColumnList.push(Int32Array.of(1));
      } else if (v === model.clientNode) {
        this.outEdgeList.push(new Int32Array(0));
        this.outColumnList.push(new Int32Array(0));
      } else {
        const edgesOut = model.outEdges.slice(model.outEdgeStart[v]!, model.outEdgeStart[v + 1]!);
        this.outEdgeList.push(edgesOut);
        this.outColumnList.push(Int32Array.from(edgesOut, (e) => model.edgeAuxColumn[e]!));
      }
    }
    this.outEdgeRowList = this.outEdgeList.map((list) => Int32Array.from(list, (e) => e * runs));
    this.region = new Int32Array(N + 2);
    this.profile = new Int32Array(N + 2);
    this.edgeLatencyRow = new Int32Array(edges);
    this.edgeLatency = Array.from({ length: edges }, () => this.noLatency);
    this.latencyRowLimit = Math.max(2, Math.floor(latencyMemoBytes / (8 * runs)));
    this.weightRow = new Int32Array(this.K).fill(-1);
    this.touched = new Int32Array(this.K);
    this.cost = new Float64Array(runs);
    this.runtime = new Float64Array(runs);
    this.constant = new Float64Array(runs);
    this.weights = new Float64Array(this.K * runs);
    this.edgeTime = new Float64Array(edges * runs);
    this.start = new Float64Array(runs);
    this.intensity = new Float64Array(this.K);
    this.uploadTime = new Float64Array(model.maxInDegree);
    this.uploadSize = new Float64Array(model.maxInDegree);
    this.inEdgeParams = new Float64Array(model.maxInDegree * IN_EDGE_PARAMS);
    this.syncUploadRow = new Int32Array(N).fill(-1);
    this.deriveStructure();
    this.deriveRunLists();
    this.deriveSyncUploads();
    this.sampleHomeExecutions();
  }

  /** Executions sampled from each node's home dataset: most regions have no data of their own. */
  private sampleHomeExecutions(): void {
    const m = this.m;
    const runs = this.runs;
    const u = this.draws.values;
    for (let v = 0; v < this.N + 2; v++) {
      if (v === m.clientNode) continue;
      const profile = v === m.redirectorNode ? m.redirectorProfile : v * this.R + m.homeRegion;
      const dataset = m.profileDataset[profile]!;
      this.homeDataset[v] = dataset;
      const durationSite = this.layout.duration[v]! * runs;
      const auxSite = this.layout.auxRow[v]! * runs;
      const choices = m.datasetDurationCount[dataset]! - this.shrink;
      for (let r = 0; r < runs; r++) {
        const j = m.datasetDurationStart[dataset]! + ((u[durationSite + r]! * choices) | 0);
        this.homeDuration[v * runs + r] = m.durationSeconds[j]!;
        const row =
          m.durationRowStart[j]! + ((u[auxSite + r]! * (m.durationRowCount[j]! - this.shrink)) | 0) * m.datasetRowWidth[dataset]!;
        this.homeDtde[v * runs + r] = m.auxValues[row]!;
        const outEdges = this.outEdgeList[v]!;
        for (let k = 0; k < outEdges.length; k++)
          this.homeCallOffset[outEdges[k]! * runs + r] = m.auxValues[row + this.outColumnList[v]![k]!]!;
      }
    }
  }

  private firstEntryOfSlot(slot: number): number {
    const m = this.m;
    for (let n = 0; n < m.nonExecSlot.length; n++) if (m.nonExecSlot[n] === slot) return n;
    throw new Error(`slot ${slot} has no entry`);
  }

  /** Which edges are taken and which nodes run in each run: the same for every deployment. */
  private deriveStructure(): void {
    const m = this.m;
    const runs = this.runs;
    const u = this.draws.values;
    const layout = this.layout;
    const shrink = this.shrink;
    const pickSize = (e: number, r: number): number => {
      const si = m.sizeStart[e]! + ((u[layout.size[e]! * runs + r]! * (m.sizeCount[e]! - shrink)) | 0);
      this.runSize[e * runs + r] = m.sizeGb[si]!;
      this.runBucket[e * runs + r] = m.sizeBucket[si]!;
      this.runSnsRequests[e * runs + r] = m.sizeSnsRequests[si]!;
      return si;
    };
    for (let r = 0; r < runs; r++) {
      this.wpdAtFunction[r] = u[layout.wpdAtFunction * runs + r]! < m.wpdAtFunctionProbability ? 1 : 0;
      this.sizeIndex[m.clientEdge * runs + r] = pickSize(m.clientEdge, r);
      this.sizeIndex[m.redirectorEdge * runs + r] = pickSize(m.redirectorEdge, r);
      for (let t = 0; t < this.N; t++) {
        const v = m.topologicalOrder[t]!;
        let runsNode = v === m.startHop;
        if (!runsNode) {
          for (let k = m.inEdgeStart[v]!; k < m.inEdgeStart[v + 1]!; k++) {
            const e = m.inEdges[k]!;
            if (!this.invoked[m.edgeFrom[e]! * runs + r]) continue;
            if (this.taken[e * runs + r]) {
              runsNode = true;
              if (m.sizeCount[e]! === 0)
                throw new CaribouError(`edge ${m.edgeFrom[e]} → ${v} is taken but has no transfer sizes`);
              this.sizeIndex[e * runs + r] = pickSize(e, r);
            } else {
              this.skipped[e * runs + r] = 1;
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
        this.invoked[v * runs + r] = 1;
        for (let k = m.outEdgeStart[v]!; k < m.outEdgeStart[v + 1]!; k++) {
          const e = m.outEdges[k]!;
          if (u[layout.coin[e]! * runs + r]! < m.edgeProbability[e]!) this.taken[e * runs + r] = 1;
        }
      }
    }
  }

  setDeployment(deployment: ArrayLike<number>): void {
    const m = this.m;
    const N = this.N;
    const R = this.R;
    if (deployment.length !== N)
      throw new CaribouError(`deployment has ${deployment.length} regions; expected one per instance (${N})`);
    this.weightRow.fill(-1);
    let count = 0;
    const touch = (k: number): void => {
      if (this.weightRow[k]! < 0) {
        this.weightRow[k] = count;
        this.touched[count++] = k;
      }
    };
    for (let i = 0; i < N; i++) {
      const r = deployment[i]!;
      if (!Number.isInteger(r) || r < 0 || r >= R)
        throw new CaribouError(`deployment[${i}] = ${r} is not a region index in 0..${R - 1}`);
      this.region[i] = r;
      this.profile[i] = i * R + r;
      touch(r);
    }
    touch(m.homeRegion);
    touch(m.systemRegion);
    this.touchedCount = count;
    this.region[m.clientNode] = -1;
    this.region[m.redirectorNode] = m.homeRegion;
    this.profile[m.redirectorNode] = m.redirectorProfile;
    for (let e = 0; e < m.edgeFrom.length; e++) {
      if (e === m.clientEdge) continue;
      const from = e === m.redirectorEdge ? m.homeRegion : this.region[m.edgeFrom[e]!]!;
      const to = this.region[m.edgeTo[e]!]!;
      this.edgeLatencyRow[e] = m.edgeLatencyBase[e]! + (from * R + to) * m.edgeBucketCount[e]!;
      this.edgeLatency[e] = this.latencyRowOf(e);
    }
    this.redirectPossible = deployment[m.startHop] !== m.homeRegion && m.wpdAtFunctionProbability > 0;
  }

  /**
   * Simulates runs [first, last) of the current deployment and writes them to `out` from
   * `offset`: cost, runtime, and carbon priced at each hour slot (hour-major).
   */
  simulate(first: number, last: number, slots: readonly number[], out: SampleBlock, offset: number): void {
    // Runs go through the DAG in chunks small enough for their per-run state to stay in cache,
    // on a fixed grid of RUNS_PER_CHUNK runs (where the run lists know their offsets).
    for (let chunk = first; chunk < last; ) {
      const end = Math.min(last, (Math.floor(chunk / RUNS_PER_CHUNK) + 1) * RUNS_PER_CHUNK);
      this.simulateChunk(chunk, end);
      this.price(chunk, end, slots, out, offset + (chunk - first));
      chunk = end;
    }
  }

  private simulateChunk(first: number, last: number): void {
    const m = this.m;
    const runs = this.runs;
    this.cost.fill(0, first, last);
    this.runtime.fill(0, first, last);
    this.constant.fill(0, first, last);
    for (let t = 0; t < this.touchedCount; t++) this.weights.fill(0, t * runs + first, t * runs + last);
    this.startHop(first, last);
    for (let t = 0; t < this.N; t++) {
      const v = m.topologicalOrder[t]!;
      if (v === m.startHop) continue;
      this.chargeSkippedEdges(v, first, last);
      // Only the runs in which v runs (ascending): no per-run test, no mispredicted branch.
      const list = this.runsOf[v]!;
      const lo = indexOf(list, first);
      const hi = indexOf(list, last);
      const simple = this.simpleInEdge[v]!;
      if (simple >= 0) this.arriveAndExecute(v, simple, list.runs, lo, hi);
      else {
        this.arriveGeneral(v, first, last);
        this.execute(v, list.runs, lo, hi);
      }
    }
  }

  private addTransfer(from: number, to: number, sizeGb: number, run: number): void {
    const w = this.weights;
    const runs = this.runs;
    if (from === to) {
      w[this.weightRow[to]! * runs + run] += sizeGb * this.energy;
    } else {
      const half = sizeGb * this.halfEnergy;
      w[this.weightRow[from]! * runs + run] += half;
      w[this.weightRow[to]! * runs + run] += half;
    }
  }

  /** Steps 0–1: where the placement decision is read, the client hop, the redirector. */
  private startHop(first: number, last: number): void {
    const m = this.m;
    const runs = this.runs;
    const home = m.homeRegion;
    const startNode = m.startHop;
    const rs = this.region[startNode]!;
    const ce = m.clientEdge;
    const re = m.redirectorEdge;
    const redirectorStart = this.start;
    for (let r = first; r < last; r++) {
      const redirect = this.wpdAtFunction[r] === 1 && this.redirectPossible;
      if (!this.wpdAtFunction[r]) {
        this.cost[r] += m.wpdReadUnits * m.readUnitCost[m.systemRegion]!;
        this.constant[r] += m.wpdSizeGb * this.unknownGramsPerGb;
      } else {
        const reader = redirect ? home : rs;
        this.cost[r] += m.wpdReadUnits * m.readUnitCost[reader]!;
        this.addTransfer(m.systemRegion, reader, m.wpdSizeGb, r);
      }
      const si = this.sizeIndex[ce * runs + r]!;
      this.cost[r] += m.snsRequestCost[redirect ? home : rs]! * m.sizeSnsRequests[si]!;
      this.constant[r] += m.sizeGb[si]! * this.unknownGramsPerGb;
      redirectorStart[r] = redirect ? 0 : NaN;
    }
    if (this.redirectPossible) {
      const redirected = this.runsOf[m.redirectorNode]!;
      this.execute(m.redirectorNode, redirected.runs, indexOf(redirected, first), indexOf(redirected, last));
      const latency = this.edgeLatency[re]!;
      for (let r = first; r < last; r++) {
        if (redirectorStart[r] !== redirectorStart[r]) {
          redirectorStart[r] = 0;
          continue;
        }
        const si = this.sizeIndex[re * runs + r]!;
        const size = m.sizeGb[si]!;
        this.cost[r] += m.snsRequestCost[rs]! * m.sizeSnsRequests[si]! + m.transferCostPerGb[home]! * size;
        this.addTransfer(home, rs, size, r);
        redirectorStart[r] = this.edgeTime[re * runs + r]! + latency[r]!;
      }
    } else {
      this.start.fill(0, first, last);
    }
    const all = this.runsOf[startNode]!;
    this.execute(startNode, all.runs, indexOf(all, first), indexOf(all, last));
  }

  /** Non-execution notices of skipped edges into v (§3 step 2, "not taken"). */
  private chargeSkippedEdges(v: number, first: number, last: number): void {
    const m = this.m;
    const runs = this.runs;
    const cost = this.cost;
    const w = this.weights;
    for (let k = m.inEdgeStart[v]!; k < m.inEdgeStart[v + 1]!; k++) {
      const e = m.inEdges[k]!;
      const entries = m.nonExecCount[e]!;
      if (entries === 0) continue;
      const skipped = this.skippedRuns[e]!;
      const list = skipped.runs;
      const lo = indexOf(skipped, first);
      const hi = indexOf(skipped, last);
      if (lo === hi) continue;
      const ra = this.region[m.edgeFrom[e]!]!;
      const rowA = this.weightRow[ra]! * runs;
      for (let n = m.nonExecStart[e]!; n < m.nonExecStart[e]! + entries; n++) {
        const rs = this.region[m.nonExecSyncNode[n]!]!;
        const response = m.nonExecResponseGb[n]!;
        const charge = m.nonExecResponseWriteUnitsTwice[n]! * m.writeUnitCost[rs]! + (rs !== ra ? m.transferCostPerGb[rs]! * response : 0);
        const rowS = this.weightRow[rs]! * runs;
        const grams = response * this.energy;
        const half = response * this.halfEnergy;
        for (let i = lo; i < hi; i++) {
          const r = list[i]!;
          cost[r] += charge;
          if (rs === ra) w[rowA + r] += grams;
          else {
            w[rowS + r] += half;
            w[rowA + r] += half;
          }
        }
      }
    }
  }

  /**
   * A node with one in-edge and no simulated edges starts when that edge's message arrives, and
   * executes: arrival and execution in one pass over the runs in which it runs (the arithmetic
   * of `execute`, with the start time at hand).
   */
  private arriveAndExecute(v: number, e: number, list: Int32Array, lo: number, hi: number): void {
    const m = this.m;
    const runs = this.runs;
    const ra = this.region[m.edgeFrom[e]!]!;
    const rv = this.region[v]!;
    const latency = this.edgeLatency[e]!;
    const snsCost = m.snsRequestCost[rv]!;
    const egressCost = ra !== rv ? m.transferCostPerGb[ra]! : 0;
    const sameRegion = ra === rv;
    const rowA = this.weightRow[ra]! * runs;
    const runSize = this.runSize;
    const runSnsRequests = this.runSnsRequests;
    const edgeRow = e * runs;
    // Execution (see `execute`).
    const profile = this.profile[v]!;
    const dataset = m.profileDataset[profile]!;
    const scale = m.profileScale[profile]!;
    const costPerSecond = m.executionCostPerSecond[profile]!;
    const invocationCost = m.invocationCost[profile]!;
    const carbonPerSecond = m.executionCarbonPerSecond[profile]!;
    const outRows = this.outEdgeRowList[v]!;
    const outColumns = this.outColumnList[v]!;
    const outCount = outRows.length;
    const home = m.homeRegion;
    const rowV = this.weightRow[rv]! * runs;
    const rowHome = this.weightRow[home]! * runs;
    const atHome = rv === home;
    const halfUnknown = this.unknownGramsPerGb / 2;
    const energy = this.energy;
    const halfEnergy = this.halfEnergy;
    const quirks = m.referenceQuirks;
    const cost = this.cost;
    const constant = this.constant;
    const w = this.weights;
    const runtimes = this.runtime;
    const edgeTime = this.edgeTime;
    const nodeRow = v * runs;
    const fromHome = dataset === this.homeDataset[v];
    const homeDuration = this.homeDuration;
    const homeDtde = this.homeDtde;
    const homeCallOffset = this.homeCallOffset;
    const u = this.draws.values;
    const shrink = this.shrink;
    const durationStart = m.datasetDurationStart[dataset]!;
    const durationChoices = m.datasetDurationCount[dataset]! - shrink;
    const width = m.datasetRowWidth[dataset]!;
    const durationSite = this.layout.duration[v]! * runs;
    const auxSite = this.layout.auxRow[v]! * runs;
    const aux = m.auxValues;
    const durations = m.durationSeconds;
    const rowStart = m.durationRowStart;
    const rowCount = m.durationRowCount;
    for (let i = lo; i < hi; i++) {
      const r = list[i]!;
      // Arrival.
      const t0 = edgeTime[edgeRow + r]! + latency[r]!;
      const size = runSize[edgeRow + r]!;
      const c = cost[r]! + (snsCost * runSnsRequests[edgeRow + r]! + egressCost * size);
      let wv: number;
      if (sameRegion) wv = w[rowV + r]! + size * energy;
      else {
        const half = size * halfEnergy;
        w[rowA + r] += half;
        wv = w[rowV + r]! + half;
      }
      // Execution.
      let seconds: number;
      let dtde: number;
      if (fromHome) {
        seconds = homeDuration[nodeRow + r]! * scale;
        dtde = homeDtde[nodeRow + r]!;
        const end = t0 + seconds;
        for (let k = 0; k < outCount; k++) {
          const at = outRows[k]! + r;
          const logged = homeCallOffset[at]!;
          let time = end;
          if (logged === logged && logged !== NOT_LOGGED) time = t0 + logged * scale;
          else if (logged !== logged && quirks) this.nullSuccessorTime();
          edgeTime[at] = time;
        }
      } else {
        const j = durationStart + ((u[durationSite + r]! * durationChoices) | 0);
        const row = rowStart[j]! + ((u[auxSite + r]! * (rowCount[j]! - shrink)) | 0) * width;
        seconds = durations[j]! * scale;
        dtde = aux[row]!;
        const end = t0 + seconds;
        for (let k = 0; k < outCount; k++) {
          const logged = aux[row + outColumns[k]!]!;
          let time = end;
          if (logged === logged && logged !== NOT_LOGGED) time = t0 + logged * scale;
          else if (logged !== logged && quirks) this.nullSuccessorTime();
          edgeTime[outRows[k]! + r] = time;
        }
      }
      const end = t0 + seconds;
      cost[r] = c + (costPerSecond * seconds + invocationCost);
      wv += carbonPerSecond * seconds;
      if (dtde !== 0) {
        // Half of the data comes from the internet at large, half from the home region.
        constant[r] += dtde * halfUnknown;
        if (atHome) wv += (dtde / 2) * energy;
        else {
          const quarter = (dtde / 2) * halfEnergy;
          w[rowHome + r] += quarter;
          wv += quarter;
        }
      }
      w[rowV + r] = wv;
      if (end > runtimes[r]!) runtimes[r] = end;
    }
  }

  /**
   * The latency of edge e's message in every run, between the regions the current deployment
   * gives its ends (runs where e is not taken hold an unused value). Memoised per (edge, region
   * pair): the draws are fixed per seed, and a search evaluates many deployments that share most
   * of their region pairs. At most `latencyRowLimit` rows are kept (two generations).
   */
  private latencyRowOf(e: number): Float64Array {
    const key = this.edgeLatencyRow[e]!;
    let row = this.latencyRows.get(key);
    if (row) return row;
    row = this.previousLatencyRows.get(key);
    if (!row) {
      row = new Float64Array(this.runs);
      const m = this.m;
      const runs = this.runs;
      const u = this.draws.values;
      const shrink = this.shrink;
      const runBucket = this.runBucket;
      const latencyOffset = m.latencyOffset;
      const latencyLength = m.latencyLength;
      const latencyValues = m.latencyValues;
      const latencyShift = m.latencyShift;
      const site = this.layout.latency[e]! * runs;
      const edgeRow = e * runs;
      for (let r = 0; r < runs; r++) {
        const li = key + runBucket[edgeRow + r]!;
        row[r] = latencyValues[latencyOffset[li]! + ((u[site + r]! * (latencyLength[li]! - shrink)) | 0)]! + latencyShift[li]!;
      }
    }
    if (this.latencyRows.size * 2 >= this.latencyRowLimit) {
      this.previousLatencyRows = this.latencyRows;
      this.latencyRows = new Map();
    }
    this.latencyRows.set(key, row);
    return row;
  }

  /**
   * Sync nodes and targets of simulated edges: the latest-starting candidate triggers v (§3).
   * Run by run, in-edges in creation order then the simulated edges in insertion order (ties
   * keep the first); a candidate's latency is drawn from its fixed draw only when it becomes
   * the latest so far. The in-edges' deployment-dependent parameters are laid out once per call.
   */
  private arriveGeneral(v: number, first: number, last: number): void {
    const m = this.m;
    const runs = this.runs;
    const u = this.draws.values;
    const shrink = this.shrink;
    const rv = this.region[v]!;
    const R = this.R;
    const region = this.region;
    const weightRow = this.weightRow;
    const transferCostPerGb = m.transferCostPerGb;
    const rowV = weightRow[rv]! * runs;
    const energyV = this.energy;
    const halfEnergyV = this.halfEnergy;
    const p = this.inEdgeParams;
    const kFirst = m.inEdgeStart[v]!;
    const degree = m.inEdgeStart[v + 1]! - kFirst;
    for (let j = 0; j < degree; j++) {
      const e = m.inEdges[kFirst + j]!;
      const a = m.edgeFrom[e]!;
      const ra = region[a]!;
      const sameRegion = ra === rv;
      const energy = sameRegion ? energyV : halfEnergyV;
      const syncSize = m.edgeSyncSizeGb[e]!;
      const at = j * IN_EDGE_PARAMS;
      p[at + P_EDGE_ROW] = e * runs;
      p[at + P_LATENCY_ROW] = e;
      p[at + P_SYNC] = m.edgeSyncTarget[e] === 1 ? 1 : 0;
      p[at + P_SYNC_CHARGE] = m.edgeSyncWriteUnitsTwice[e]! * m.writeUnitCost[rv]! + (ra !== rv ? transferCostPerGb[rv]! * syncSize : 0);
      p[at + P_UPLOAD_EGRESS] = ra !== rv ? transferCostPerGb[ra]! : 0;
      p[at + P_ROW_A] = weightRow[ra]! * runs;
      p[at + P_SAME_REGION] = sameRegion ? 1 : 0;
      p[at + P_ENERGY] = energy;
      p[at + P_SYNC_GRAMS] = syncSize * energy;
      p[at + P_SNS_ONLY_SIZE] = m.edgeSnsOnlySizeGb[e]!;
      p[at + P_SNS_ONLY_REQUESTS] = m.edgeSnsOnlyRequests[e]!;
      p[at + P_FROM_REGION] = ra;
    }
    const uploadTime = this.uploadTime;
    const uploadSize = this.uploadSize;
    const edgeTime = this.edgeTime;
    const cost = this.cost;
    const w = this.weights;
    const start = this.start;
    const runSize = this.runSize;
    const runSnsRequests = this.runSnsRequests;
    const edgeLatency = this.edgeLatency;
    const latencyOffset = m.latencyOffset;
    const latencyLength = m.latencyLength;
    const latencyValues = m.latencyValues;
    const latencyShift = m.latencyShift;
    const orderBase = m.syncOrderBase[v]!;
    const hasSlots = this.hasSlots[v] === 1;
    const snsCost = m.snsRequestCost[rv]!;
    const writeCost = m.writeUnitCost[rv]!;
    const readCost = m.readUnitCost[rv]!;
    const syncRow = this.syncUploadRow[v]! * runs;
    const syncWrite = this.syncWriteUnits;
    const syncWriteSwapped = this.syncWriteUnitsSwapped;
    const syncRead = this.syncReadUnits;
    const syncOrderCount = this.syncOrderCount;
    const syncOrder = this.syncOrder;
    const slotEntry = this.slotEntry;
    const slotSkipEdge = this.slotSkipEdge;
    const slotLatency = this.layout.slotLatency;
    const nodeRow = v * runs;
    // Runs grouped by which in-edges are taken (ascending within a group): the edge loop and the
    // upload count are the same for every run of a group.
    const groups = this.takenGroups[v]!;
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      const list = group.runs.runs;
      const lo = indexOf(group.runs, first);
      const hi = indexOf(group.runs, last);
      const takenEdges = group.edges;
      const takenCount = takenEdges.length;
      for (let i = lo; i < hi; i++) {
        const r = list[i]!;
        let bestTau = -Infinity;
        let bestArrival = 0;
        let bestPayload = 0;
        let bestRequests = 0;
        let bestRegion = 0;
        let uploads = 0;
        for (let x = 0; x < takenCount; x++) {
          const at = takenEdges[x]! * IN_EDGE_PARAMS;
          const edgeRow = p[at + P_EDGE_ROW]!;
          const tau = edgeTime[edgeRow + r]!;
          if (p[at + P_SYNC] === 1) {
            // The payload goes through v's sync table (upload, then the table read back); SNS
            // carries only a small notice.
            const size = runSize[edgeRow + r]!;
            cost[r] += p[at + P_SYNC_CHARGE]! + p[at + P_UPLOAD_EGRESS]! * size;
            const grams = size * p[at + P_ENERGY]! + p[at + P_SYNC_GRAMS]!;
            if (p[at + P_SAME_REGION] === 1) w[rowV + r] += grams;
            else {
              w[p[at + P_ROW_A]! + r] += grams;
              w[rowV + r] += grams;
            }
            uploadTime[uploads] = tau;
            uploadSize[uploads] = size;
            uploads++;
            if (tau > bestTau) {
              bestTau = tau;
              bestArrival = tau + edgeLatency[p[at + P_LATENCY_ROW]!]![r]!;
              bestPayload = p[at + P_SNS_ONLY_SIZE]!;
              bestRequests = p[at + P_SNS_ONLY_REQUESTS]!;
              bestRegion = p[at + P_FROM_REGION]!;
            }
          } else if (tau > bestTau) {
            bestTau = tau;
            bestArrival = tau + edgeLatency[p[at + P_LATENCY_ROW]!]![r]!;
            bestPayload = runSize[edgeRow + r]!;
            bestRequests = runSnsRequests[edgeRow + r]!;
            bestRegion = p[at + P_FROM_REGION]!;
          }
        }
        if (uploads === 1) cost[r] += syncWrite[syncRow + r]! * writeCost + syncRead[syncRow + r]! * readCost;
        else if (uploads === 2) {
          // Upload order by (start time, size); the total does not depend on it (a + b = b + a).
          const t0 = uploadTime[0]!;
          const t1 = uploadTime[1]!;
          const inOrder = t0 < t1 || (t0 === t1 && uploadSize[0]! <= uploadSize[1]!);
          cost[r] += (inOrder ? syncWrite[syncRow + r]! : syncWriteSwapped[syncRow + r]!) * writeCost + syncRead[syncRow + r]! * readCost;
        } else if (uploads === 3) {
          // Three uploads sorted by (start time, size) inline; equal keys have equal sizes.
          let ta = uploadTime[0]!;
          let sa = uploadSize[0]!;
          let tb = uploadTime[1]!;
          let sb = uploadSize[1]!;
          const tc = uploadTime[2]!;
          const sc = uploadSize[2]!;
          let t: number;
          let sz: number;
          if (tb < ta || (tb === ta && sb < sa)) {
            t = ta;
            sz = sa;
            ta = tb;
            sa = sb;
            tb = t;
            sb = sz;
          }
          let total = 0;
          let writeUnits = 0;
          if (tc < tb || (tc === tb && sc < sb)) {
            if (tc < ta || (tc === ta && sc < sa)) {
              total += sc;
              writeUnits += Math.ceil(total * KIB_PER_GIB);
              total += sa;
              writeUnits += Math.ceil(total * KIB_PER_GIB);
            } else {
              total += sa;
              writeUnits += Math.ceil(total * KIB_PER_GIB);
              total += sc;
              writeUnits += Math.ceil(total * KIB_PER_GIB);
            }
            total += sb;
            writeUnits += Math.ceil(total * KIB_PER_GIB);
          } else {
            total += sa;
            writeUnits += Math.ceil(total * KIB_PER_GIB);
            total += sb;
            writeUnits += Math.ceil(total * KIB_PER_GIB);
            total += sc;
            writeUnits += Math.ceil(total * KIB_PER_GIB);
          }
          cost[r] += writeUnits * writeCost + Math.ceil((total * KIB_PER_GIB) / 4) * readCost;
        } else if (uploads > 3) cost[r] += this.syncUploadUnits(uploads, writeCost, readCost);
        const slots = hasSlots ? syncOrderCount[nodeRow + r]! : 0;
        for (let q = 0; q < slots; q++) {
          const slot = syncOrder[(orderBase + q) * runs + r]!;
          const tau = edgeTime[slotSkipEdge[slot * runs + r]! * runs + r]!;
          if (tau > bestTau) {
            const n = slotEntry[slot * runs + r]!;
            const ra = region[m.slotFrom[slot]!]!;
            const li = m.nonExecLatencyBase[n]! + ra * R + rv;
            bestTau = tau;
            bestArrival =
              tau +
              (latencyValues[latencyOffset[li]! + ((u[slotLatency[slot]! * runs + r]! * (latencyLength[li]! - shrink)) | 0)]! +
                latencyShift[li]!);
            bestPayload = m.nonExecSnsSizeGb[n]!;
            bestRequests = m.nonExecSnsRequests[n]!;
            bestRegion = ra;
          }
        }
        // Only the triggering candidate pays the SNS request (§12.1 #4).
        cost[r] += snsCost * bestRequests;
        if (bestRegion === rv) w[rowV + r] += bestPayload * energyV;
        else {
          cost[r] += transferCostPerGb[bestRegion]! * bestPayload;
          const half = bestPayload * halfEnergyV;
          w[weightRow[bestRegion]! * runs + r] += half;
          w[rowV + r] += half;
        }
        start[r] = bestArrival;
      }
    }
  }

  private deriveRunLists(): void {
    const m = this.m;
    const runs = this.runs;
    const listOf = (flags: Uint8Array, row: number): RunList => {
      const list: number[] = [];
      for (let r = 0; r < runs; r++) if (flags[row * runs + r]) list.push(r);
      return runList(list, runs);
    };
    this.runsOf = [];
    for (let v = 0; v < this.N; v++) this.runsOf.push(listOf(this.invoked, v));
    this.runsOf.push(runList([], runs)); // the client
    this.runsOf.push(listOf(this.wpdAtFunction, 0)); // the redirector
    this.skippedRuns = [];
    for (let e = 0; e < m.clientEdge; e++) this.skippedRuns.push(listOf(this.skipped, e));
    this.takenGroups = [];
    for (let v = 0; v < this.N; v++) {
      const groups = new Map<string, { edges: number[]; runs: number[] }>();
      if (this.simpleInEdge[v]! < 0 && v !== m.startHop) {
        const first = m.inEdgeStart[v]!;
        const degree = m.inEdgeStart[v + 1]! - first;
        for (const r of this.runsOf[v]!.runs) {
          const edges: number[] = [];
          for (let j = 0; j < degree; j++) if (this.taken[m.inEdges[first + j]! * runs + r]) edges.push(j);
          const key = edges.join(',');
          const group = groups.get(key) ?? { edges, runs: [] };
          group.runs.push(r);
          groups.set(key, group);
        }
      }
      this.takenGroups.push([...groups.values()].map((g) => ({ edges: Int32Array.from(g.edges), runs: runList(g.runs, runs) })));
    }
  }

  /**
   * Write and read units of the sync-table uploads of one or two uploads per run: they depend
   * on which edges are taken and on the sizes sent, not on the deployment — except, for two
   * uploads, on which starts first (`syncWriteUnitsSwapped` when the second one does).
   */
  private deriveSyncUploads(): void {
    const m = this.m;
    const runs = this.runs;
    let rows = 0;
    for (let v = 0; v < this.N; v++) {
      let sync = false;
      for (let k = m.inEdgeStart[v]!; k < m.inEdgeStart[v + 1]!; k++) if (m.edgeSyncTarget[m.inEdges[k]!] === 1) sync = true;
      if (sync) this.syncUploadRow[v] = rows++;
    }
    this.syncWriteUnits = new Float64Array(rows * runs);
    this.syncWriteUnitsSwapped = new Float64Array(rows * runs);
    this.syncReadUnits = new Float64Array(rows * runs);
    for (let v = 0; v < this.N; v++) {
      const base = this.syncUploadRow[v]! * runs;
      if (base < 0) continue;
      for (let r = 0; r < runs; r++) {
        let count = 0;
        let s0 = 0;
        let s1 = 0;
        for (let k = m.inEdgeStart[v]!; k < m.inEdgeStart[v + 1]!; k++) {
          const e = m.inEdges[k]!;
          if (m.edgeSyncTarget[e] !== 1 || !this.taken[e * runs + r]) continue;
          if (count === 0) s0 = this.runSize[e * runs + r]!;
          else if (count === 1) s1 = this.runSize[e * runs + r]!;
          count++;
        }
        if (count === 1) {
          this.syncWriteUnits[base + r] = Math.ceil(s0 * KIB_PER_GIB);
          this.syncReadUnits[base + r] = Math.ceil((s0 * KIB_PER_GIB) / 4);
        } else if (count === 2) {
          const total = s0 + s1;
          this.syncWriteUnits[base + r] = Math.ceil(s0 * KIB_PER_GIB) + Math.ceil(total * KIB_PER_GIB);
          this.syncWriteUnitsSwapped[base + r] = Math.ceil(s1 * KIB_PER_GIB) + Math.ceil(total * KIB_PER_GIB);
          this.syncReadUnits[base + r] = Math.ceil((total * KIB_PER_GIB) / 4);
        }
      }
    }
  }

  /**
   * Sync table writes rewrite the growing item: in upload order (by start time), the write
   * units of each running total, plus one read of the final item (§3 step 3). Three or more
   * uploads of the current run, in `uploadTime`/`uploadSize` (one or two are tabulated per seed,
   * three sorted inline);
   * sorts them in place.
   */
  private syncUploadUnits(count: number, writeCost: number, readCost: number): number {
    const order = this.uploadTime;
    const sorted = this.uploadSize;
    for (let i = 1; i < count; i++) {
      const t = order[i]!;
      const s = sorted[i]!;
      let j = i - 1;
      while (j >= 0 && (order[j]! > t || (order[j] === t && sorted[j]! > s))) {
        order[j + 1] = order[j]!;
        sorted[j + 1] = sorted[j]!;
        j--;
      }
      order[j + 1] = t;
      sorted[j + 1] = s;
    }
    let total = 0;
    let writeUnits = 0;
    for (let i = 0; i < count; i++) {
      total += sorted[i]!;
      writeUnits += Math.ceil(total * KIB_PER_GIB);
    }
    return writeUnits * writeCost + Math.ceil((total * KIB_PER_GIB) / 4) * readCost;
  }

  /**
   * Executes v in the runs `list[lo..hi)`, starting at `start[run]` (§2.2 node execution).
   * Executions drawn from the node's home dataset use the per-seed tables, others draw here.
   */
  private execute(v: number, list: Int32Array, lo: number, hi: number): void {
    const m = this.m;
    const runs = this.runs;
    const profile = this.profile[v]!;
    const rv = this.region[v]!;
    const dataset = m.profileDataset[profile]!;
    const scale = m.profileScale[profile]!;
    const costPerSecond = m.executionCostPerSecond[profile]!;
    const invocationCost = m.invocationCost[profile]!;
    const carbonPerSecond = m.executionCarbonPerSecond[profile]!;
    const outRows = this.outEdgeRowList[v]!;
    const outColumns = this.outColumnList[v]!;
    const outCount = outRows.length;
    const home = m.homeRegion;
    const rowV = this.weightRow[rv]! * runs;
    const rowHome = this.weightRow[home]! * runs;
    const atHome = rv === home;
    const halfUnknown = this.unknownGramsPerGb / 2;
    const energy = this.energy;
    const halfEnergy = this.halfEnergy;
    const quirks = m.referenceQuirks;
    const start = this.start;
    const cost = this.cost;
    const constant = this.constant;
    const w = this.weights;
    const runtimes = this.runtime;
    const edgeTime = this.edgeTime;
    const nodeRow = v * runs;
    const fromHome = dataset === this.homeDataset[v];
    const homeDuration = this.homeDuration;
    const homeDtde = this.homeDtde;
    const homeCallOffset = this.homeCallOffset;
    const u = this.draws.values;
    const shrink = this.shrink;
    const durationStart = m.datasetDurationStart[dataset]!;
    const durationChoices = m.datasetDurationCount[dataset]! - shrink;
    const width = m.datasetRowWidth[dataset]!;
    const durationSite = this.layout.duration[v]! * runs;
    const auxSite = this.layout.auxRow[v]! * runs;
    const aux = m.auxValues;
    const durations = m.durationSeconds;
    const rowStart = m.durationRowStart;
    const rowCount = m.durationRowCount;
    for (let i = lo; i < hi; i++) {
      const r = list[i]!;
      const t0 = start[r]!;
      let seconds: number;
      let dtde: number;
      if (fromHome) {
        seconds = homeDuration[nodeRow + r]! * scale;
        dtde = homeDtde[nodeRow + r]!;
        const end = t0 + seconds;
        for (let k = 0; k < outCount; k++) {
          const at = outRows[k]! + r;
          const logged = homeCallOffset[at]!;
          let time = end;
          if (logged === logged && logged !== NOT_LOGGED) time = t0 + logged * scale;
          else if (logged !== logged && quirks) this.nullSuccessorTime();
          edgeTime[at] = time;
        }
      } else {
        const j = durationStart + ((u[durationSite + r]! * durationChoices) | 0);
        const row = rowStart[j]! + ((u[auxSite + r]! * (rowCount[j]! - shrink)) | 0) * width;
        seconds = durations[j]! * scale;
        dtde = aux[row]!;
        const end = t0 + seconds;
        for (let k = 0; k < outCount; k++) {
          const logged = aux[row + outColumns[k]!]!;
          let time = end;
          if (logged === logged && logged !== NOT_LOGGED) time = t0 + logged * scale;
          else if (logged !== logged && quirks) this.nullSuccessorTime();
          edgeTime[outRows[k]! + r] = time;
        }
      }
      const end = t0 + seconds;
      cost[r] += costPerSecond * seconds + invocationCost;
      w[rowV + r] += carbonPerSecond * seconds;
      if (dtde !== 0) {
        // Half of the data comes from the internet at large, half from the home region.
        constant[r] += dtde * halfUnknown;
        if (atHome) w[rowV + r] += (dtde / 2) * energy;
        else {
          const quarter = (dtde / 2) * halfEnergy;
          w[rowHome + r] += quarter;
          w[rowV + r] += quarter;
        }
      }
      if (end > runtimes[r]!) runtimes[r] = end;
    }
  }

  private nullSuccessorTime(): never {
    throw new CaribouError('auxiliary data holds a null successor time; the reference solver fails here (§12.1 #12)');
  }

  /**
   * Cost and runtime of runs [first, last) to `out`, and their carbon at each hour slot: per run,
   * the grams at the fixed intensity plus each touched region's grams per unit times its
   * intensity that hour, summed in touched order in a register.
   */
  private price(first: number, last: number, slots: readonly number[], out: SampleBlock, offset: number): void {
    const runs = this.runs;
    const K = this.K;
    const ci = this.m.carbonIntensity;
    const w = this.weights;
    const touched = this.touched;
    const touchedCount = this.touchedCount;
    const intensity = this.intensity;
    const constant = this.constant;
    const carbon = out.carbon;
    const count = last - first;
    out.cost.set(this.cost.subarray(first, last), offset);
    out.runtime.set(this.runtime.subarray(first, last), offset);
    for (let h = 0; h < slots.length; h++) {
      const base = h * out.runs + offset - first;
      for (let t = 0; t < touchedCount; t++) intensity[t] = ci[slots[h]! * K + touched[t]!]!;
      for (let r = first; r < first + count; r++) {
        let grams = constant[r]!;
        for (let t = 0, at = r; t < touchedCount; t++, at += runs) grams += w[at]! * intensity[t]!;
        carbon[base + r] = grams;
      }
    }
  }
}
