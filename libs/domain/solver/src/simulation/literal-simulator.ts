import { CaribouError } from '@caribou/domain-common';
import {
  hourSlot,
  readCapacityUnits,
  roundSizeToNearestKiB,
  snsRequests,
  SolverDefaults,
  CarbonSettings,
  writeCapacityUnits,
  type LatencyList,
  type WorkflowModel,
} from '@caribou/domain-model';
import type { CompiledModel } from '@caribou/domain-model';
import type { DrawLayout } from './draws';

/** Region index of the virtual client (unknown, outside the cloud). */
const UNKNOWN = -1;

/** Per-node bookkeeping of one run, as the reference keeps it (§3). */
export interface NodeTrace {
  /** Instance index, or 'client' / 'redirector'. */
  node: number | 'client' | 'redirector';
  region: number;
  invoked: boolean;
  start: number;
  end: number;
  executionSeconds: number;
  dataIn: Map<number, number>;
  dataOut: Map<number, number>;
  snsPayloads: Map<number, number[]>;
  readUnits: number;
  writeUnits: number;
  dataTransferDuringExecutionGb: number;
  cost: number;
  executionCarbon: number;
  transmissionCarbon: number;
}

export interface RunTrace {
  cost: number;
  runtime: number;
  carbon: number;
  executionCarbon: number;
  transmissionCarbon: number;
  nodes: NodeTrace[];
}

interface Candidate {
  tau: number;
  arrival: number;
  payload: number;
  from: NodeTrace;
}

interface SimulatedEdge {
  from: number;
  uninvoked: number;
  entry: { predecessor: string; syncNode: string; snsTransferSizeGb: number; latencies: unknown };
  entryIndex: number;
  tau: number;
}

/** The draws of one run: the uniform number of each draw site (see DrawLayout). */
export type RunDraws = (site: number) => number;

/**
 * A direct, unoptimised transcription of one run (§3) with per-node maps, computing cost and
 * carbon per node at the end (§2.3, §2.4). It is the executable reading of the spec: tests
 * compare the batch simulator against it run for run, and it gives the per-node breakdowns of
 * the worked example. Hour = null is the daily average. `compiled` only supplies the numbering
 * of edges and slots that the draw layout uses.
 */
export function simulateRunLiterally(
  model: WorkflowModel,
  compiled: CompiledModel,
  layout: DrawLayout,
  deployment: readonly number[],
  hour: number | null,
  draw: RunDraws,
): RunTrace {
  const quirks = model.referenceQuirks;
  const pickAt = <T>(list: readonly T[], site: number): T => {
    if (list.length === 0) throw new CaribouError('empty distribution sampled');
    const index = Math.floor(draw(site) * (list.length - (quirks ? 1 : 0)));
    return list[index]!;
  };
  const sampleLatency = (list: LatencyList, site: number): number => (site < 0 ? list.values[0]! : pickAt(list.values, site) + list.shift);
  const edgeIds = new Map<string, number>();
  for (let e = 0; e < compiled.clientEdge; e++) edgeIds.set(`${compiled.edgeFrom[e]}>${compiled.edgeTo[e]}`, e);
  const edgeId = (a: number, b: number): number => edgeIds.get(`${a}>${b}`)!;
  const slotIds = new Map<string, number>();
  for (let e = 0; e < compiled.clientEdge; e++)
    for (let n = compiled.nonExecStart[e]!; n < compiled.nonExecStart[e]! + compiled.nonExecCount[e]!; n++)
      slotIds.set(`${compiled.nonExecSyncNode[n]}|${compiled.edgeFrom[e]}`, compiled.nonExecSlot[n]!);
  const home = model.homeRegion;
  const system = model.systemRegion;
  const start = model.startHop;
  const dag = model.dag;
  const newNode = (node: NodeTrace['node'], region: number): NodeTrace => ({
    node,
    region,
    invoked: false,
    start: 0,
    end: 0,
    executionSeconds: 0,
    dataIn: new Map(),
    dataOut: new Map(),
    snsPayloads: new Map(),
    readUnits: 0,
    writeUnits: 0,
    dataTransferDuringExecutionGb: 0,
    cost: 0,
    executionCarbon: 0,
    transmissionCarbon: 0,
  });
  const add = (map: Map<number, number>, key: number, value: number): void => {
    map.set(key, (map.get(key) ?? 0) + value);
  };
  const nodes = deployment.map((r, i) => newNode(i, r));
  const client = newNode('client', UNKNOWN);
  const redirectorNode = newNode('redirector', home);
  const successorTimes = new Map<NodeTrace, Map<number, number>>();
  const edgeTaken = new Map<string, boolean>();
  const simulated = new Map<number, Map<number, SimulatedEdge>>();

  const execute = (node: NodeTrace, instance: number, startTime: number, atRedirector: boolean): void => {
    const profile = model.executionProfile(instance, node.region, atRedirector);
    const nodeId = atRedirector ? compiled.redirectorNode : instance;
    const j = Math.floor(draw(layout.duration[nodeId]!) * (profile.durations.length - (quirks ? 1 : 0)));
    const duration = profile.durations[j]!;
    const row = pickAt(profile.buckets[profile.durationBucket[j]!]!, layout.auxRow[nodeId]!);
    const scale = profile.runtimeScale;
    node.executionSeconds = duration * scale;
    node.start = startTime;
    node.end = startTime + node.executionSeconds;
    node.dataTransferDuringExecutionGb += Number.isFinite(row[0]!) ? row[0]! : 0;
    const successors = atRedirector ? [start] : dag.successors[instance]!;
    const times = new Map<number, number>();
    successors.forEach((s, k) => {
      const logged = row[k + 1]!;
      if (Number.isNaN(logged) && profile.successorLogged[k] && quirks)
        throw new CaribouError('auxiliary data holds a null successor time; the reference solver fails here (§12.1 #12)');
      times.set(s, Number.isNaN(logged) ? node.end : startTime + logged * scale);
    });
    successorTimes.set(node, times);
    node.invoked = true;
  };
  const invocationTime = (from: NodeTrace, to: number): number => successorTimes.get(from)?.get(to) ?? from.end;
  const trigger = (node: NodeTrace, candidates: Candidate[]): number => {
    // Stable sort by start time, descending: the first latest-starting candidate wins (§12.1 #4).
    let best = candidates[0]!;
    for (const c of candidates) if (c.tau > best.tau) best = c;
    const rv = node.region;
    if (best.from !== client) add(best.from.dataOut, rv, best.payload);
    const payloads = best.from.snsPayloads.get(rv) ?? [];
    payloads.push(best.payload);
    best.from.snsPayloads.set(rv, payloads);
    add(node.dataIn, best.from.region, best.payload);
    return best.arrival;
  };

  // Step 0.
  const wpdAtFunction = draw(layout.wpdAtFunction) < model.summary.wpdAtFunctionProbability;
  const redirect = wpdAtFunction && deployment[start] !== home;
  const reader = !wpdAtFunction ? client : redirect ? redirectorNode : nodes[start]!;
  reader.readUnits += readCapacityUnits(model.summary.wpdSizeGb);
  add(reader.dataIn, system, model.summary.wpdSizeGb);
  client.invoked = true;

  for (const v of dag.topologicalOrder) {
    const node = nodes[v]!;
    const candidates: Candidate[] = [];
    if (v === start) {
      const target = redirect ? redirectorNode : node;
      const clientSize = pickAt(model.summary.clientTransferSizesGb, layout.size[compiled.clientEdge]!);
      const clientLatency = model.clientLatencySeconds(redirect ? home : node.region);
      if (redirect) {
        const arrival = trigger(target, [{ tau: 0, arrival: clientLatency, payload: clientSize, from: client }]);
        execute(redirectorNode, start, arrival, true);
        const hop = model.edge(start, start);
        const hopSizes = hop.transferSizesGb.length > 0 ? hop.transferSizesGb : model.summary.clientTransferSizesGb;
        const size = pickAt(hopSizes, layout.size[compiled.redirectorEdge]!);
        const latency = sampleLatency(
          model.edgeLatencies(start, start, home, node.region, size, false),
          layout.latency[compiled.redirectorEdge]!,
        );
        const tau = invocationTime(redirectorNode, start);
        candidates.push({ tau, arrival: tau + latency, payload: size, from: redirectorNode });
      } else {
        candidates.push({ tau: 0, arrival: clientLatency, payload: clientSize, from: client });
      }
      execute(node, v, trigger(node, candidates), false);
    } else {
      const predecessors = dag.predecessors[v]!
        .slice()
        .sort((a, b) => dag.topologicalOrder.indexOf(a) - dag.topologicalOrder.indexOf(b));
      const isSync = predecessors.length > 1;
      const uploads: Array<[number, number]> = [];
      for (const a of predecessors) {
        const from = nodes[a]!;
        if (!from.invoked) continue;
        const edge = model.edge(a, v);
        if (edgeTaken.get(`${a}>${v}`)) {
          let sizes = edge.transferSizesGb;
          if (sizes.length === 0) {
            if (quirks) throw new CaribouError('empty transfer_sizes_gb sampled (the reference fails here)');
            sizes = [0];
          }
          const e = edgeId(a, v);
          const size = pickAt(sizes, layout.size[e]!);
          const latency = sampleLatency(model.edgeLatencies(a, v, from.region, node.region, size, isSync), layout.latency[e]!);
          const tau = invocationTime(from, v);
          let payload = size;
          if (isSync) {
            payload = edge.snsOnlySizeGb;
            node.writeUnits += 2 * writeCapacityUnits(edge.syncSizeGb);
            add(from.dataOut, node.region, size);
            add(node.dataIn, from.region, size);
            add(node.dataOut, from.region, edge.syncSizeGb);
            add(from.dataIn, node.region, edge.syncSizeGb);
            uploads.push([tau, size]);
          }
          candidates.push({ tau, arrival: tau + latency, payload, from });
        } else {
          edge.nonExecution.forEach((entry, entryIndex) => {
            const s = model.instanceIndex(entry.syncNode);
            const syncNode = nodes[s]!;
            syncNode.writeUnits += 2 * writeCapacityUnits(entry.syncDataResponseSizeGb);
            add(syncNode.dataOut, from.region, entry.syncDataResponseSizeGb);
            add(from.dataIn, syncNode.region, entry.syncDataResponseSizeGb);
            const bySender = simulated.get(s) ?? new Map<number, SimulatedEdge>();
            bySender.set(a, { from: a, uninvoked: v, entry, entryIndex, tau: invocationTime(from, v) });
            simulated.set(s, bySender);
          });
        }
      }
      if (uploads.length > 0) {
        uploads.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
        let cumulative = 0;
        for (const [, size] of uploads) {
          cumulative += size;
          node.writeUnits += Math.ceil(cumulative * 1048576);
        }
        node.readUnits += Math.ceil((cumulative * 1048576) / 4);
      }
      if (candidates.length === 0) continue;
      for (const edge of simulated.get(v)?.values() ?? []) {
        const from = nodes[edge.from]!;
        const size = roundSizeToNearestKiB(edge.entry.snsTransferSizeGb);
        const latency = sampleLatency(
          model.simulatedLatencies(edge.entry as Parameters<WorkflowModel['simulatedLatencies']>[0], from.region, node.region, size),
          layout.slotLatency[slotIds.get(`${v}|${edge.from}`)!]!,
        );
        candidates.push({ tau: edge.tau, arrival: edge.tau + latency, payload: size, from });
      }
      execute(node, v, trigger(node, candidates), false);
    }
    for (const w of dag.successors[v]!) {
      edgeTaken.set(`${v}>${w}`, node.invoked && draw(layout.coin[edgeId(v, w)]!) < model.edge(v, w).invocationProbability);
    }
  }

  // Step 3: cost and carbon per node.
  const slot = hourSlot(hour);
  const intensity = (region: number): number => model.regions[region]!.carbonIntensity[slot]!;
  const routeIntensity = (from: number, to: number): number => {
    if (from === UNKNOWN || to === UNKNOWN) return SolverDefaults.averageUsaCarbonIntensity;
    if (from === to) return intensity(to);
    return (intensity(from) + intensity(to)) / 2;
  };
  const energy = CarbonSettings.transmissionEnergyKwhPerGb;
  const all: Array<[NodeTrace, number | 'redirector' | 'client']> = [
    ...nodes.map((n, i) => [n, i] as [NodeTrace, number]),
    [client, 'client'],
    ...(redirectorNode.invoked ? [[redirectorNode, 'redirector'] as [NodeTrace, 'redirector']] : []),
  ];
  let cost = 0;
  let executionCarbon = 0;
  let transmissionCarbon = 0;
  let runtime = 0;
  for (const [node, id] of all) {
    const pricesRegion = node === client ? system : node.region;
    const prices = model.regions[pricesRegion]!.prices;
    let nodeCost = node.readUnits * prices.dynamoDbReadCostPerUnit + node.writeUnits * prices.dynamoDbWriteCostPerUnit;
    for (const [destination, payloads] of node.snsPayloads) {
      for (const payload of payloads) nodeCost += model.regions[destination]!.prices.snsRequestCost * snsRequests(payload);
    }
    if (node !== client) {
      let egress = 0;
      for (const [destination, size] of node.dataOut) if (destination !== node.region) egress += size;
      nodeCost += prices.transferCostPerGb * egress;
    }
    let nodeExecutionCarbon = 0;
    if (node.invoked && node !== client) {
      const instance = id === 'redirector' ? start : (id as number);
      nodeCost +=
        model.executionCostPerSecond(instance, node.region) * node.executionSeconds + model.invocationCost(instance, node.region, id === 'redirector');
      nodeExecutionCarbon =
        node.executionSeconds *
        model.executionCarbonPerSecondPerIntensity(instance, node.region, id === 'redirector') *
        intensity(node.region);
      if (node.end > runtime) runtime = node.end;
    }
    let nodeTransmissionCarbon = 0;
    for (const [source, size] of node.dataIn) nodeTransmissionCarbon += size * energy * routeIntensity(source, node.region);
    const dtde = node.dataTransferDuringExecutionGb;
    nodeTransmissionCarbon +=
      (dtde / 2) * energy * SolverDefaults.averageUsaCarbonIntensity + (dtde / 2) * energy * routeIntensity(home, node.region);
    node.cost = nodeCost;
    node.executionCarbon = nodeExecutionCarbon;
    node.transmissionCarbon = nodeTransmissionCarbon;
    cost += nodeCost;
    executionCarbon += nodeExecutionCarbon;
    transmissionCarbon += nodeTransmissionCarbon;
  }
  return {
    cost,
    runtime,
    carbon: executionCarbon + transmissionCarbon,
    executionCarbon,
    transmissionCarbon,
    nodes: all.map(([node]) => node),
  };
}

/**
 * Where a batch simulation's samples `out` (runs 0..out.runs of `deployment`, carbon priced at
 * `hours`, hour-major) disagree with this literal transcription on the same draws: runtime
 * exactly, cost and carbon beyond 1e-12 of the literal value (the batch simulator sums in
 * another order). One line per disagreement; none when they agree.
 */
export function disagreementsWithLiteral(
  model: WorkflowModel,
  compiled: CompiledModel,
  simulator: { layout: DrawLayout; draws: { value(site: number, run: number): number } },
  deployment: readonly number[],
  hours: ReadonlyArray<number | null>,
  out: { runs: number; cost: Float64Array; runtime: Float64Array; carbon: Float64Array },
): string[] {
  const found: string[] = [];
  for (let run = 0; run < out.runs; run++) {
    hours.forEach((hour, h) => {
      const literal = simulateRunLiterally(model, compiled, simulator.layout, deployment, hour, (site) => simulator.draws.value(site, run));
      const where = `run ${run}, hour ${String(hour)}, deployment ${deployment.join(',')}`;
      if (out.runtime[run] !== literal.runtime) found.push(`${where}: runtime ${out.runtime[run]} ≠ ${literal.runtime}`);
      if (!(Math.abs(out.cost[run]! - literal.cost) <= 1e-12 * literal.cost)) found.push(`${where}: cost ${out.cost[run]} ≠ ${literal.cost}`);
      const carbon = out.carbon[h * out.runs + run]!;
      if (!(Math.abs(carbon - literal.carbon) <= 1e-12 * literal.carbon)) found.push(`${where}: carbon ${carbon} ≠ ${literal.carbon}`);
    });
  }
  return found;
}
