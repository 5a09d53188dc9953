import { CaribouError } from '@caribou/domain-common';
import { NOT_LOGGED, type CompiledModel } from '@caribou/domain-model';
import type { UniformSource } from '../random';

const KIB_PER_GIB = 1048576;

/**
 * One simulated workflow run (reference-solver.md §3) over a compiled model, written for speed:
 * all state lives in preallocated typed arrays, and cost/carbon are accumulated as they arise
 * (both are linear in the transferred bytes and unit counts, so nothing is kept per node).
 *
 * Carbon is accumulated as grams per unit of grid intensity for each region (`carbonWeights`)
 * plus grams at the fixed unknown-endpoint intensity (`carbonConstant`); `carbonAt(slot)`
 * prices a run at any hour. Draw order follows §3 exactly, so a run consumes the same draws
 * as the literal simulator.
 */
export class FastSimulator {
  /** Results of the last run. */
  cost = 0;
  runtime = 0;
  carbonConstant = 0;
  readonly carbonWeights: Float64Array;

  private readonly m: CompiledModel;
  private readonly pickShrink: number;
  private readonly quirks: boolean;
  private readonly N: number;
  private readonly R: number;
  private readonly K: number;
  private readonly halfEnergy: number;
  private readonly energy: number;
  private readonly unknownGramsPerGb: number;

  // Deployment-specific tables (setDeployment).
  private readonly nodeRegion: Int32Array;
  private readonly nodeProfile: Int32Array;
  private readonly edgeLatencyRow: Int32Array;
  private readonly touched: Int32Array;
  private touchedCount = 0;
  private redirectPossible = false;

  // Per-run state.
  private readonly invoked: Uint8Array;
  private readonly edgeTaken: Uint8Array;
  private readonly edgeTime: Float64Array;
  private readonly slotEntry: Int32Array;
  private readonly slotTime: Float64Array;
  private readonly syncOrder: Int32Array;
  private readonly syncOrderCount: Int32Array;
  private readonly uploadTime: Float64Array;
  private readonly uploadSize: Float64Array;

  constructor(model: CompiledModel) {
    this.m = model;
    this.quirks = model.referenceQuirks;
    // The reference picks list[int(U·(len−1))] and never returns the last element (§12.1 #1).
    this.pickShrink = model.referenceQuirks ? 1 : 0;
    this.N = model.instanceCount;
    this.R = model.regionCount;
    this.K = model.knownRegionCount;
    this.energy = model.transmissionEnergyKwhPerGb;
    this.halfEnergy = model.transmissionEnergyKwhPerGb / 2;
    this.unknownGramsPerGb = model.transmissionEnergyKwhPerGb * model.unknownRegionIntensity;
    const nodes = this.N + 2;
    const edges = model.edgeFrom.length;
    this.carbonWeights = new Float64Array(this.K);
    this.nodeRegion = new Int32Array(nodes);
    this.nodeProfile = new Int32Array(nodes);
    this.edgeLatencyRow = new Int32Array(edges);
    this.touched = new Int32Array(this.K);
    this.invoked = new Uint8Array(nodes);
    this.edgeTaken = new Uint8Array(edges);
    this.edgeTime = new Float64Array(edges);
    this.slotEntry = new Int32Array(Math.max(1, model.slotCount));
    this.slotTime = new Float64Array(Math.max(1, model.slotCount));
    this.syncOrder = new Int32Array(Math.max(1, model.slotCount));
    this.syncOrderCount = new Int32Array(this.N);
    this.uploadTime = new Float64Array(model.maxInDegree);
    this.uploadSize = new Float64Array(model.maxInDegree);
  }

  /** Regions (indices) the current deployment can charge carbon to. */
  get touchedRegions(): Int32Array {
    return this.touched.subarray(0, this.touchedCount);
  }

  setDeployment(deployment: ArrayLike<number>): void {
    const m = this.m;
    const N = this.N;
    const R = this.R;
    if (deployment.length !== N) throw new CaribouError(`deployment has ${deployment.length} regions; expected one per instance (${N})`);
    const seen = new Uint8Array(this.K);
    let count = 0;
    const touch = (k: number): void => {
      if (!seen[k]) {
        seen[k] = 1;
        this.touched[count++] = k;
      }
    };
    for (let i = 0; i < N; i++) {
      const r = deployment[i]!;
      if (!Number.isInteger(r) || r < 0 || r >= R)
        throw new CaribouError(`deployment[${i}] = ${r} is not a region index in 0..${R - 1}`);
      this.nodeRegion[i] = r;
      this.nodeProfile[i] = i * R + r;
      touch(r);
    }
    touch(m.homeRegion);
    touch(m.systemRegion);
    this.touchedCount = count;
    this.nodeRegion[m.clientNode] = -1;
    this.nodeRegion[m.redirectorNode] = m.homeRegion;
    this.nodeProfile[m.redirectorNode] = m.redirectorProfile;
    const edges = m.edgeFrom.length;
    for (let e = 0; e < edges; e++) {
      if (e === m.clientEdge) {
        this.edgeLatencyRow[e] = m.edgeLatencyBase[e]!;
        continue;
      }
      const from = e === m.redirectorEdge ? m.homeRegion : this.nodeRegion[m.edgeFrom[e]!]!;
      const to = this.nodeRegion[m.edgeTo[e]!]!;
      this.edgeLatencyRow[e] = m.edgeLatencyBase[e]! + (from * R + to) * m.edgeBucketCount[e]!;
    }
    this.redirectPossible = deployment[m.startHop] !== m.homeRegion && m.wpdAtFunctionProbability > 0;
  }

  /** Carbon (g) of the last run at an hour slot (0 = daily average, 1 + h = hour h). */
  carbonAt(slot: number): number {
    const K = this.K;
    const ci = this.m.carbonIntensity;
    const w = this.carbonWeights;
    const touched = this.touched;
    const base = slot * K;
    let carbon = this.carbonConstant;
    for (let t = 0; t < this.touchedCount; t++) {
      const k = touched[t]!;
      carbon += w[k]! * ci[base + k]!;
    }
    return carbon;
  }

  /** Adds `sizeGb` arriving in region `to` from region `from` (both known) to the carbon weights. */
  private transmission(from: number, to: number, sizeGb: number): void {
    const w = this.carbonWeights;
    if (from === to) {
      w[to] += sizeGb * this.energy;
    } else {
      const half = sizeGb * this.halfEnergy;
      w[from] += half;
      w[to] += half;
    }
  }

  /** Simulates node `v` executing from `startTime`; sets its successors' invocation times. */
  private execute(v: number, startTime: number, rng: UniformSource): void {
    const m = this.m;
    const profile = this.nodeProfile[v]!;
    const region = this.nodeRegion[v]!;
    const dataset = m.profileDataset[profile]!;
    const scale = m.profileScale[profile]!;
    const shrink = this.pickShrink;
    const j = m.datasetDurationStart[dataset]! + ((rng.next() * (m.datasetDurationCount[dataset]! - shrink)) | 0);
    const width = m.datasetRowWidth[dataset]!;
    const row = m.durationRowStart[j]! + ((rng.next() * (m.durationRowCount[j]! - shrink)) | 0) * width;
    const aux = m.auxValues;
    const runtime = m.durationSeconds[j]! * scale;
    const end = startTime + runtime;
    if (v === m.redirectorNode) {
      this.edgeTime[m.redirectorEdge] = this.successorTime(aux[row + 1]!, startTime, scale, end);
    } else {
      const outEnd = m.outEdgeStart[v + 1]!;
      for (let k = m.outEdgeStart[v]!; k < outEnd; k++) {
        const e = m.outEdges[k]!;
        this.edgeTime[e] = this.successorTime(aux[row + m.edgeAuxColumn[e]!]!, startTime, scale, end);
      }
    }
    this.cost += m.executionCostPerSecond[profile]! * runtime + m.invocationCost[profile]!;
    this.carbonWeights[region] += m.executionCarbonPerSecond[profile]! * runtime;
    const dtde = aux[row]!;
    if (dtde !== 0) {
      const half = dtde / 2;
      this.carbonConstant += half * this.unknownGramsPerGb;
      this.transmission(m.homeRegion, region, half);
    }
    if (end > this.runtime) this.runtime = end;
    this.invoked[v] = 1;
  }

  private successorTime(logged: number, startTime: number, scale: number, end: number): number {
    if (logged === logged && logged !== NOT_LOGGED) return startTime + logged * scale;
    if (logged !== logged && this.quirks)
      throw new CaribouError('auxiliary data holds a null successor time; the reference solver fails here (§12.1 #12)');
    return end;
  }

  /** Runs one simulation; results in cost, runtime, carbonConstant and carbonWeights. */
  run(rng: UniformSource): void {
    const m = this.m;
    const N = this.N;
    const R = this.R;
    const shrink = this.pickShrink;
    const region = this.nodeRegion;
    const invoked = this.invoked;
    const edgeTaken = this.edgeTaken;
    const edgeTime = this.edgeTime;
    const w = this.carbonWeights;
    for (let t = 0; t < this.touchedCount; t++) w[this.touched[t]!] = 0;
    invoked.fill(0);
    this.cost = 0;
    this.runtime = 0;
    this.carbonConstant = 0;
    if (m.slotCount > 0) {
      this.slotEntry.fill(-1);
      this.syncOrderCount.fill(0);
    }
    const sizeGb = m.sizeGb;
    const sizeStart = m.sizeStart;
    const sizeCount = m.sizeCount;
    const sizeBucket = m.sizeBucket;
    const latOffset = m.latencyOffset;
    const latLength = m.latencyLength;
    const latShift = m.latencyShift;
    const latValues = m.latencyValues;
    const transferCost = m.transferCostPerGb;
    const writeCost = m.writeUnitCost;
    const home = m.homeRegion;
    const start = m.startHop;

    // Step 0: where the placement decision is read.
    const wpdAtFunction = rng.next() < m.wpdAtFunctionProbability;
    const redirect = wpdAtFunction && this.redirectPossible;
    const readerRegion = !wpdAtFunction ? m.systemRegion : redirect ? home : region[start]!;
    this.cost += m.wpdReadUnits * m.readUnitCost[readerRegion]!;
    if (!wpdAtFunction) this.carbonConstant += m.wpdSizeGb * this.unknownGramsPerGb;
    else this.transmission(m.systemRegion, readerRegion, m.wpdSizeGb);
    invoked[m.clientNode] = 1;

    for (let t = 0; t < N; t++) {
      const v = m.topologicalOrder[t]!;
      const rv = region[v]!;
      let bestTau = -Infinity;
      let bestArrival = 0;
      let bestPayload = 0;
      let bestRequests = 0;
      let bestFrom = -1;
      let anyTaken = false;

      if (v === start) {
        // Step 1: the start hop, through the redirector when the entry point is away from home.
        const ce = m.clientEdge;
        const ci = sizeStart[ce]! + ((rng.next() * (sizeCount[ce]! - shrink)) | 0);
        rng.next(); // the client edge's latency list is [0]
        const clientSize = sizeGb[ci]!;
        const firstHopRegion = redirect ? home : rv;
        this.cost += m.snsRequestCost[firstHopRegion]! * m.sizeSnsRequests[ci]!;
        this.carbonConstant += clientSize * this.unknownGramsPerGb;
        if (redirect) {
          this.execute(m.redirectorNode, 0, rng);
          const re = m.redirectorEdge;
          const si = sizeStart[re]! + ((rng.next() * (sizeCount[re]! - shrink)) | 0);
          const li = this.edgeLatencyRow[re]! + sizeBucket[si]!;
          const latency = latValues[latOffset[li]! + ((rng.next() * (latLength[li]! - shrink)) | 0)]! + latShift[li]!;
          const size = sizeGb[si]!;
          this.cost += m.snsRequestCost[rv]! * m.sizeSnsRequests[si]! + transferCost[home]! * size;
          this.transmission(home, rv, size);
          this.execute(v, edgeTime[re]! + latency, rng);
        } else {
          this.execute(v, 0, rng);
        }
      } else {
        const inEnd = m.inEdgeStart[v + 1]!;
        let uploads = 0;
        for (let k = m.inEdgeStart[v]!; k < inEnd; k++) {
          const e = m.inEdges[k]!;
          const a = m.edgeFrom[e]!;
          if (!invoked[a]) continue;
          const ra = region[a]!;
          if (edgeTaken[e]) {
            const si = sizeStart[e]! + ((rng.next() * (sizeCount[e]! - shrink)) | 0);
            const li = this.edgeLatencyRow[e]! + sizeBucket[si]!;
            const latency = latValues[latOffset[li]! + ((rng.next() * (latLength[li]! - shrink)) | 0)]! + latShift[li]!;
            const size = sizeGb[si]!;
            const tau = edgeTime[e]!;
            let payload = size;
            let requests = m.sizeSnsRequests[si]!;
            if (m.edgeSyncTarget[e]) {
              // Payload goes through v's sync table; SNS carries only a small notice.
              payload = m.edgeSnsOnlySizeGb[e]!;
              requests = m.edgeSnsOnlyRequests[e]!;
              const syncSize = m.edgeSyncSizeGb[e]!;
              this.cost += m.edgeSyncWriteUnitsTwice[e]! * writeCost[rv]!;
              if (ra !== rv) this.cost += transferCost[ra]! * size + transferCost[rv]! * syncSize;
              this.transmission(ra, rv, size);
              this.transmission(rv, ra, syncSize);
              this.uploadTime[uploads] = tau;
              this.uploadSize[uploads] = size;
              uploads++;
            }
            if (tau > bestTau) {
              bestTau = tau;
              bestArrival = tau + latency;
              bestPayload = payload;
              bestRequests = requests;
              bestFrom = a;
            }
            anyTaken = true;
          } else {
            const neEnd = m.nonExecStart[e]! + m.nonExecCount[e]!;
            for (let n = m.nonExecStart[e]!; n < neEnd; n++) {
              const sync = m.nonExecSyncNode[n]!;
              const rs = region[sync]!;
              const response = m.nonExecResponseGb[n]!;
              this.cost += m.nonExecResponseWriteUnitsTwice[n]! * writeCost[rs]!;
              if (rs !== ra) this.cost += transferCost[rs]! * response;
              this.transmission(rs, ra, response);
              const slot = m.nonExecSlot[n]!;
              if (this.slotEntry[slot]! < 0) {
                this.syncOrder[m.syncOrderBase[sync]! + this.syncOrderCount[sync]!] = slot;
                this.syncOrderCount[sync]! += 1;
              }
              this.slotEntry[slot] = n;
              this.slotTime[slot] = edgeTime[e]!;
            }
          }
        }
        if (uploads > 0) this.chargeSyncUploads(uploads, rv);
        if (!anyTaken) continue;
        const orderBase = m.syncOrderBase[v]!;
        const orderCount = m.slotCount > 0 ? this.syncOrderCount[v]! : 0;
        for (let q = 0; q < orderCount; q++) {
          const slot = this.syncOrder[orderBase + q]!;
          const n = this.slotEntry[slot]!;
          const a = m.slotFrom[slot]!;
          const li = m.nonExecLatencyBase[n]! + region[a]! * R + rv;
          const latency = latValues[latOffset[li]! + ((rng.next() * (latLength[li]! - shrink)) | 0)]! + latShift[li]!;
          const tau = this.slotTime[slot]!;
          if (tau > bestTau) {
            bestTau = tau;
            bestArrival = tau + latency;
            bestPayload = m.nonExecSnsSizeGb[n]!;
            bestRequests = m.nonExecSnsRequests[n]!;
            bestFrom = a;
          }
        }
        // The latest-starting candidate triggers v through SNS; only it pays the request.
        const rf = region[bestFrom]!;
        this.cost += m.snsRequestCost[rv]! * bestRequests;
        if (rf !== rv) this.cost += transferCost[rf]! * bestPayload;
        this.transmission(rf, rv, bestPayload);
        this.execute(v, bestArrival, rng);
      }

      const outEnd = m.outEdgeStart[v + 1]!;
      for (let k = m.outEdgeStart[v]!; k < outEnd; k++) {
        const e = m.outEdges[k]!;
        edgeTaken[e] = rng.next() < m.edgeProbability[e]! ? 1 : 0;
      }
    }
  }

  /** Sync table writes rewrite the growing item: Σ WCU of the running sizes, one read at the end. */
  private chargeSyncUploads(count: number, region: number): void {
    const times = this.uploadTime;
    const sizes = this.uploadSize;
    for (let i = 1; i < count; i++) {
      const t = times[i]!;
      const s = sizes[i]!;
      let j = i - 1;
      while (j >= 0 && (times[j]! > t || (times[j] === t && sizes[j]! > s))) {
        times[j + 1] = times[j]!;
        sizes[j + 1] = sizes[j]!;
        j--;
      }
      times[j + 1] = t;
      sizes[j + 1] = s;
    }
    let cumulative = 0;
    let writeUnits = 0;
    for (let i = 0; i < count; i++) {
      cumulative += sizes[i]!;
      writeUnits += Math.ceil(cumulative * KIB_PER_GIB);
    }
    const readUnits = Math.ceil((cumulative * KIB_PER_GIB) / 4);
    this.cost += writeUnits * this.m.writeUnitCost[region]! + readUnits * this.m.readUnitCost[region]!;
  }
}
