import { CaribouError } from '@caribou/domain-common';
import {
  readCapacityUnits,
  roundSizeToNearestKiB,
  roundSizeUpTo10KiB,
  snsRequests,
  transferSizeKey,
  writeCapacityUnits,
} from './bucket-keys';
import { CarbonSettings, SolverDefaults } from './constants';
import { HOUR_SLOTS } from './loaders/region-data';
import type { LatencyList, WorkflowModel } from './workflow-model';

/** Marker in auxiliary rows: the collector's translation has no column for this successor. */
export const NOT_LOGGED = -Infinity;

/**
 * The workflow model flattened into typed arrays so that one simulated run does no allocation
 * and no map lookup (reference-solver.md §2–§3). Everything here is hour-independent except
 * `carbonIntensity`, which holds every hour slot; carbon is accumulated per region and priced
 * per hour afterwards, so one simulation yields the metrics of all hours.
 *
 * Nodes: instances 0..N-1, then the virtual client (N) and the redirector (N+1).
 * Edges: DAG edges in creation order (predecessors in topological order, successors in index
 * order), then the client edge (E) and the redirector hop (E+1).
 */
export interface CompiledModel {
  referenceQuirks: boolean;
  instanceCount: number;
  /** Regions a deployment may use (indices 0..R-1). */
  regionCount: number;
  /** All known regions incl. the system region (K ≥ R). */
  knownRegionCount: number;
  homeRegion: number;
  systemRegion: number;
  startHop: number;
  clientNode: number;
  redirectorNode: number;
  clientEdge: number;
  redirectorEdge: number;
  topologicalOrder: Int32Array;

  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  edgeProbability: Float64Array;
  /** Column of the target's invocation time in the source's auxiliary rows (≥ 1). */
  edgeAuxColumn: Int32Array;
  edgeSyncTarget: Uint8Array;
  /** In-edges of each instance, in creation order (CSR). */
  inEdgeStart: Int32Array;
  inEdges: Int32Array;
  /** Out-edges of each instance, in successor order (CSR). */
  outEdgeStart: Int32Array;
  outEdges: Int32Array;

  /** Transfer sizes of each edge (CSR): value, size-bucket index within the edge, SNS requests. */
  sizeStart: Int32Array;
  sizeCount: Int32Array;
  sizeGb: Float64Array;
  sizeBucket: Int32Array;
  sizeSnsRequests: Float64Array;
  edgeBucketCount: Int32Array;

  /** Latency lists: entry = (offset into latencyValues, length, shift). */
  edgeLatencyBase: Int32Array;
  latencyOffset: Int32Array;
  latencyLength: Int32Array;
  latencyShift: Float64Array;
  latencyValues: Float64Array;

  /** Sync bookkeeping of edges into a node with in-degree > 1. */
  edgeSyncSizeGb: Float64Array;
  edgeSyncWriteUnitsTwice: Float64Array;
  edgeSnsOnlySizeGb: Float64Array;
  edgeSnsOnlyRequests: Float64Array;

  /** Non-execution entries of each edge (CSR). */
  nonExecStart: Int32Array;
  nonExecCount: Int32Array;
  nonExecSyncNode: Int32Array;
  nonExecResponseGb: Float64Array;
  nonExecResponseWriteUnitsTwice: Float64Array;
  nonExecSnsSizeGb: Float64Array;
  nonExecSnsRequests: Float64Array;
  /** Latency entries (see latencyOffset) of (fromRegion, syncRegion) pairs: base + ra·R + rS. */
  nonExecLatencyBase: Int32Array;
  /** Simulated-edge slot of (sync node, sender). */
  nonExecSlot: Int32Array;
  slotCount: number;
  slotFrom: Int32Array;
  /** Per node: where its slot insertion-order buffer starts, and its capacity. */
  syncOrderBase: Int32Array;

  /** Execution datasets (one per instance and measuring region) and profiles (dataset, scale). */
  profileDataset: Int32Array;
  profileScale: Float64Array;
  redirectorProfile: number;
  datasetDurationStart: Int32Array;
  datasetDurationCount: Int32Array;
  datasetRowWidth: Int32Array;
  durationSeconds: Float64Array;
  durationRowStart: Int32Array;
  durationRowCount: Int32Array;
  auxValues: Float64Array;

  /** Per (instance, region) = i·R + r; the redirector uses index N·R. */
  executionCostPerSecond: Float64Array;
  invocationCost: Float64Array;
  executionCarbonPerSecond: Float64Array;

  transferCostPerGb: Float64Array;
  snsRequestCost: Float64Array;
  readUnitCost: Float64Array;
  writeUnitCost: Float64Array;
  /** gCO2e/kWh per (hour slot, region): slot·K + k. */
  carbonIntensity: Float64Array;
  transmissionEnergyKwhPerGb: number;
  unknownRegionIntensity: number;

  /** Per permitted region: seconds of the client hop to an entry point there (0 under quirks). */
  clientLatencyShift: Float64Array;

  wpdAtFunctionProbability: number;
  wpdSizeGb: number;
  wpdReadUnits: number;
  /** Largest in-degree (scratch size for sync uploads). */
  maxInDegree: number;
}

class LatencyTable {
  readonly offset: number[] = [];
  readonly length: number[] = [];
  readonly shift: number[] = [];
  readonly values: number[] = [];
  private readonly bySource = new Map<string, number>();

  add(list: LatencyList): void {
    let offset = this.bySource.get(list.source);
    if (offset === undefined) {
      offset = this.values.length;
      for (const v of list.values) this.values.push(v);
      this.bySource.set(list.source, offset);
    }
    this.offset.push(offset);
    this.length.push(list.values.length);
    this.shift.push(list.shift);
  }

  get size(): number {
    return this.offset.length;
  }
}

export function compileModel(model: WorkflowModel): CompiledModel {
  const N = model.instanceCount;
  const R = model.permittedRegionCount;
  const K = model.regionKeys.length;
  const quirks = model.referenceQuirks;
  const dag = model.dag;
  const start = dag.startHop;
  const topo = dag.topologicalOrder;
  const inDegree = dag.predecessors.map((p) => p.length);

  // Edges in creation order.
  const from: number[] = [];
  const to: number[] = [];
  const auxColumn: number[] = [];
  for (const a of topo) {
    dag.successors[a]!.forEach((b, position) => {
      from.push(a);
      to.push(b);
      auxColumn.push(position + 1);
    });
  }
  const E = from.length;
  const clientEdge = E;
  const redirectorEdge = E + 1;
  const edgeCount = E + 2;
  from.push(N, N + 1);
  to.push(start, start);
  auxColumn.push(0, 1);

  const inEdgeStart = new Int32Array(N + 1);
  const outEdgeStart = new Int32Array(N + 1);
  for (let e = 0; e < E; e++) {
    inEdgeStart[to[e]! + 1]! += 1;
    outEdgeStart[from[e]! + 1]! += 1;
  }
  for (let v = 0; v < N; v++) {
    inEdgeStart[v + 1]! += inEdgeStart[v]!;
    outEdgeStart[v + 1]! += outEdgeStart[v]!;
  }
  const inEdges = new Int32Array(E);
  const outEdges = new Int32Array(E);
  const inFill = inEdgeStart.slice(0, N);
  const outFill = outEdgeStart.slice(0, N);
  for (let e = 0; e < E; e++) {
    inEdges[inFill[to[e]!]!++] = e;
    outEdges[outFill[from[e]!]!++] = e;
  }

  const edgeProbability = new Float64Array(edgeCount);
  const edgeSyncTarget = new Uint8Array(edgeCount);
  const edgeSyncSizeGb = new Float64Array(edgeCount);
  const edgeSyncWriteUnitsTwice = new Float64Array(edgeCount);
  const edgeSnsOnlySizeGb = new Float64Array(edgeCount);
  const edgeSnsOnlyRequests = new Float64Array(edgeCount);
  const sizeStart = new Int32Array(edgeCount);
  const sizeCount = new Int32Array(edgeCount);
  const edgeBucketCount = new Int32Array(edgeCount);
  const edgeLatencyBase = new Int32Array(edgeCount);
  const sizes: number[] = [];
  const sizeBucket: number[] = [];
  const sizeSns: number[] = [];
  const latency = new LatencyTable();
  const bucketSizes: number[][] = [];

  const addSizes = (e: number, list: readonly number[]): void => {
    sizeStart[e] = sizes.length;
    sizeCount[e] = list.length;
    const bucketOf = new Map<string, number>();
    const representatives: number[] = [];
    for (const s of list) {
      const key = transferSizeKey(s);
      let bucket = bucketOf.get(key);
      if (bucket === undefined) {
        bucket = representatives.length;
        bucketOf.set(key, bucket);
        representatives.push(roundSizeUpTo10KiB(s));
      }
      sizes.push(s);
      sizeBucket.push(bucket);
      sizeSns.push(snsRequests(s));
    }
    edgeBucketCount[e] = representatives.length;
    bucketSizes[e] = representatives;
  };

  for (let e = 0; e < E; e++) {
    const a = from[e]!;
    const b = to[e]!;
    const edge = model.edge(a, b);
    edgeProbability[e] = edge.invocationProbability;
    let list = edge.transferSizesGb;
    if (list.length === 0 && edge.invocationProbability > 0) {
      if (quirks)
        throw new CaribouError(
          `workflow_instance_table: ${model.instanceNames[a]} → ${model.instanceNames[b]} has an invocation probability but no transfer_sizes_gb (the reference fails here)`,
        );
      list = [0];
    }
    addSizes(e, list);
    const sync = inDegree[b]! > 1;
    edgeSyncTarget[e] = sync ? 1 : 0;
    edgeSyncSizeGb[e] = edge.syncSizeGb;
    edgeSyncWriteUnitsTwice[e] = 2 * writeCapacityUnits(edge.syncSizeGb);
    edgeSnsOnlySizeGb[e] = edge.snsOnlySizeGb;
    edgeSnsOnlyRequests[e] = snsRequests(edge.snsOnlySizeGb);
    edgeLatencyBase[e] = latency.size;
    const buckets = bucketSizes[e]!;
    for (let ra = 0; ra < R; ra++)
      for (let rb = 0; rb < R; rb++)
        for (const size of buckets) latency.add(model.edgeLatencies(a, b, ra, rb, size, sync));
  }

  // Client edge: sizes from the client; its latency is `clientLatencyShift` of the entry point's region.
  edgeProbability[clientEdge] = 1;
  addSizes(clientEdge, model.summary.clientTransferSizesGb);
  edgeLatencyBase[clientEdge] = latency.size;
  latency.add({ values: [0], shift: 0, source: 'client' });

  // Redirector hop: the entry point's copy at home invokes the entry point in its region.
  edgeProbability[redirectorEdge] = 1;
  const hop = model.edge(start, start);
  addSizes(redirectorEdge, hop.transferSizesGb.length > 0 ? hop.transferSizesGb : model.summary.clientTransferSizesGb);
  edgeLatencyBase[redirectorEdge] = latency.size;
  for (let ra = 0; ra < R; ra++)
    for (let rb = 0; rb < R; rb++)
      for (const size of bucketSizes[redirectorEdge]!) latency.add(model.edgeLatencies(start, start, ra, rb, size, false));

  // Non-execution entries and simulated-edge slots.
  const nonExecStart = new Int32Array(edgeCount);
  const nonExecCount = new Int32Array(edgeCount);
  const neSync: number[] = [];
  const neResponse: number[] = [];
  const neResponseUnits: number[] = [];
  const neSnsSize: number[] = [];
  const neSnsRequests: number[] = [];
  const neLatencyBase: number[] = [];
  const neSlot: number[] = [];
  const slotIds = new Map<string, number>();
  const slotFrom: number[] = [];
  const slotSync: number[] = [];
  for (let e = 0; e < E; e++) {
    nonExecStart[e] = neSync.length;
    const entries = model.edge(from[e]!, to[e]!).nonExecution;
    nonExecCount[e] = entries.length;
    for (const entry of entries) {
      const sync = model.instanceIndex(entry.syncNode);
      model.instanceIndex(entry.predecessor);
      const snsSize = roundSizeToNearestKiB(entry.snsTransferSizeGb);
      neSync.push(sync);
      neResponse.push(entry.syncDataResponseSizeGb);
      neResponseUnits.push(2 * writeCapacityUnits(entry.syncDataResponseSizeGb));
      neSnsSize.push(snsSize);
      neSnsRequests.push(snsRequests(snsSize));
      neLatencyBase.push(latency.size);
      for (let ra = 0; ra < R; ra++)
        for (let rs = 0; rs < R; rs++) latency.add(model.simulatedLatencies(entry, ra, rs, snsSize));
      const slotKey = `${sync}|${from[e]}`;
      let slot = slotIds.get(slotKey);
      if (slot === undefined) {
        slot = slotFrom.length;
        slotIds.set(slotKey, slot);
        slotFrom.push(from[e]!);
        slotSync.push(sync);
      }
      neSlot.push(slot);
    }
  }
  const syncOrderBase = new Int32Array(N + 1);
  for (const s of slotSync) syncOrderBase[s + 1]! += 1;
  for (let v = 0; v < N; v++) syncOrderBase[v + 1]! += syncOrderBase[v]!;

  // Execution datasets and profiles.
  const datasetIds = new Map<string, number>();
  const datasetDurationStart: number[] = [];
  const datasetDurationCount: number[] = [];
  const datasetRowWidth: number[] = [];
  const durationSeconds: number[] = [];
  const durationRowStart: number[] = [];
  const durationRowCount: number[] = [];
  const auxValues: number[] = [];
  const profileDataset = new Int32Array(N * R + 1);
  const profileScale = new Float64Array(N * R + 1);
  const addProfile = (slot: number, instance: number, region: number, atRedirector: boolean): void => {
    const profile = model.executionProfile(instance, region, atRedirector);
    const datasetKey = `${instance}|${profile.originRegion}|${atRedirector ? 1 : 0}|${profile.dataAccessShiftS}`;
    let dataset = datasetIds.get(datasetKey);
    if (dataset === undefined) {
      dataset = datasetDurationStart.length;
      datasetIds.set(datasetKey, dataset);
      const width = profile.successorLogged.length + 1;
      datasetRowWidth.push(width);
      datasetDurationStart.push(durationSeconds.length);
      datasetDurationCount.push(profile.durations.length);
      const bucketStart: number[] = [];
      for (const rows of profile.buckets) {
        bucketStart.push(auxValues.length);
        for (const row of rows) {
          const dtde = row[0]!;
          auxValues.push(Number.isFinite(dtde) ? dtde : 0);
          for (let k = 1; k < width; k++) auxValues.push(profile.successorLogged[k - 1] ? row[k]! : NOT_LOGGED);
        }
      }
      profile.durations.forEach((seconds, j) => {
        const bucket = profile.durationBucket[j]!;
        durationSeconds.push(seconds);
        durationRowStart.push(bucketStart[bucket]!);
        durationRowCount.push(profile.buckets[bucket]!.length);
      });
    }
    profileDataset[slot] = dataset;
    profileScale[slot] = profile.runtimeScale;
  };
  for (let i = 0; i < N; i++) for (let r = 0; r < R; r++) addProfile(i * R + r, i, r, false);
  const redirectorProfile = N * R;
  addProfile(redirectorProfile, start, model.homeRegion, true);

  const executionCostPerSecond = new Float64Array(N * R + 1);
  const invocationCost = new Float64Array(N * R + 1);
  const executionCarbonPerSecond = new Float64Array(N * R + 1);
  for (let i = 0; i < N; i++) {
    for (let r = 0; r < R; r++) {
      executionCostPerSecond[i * R + r] = model.executionCostPerSecond(i, r);
      invocationCost[i * R + r] = model.invocationCost(i, r);
      executionCarbonPerSecond[i * R + r] = model.executionCarbonPerSecondPerIntensity(i, r);
    }
  }
  executionCostPerSecond[redirectorProfile] = model.executionCostPerSecond(start, model.homeRegion);
  invocationCost[redirectorProfile] = model.invocationCost(start, model.homeRegion, true);
  executionCarbonPerSecond[redirectorProfile] = model.executionCarbonPerSecondPerIntensity(start, model.homeRegion, true);

  const carbonIntensity = new Float64Array(HOUR_SLOTS * K);
  for (let k = 0; k < K; k++)
    for (let slot = 0; slot < HOUR_SLOTS; slot++) carbonIntensity[slot * K + k] = model.regions[k]!.carbonIntensity[slot]!;

  return {
    referenceQuirks: quirks,
    instanceCount: N,
    regionCount: R,
    knownRegionCount: K,
    homeRegion: model.homeRegion,
    systemRegion: model.systemRegion,
    startHop: start,
    clientNode: N,
    redirectorNode: N + 1,
    clientEdge,
    redirectorEdge,
    topologicalOrder: Int32Array.from(topo),
    edgeFrom: Int32Array.from(from),
    edgeTo: Int32Array.from(to),
    edgeProbability,
    edgeAuxColumn: Int32Array.from(auxColumn),
    edgeSyncTarget,
    inEdgeStart,
    inEdges,
    outEdgeStart,
    outEdges,
    sizeStart,
    sizeCount,
    sizeGb: Float64Array.from(sizes),
    sizeBucket: Int32Array.from(sizeBucket),
    sizeSnsRequests: Float64Array.from(sizeSns),
    edgeBucketCount,
    edgeLatencyBase,
    latencyOffset: Int32Array.from(latency.offset),
    latencyLength: Int32Array.from(latency.length),
    latencyShift: Float64Array.from(latency.shift),
    latencyValues: Float64Array.from(latency.values),
    edgeSyncSizeGb,
    edgeSyncWriteUnitsTwice,
    edgeSnsOnlySizeGb,
    edgeSnsOnlyRequests,
    nonExecStart,
    nonExecCount,
    nonExecSyncNode: Int32Array.from(neSync),
    nonExecResponseGb: Float64Array.from(neResponse),
    nonExecResponseWriteUnitsTwice: Float64Array.from(neResponseUnits),
    nonExecSnsSizeGb: Float64Array.from(neSnsSize),
    nonExecSnsRequests: Float64Array.from(neSnsRequests),
    nonExecLatencyBase: Int32Array.from(neLatencyBase),
    nonExecSlot: Int32Array.from(neSlot),
    slotCount: slotFrom.length,
    slotFrom: Int32Array.from(slotFrom),
    syncOrderBase,
    profileDataset,
    profileScale,
    redirectorProfile,
    datasetDurationStart: Int32Array.from(datasetDurationStart),
    datasetDurationCount: Int32Array.from(datasetDurationCount),
    datasetRowWidth: Int32Array.from(datasetRowWidth),
    durationSeconds: Float64Array.from(durationSeconds),
    durationRowStart: Int32Array.from(durationRowStart),
    durationRowCount: Int32Array.from(durationRowCount),
    auxValues: Float64Array.from(auxValues),
    executionCostPerSecond,
    invocationCost,
    executionCarbonPerSecond,
    transferCostPerGb: Float64Array.from(model.regions, (r) => r.prices.transferCostPerGb),
    snsRequestCost: Float64Array.from(model.regions, (r) => r.prices.snsRequestCost),
    readUnitCost: Float64Array.from(model.regions, (r) => r.prices.dynamoDbReadCostPerUnit),
    writeUnitCost: Float64Array.from(model.regions, (r) => r.prices.dynamoDbWriteCostPerUnit),
    carbonIntensity,
    transmissionEnergyKwhPerGb: CarbonSettings.transmissionEnergyKwhPerGb,
    unknownRegionIntensity: SolverDefaults.averageUsaCarbonIntensity,
    clientLatencyShift: Float64Array.from({ length: R }, (_, r) => model.clientLatencySeconds(r)),
    wpdAtFunctionProbability: model.summary.wpdAtFunctionProbability,
    wpdSizeGb: model.summary.wpdSizeGb,
    wpdReadUnits: readCapacityUnits(model.summary.wpdSizeGb),
    maxInDegree: Math.max(1, ...inDegree),
  };
}
