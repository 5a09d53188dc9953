import type { CompiledModel } from '@caribou/domain-model';
import { NodeKind, type RunStructure } from './run-structure';

/**
 * Relative slack added to a screen's interval: far above the rounding of either side (the
 * simulator's per-run sums of a few hundred non-negative terms, then a compensated mean; here
 * sums of a few hundred products of per-seed sums), far below any difference a search decides on.
 */
const ROUNDING_SLACK = 1e-9;

/** Per-seed sums over all runs of one node's executions drawn from one dataset. */
interface ExecutionSums {
  durationSeconds: number;
  transferDuringExecutionGb: number;
}

/** A general node's trigger payloads: what the runs it runs in can be triggered by. */
interface TriggerShape {
  /** Per taken-in-edge group: in-edge indices, runs without and with simulated edges. */
  groups: Array<{ inEdgeIndices: Int32Array; runsWithoutSlots: number; runsWithSlots: number; sizeWithoutSlots: number; sizeWithSlots: number }>;
  /** Non-execution entries that can reach the node as simulated edges. */
  slotEntries: Int32Array;
}

function compensatedSum(values: ArrayLike<number>, runs?: Int32Array): number {
  let sum = 0;
  let compensation = 0;
  const count = runs ? runs.length : values.length;
  for (let i = 0; i < count; i++) {
    const x = values[runs ? runs[i]! : i]!;
    const t = sum + x;
    compensation += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return sum + compensation;
}

/**
 * Bounds on a deployment's average carbon without simulating its runs.
 *
 * Carbon is linear in per-run quantities that do not depend on regions (sizes sent, measured
 * durations, data transferred during execution, skipped edges — see `BatchSimulator`), so its
 * mean is Σ coefficient × (per-seed sum of the quantity) / runs: a few hundred operations
 * instead of nodes × runs. The one part that depends on timing — which candidate triggers a
 * general node, whose payload it pays for — is bounded by the cheapest and dearest candidate
 * each run could have. The interval contains the simulator's `average_carbon` for the same seed
 * (up to `ROUNDING_SLACK`, which covers rounding on both sides); a search may use it to reject
 * a proposal it would reject whatever the exact value in the interval, and simulate the rest.
 */
export class CarbonMeanScreen {
  private readonly runs: number;
  private readonly clientSize: number;
  /** Runs that read the placement decision at the function. */
  private readonly atFunctionRuns: number;
  /** Σ over those runs of the redirector hop's size. */
  private readonly hopSizeAtFunction: number;
  private readonly redirectorSums: ExecutionSums;
  private readonly sizeSum: Float64Array;
  private readonly takenSum: Float64Array;
  private readonly skippedSum: Float64Array;
  /** Per (instance, dataset): see `executionSumsOf`. */
  private readonly executionSums = new Map<number, ExecutionSums>();
  private readonly triggers: Array<TriggerShape | null>;
  private readonly kind: Uint8Array;
  private readonly inEdges: Int32Array[];
  private readonly region: Int32Array;

  /**
   * Sums over every run of `structure` (which must cover all runs of the evaluation). Only the
   * sums are kept: the structure can be dropped afterwards.
   */
  constructor(
    private readonly m: CompiledModel,
    structure: RunStructure,
  ) {
    const s = structure;
    const N = m.instanceCount;
    const E = m.clientEdge;
    this.runs = s.runs;
    this.kind = s.kind;
    this.inEdges = s.inEdges;
    this.clientSize = compensatedSum(s.sizeGb[m.clientEdge]!);
    const atFunction = s.runsOf[m.redirectorNode]!.runs;
    this.atFunctionRuns = atFunction.length;
    this.hopSizeAtFunction = compensatedSum(s.sizeGb[m.redirectorEdge]!, atFunction);
    const redirector = s.executions(m.redirectorNode, m.profileDataset[m.redirectorProfile]!);
    this.redirectorSums = {
      durationSeconds: compensatedSum(redirector.durationSeconds),
      transferDuringExecutionGb: compensatedSum(redirector.transferDuringExecutionGb),
    };
    this.sizeSum = new Float64Array(E);
    this.takenSum = new Float64Array(E);
    this.skippedSum = new Float64Array(E);
    for (let e = 0; e < E; e++) {
      this.sizeSum[e] = compensatedSum(s.sizeGb[e]!);
      this.takenSum[e] = compensatedSum(s.takenWeight[e]!);
      this.skippedSum[e] = compensatedSum(s.skippedWeight[e]!);
    }
    // Every dataset an instance can draw its executions from, whatever region it is put in.
    for (let v = 0; v < N; v++) {
      for (let r = 0; r < m.regionCount; r++) {
        const dataset = m.profileDataset[v * m.regionCount + r]!;
        const key = v * m.datasetDurationStart.length + dataset;
        if (this.executionSums.has(key)) continue;
        const rows = s.executions(v, dataset);
        this.executionSums.set(key, {
          durationSeconds: compensatedSum(rows.durationSeconds),
          transferDuringExecutionGb: compensatedSum(rows.transferDuringExecutionGb),
        });
      }
    }
    this.triggers = [];
    for (let v = 0; v < N; v++) {
      if (s.kind[v] !== NodeKind.General) {
        this.triggers.push(null);
        continue;
      }
      const withSlots = new Uint8Array(s.runs);
      for (const r of s.runsWithSlots[v]!.runs) withSlots[r] = 1;
      const groups = s.takenGroups[v]!.map((group) => {
        const e0 = s.inEdges[v]![group.inEdgeIndices[0]!]!;
        const size = s.sizeGb[e0]!;
        let runsWithoutSlots = 0;
        let runsWithSlots = 0;
        let sizeWithoutSlots = 0;
        let sizeWithSlots = 0;
        for (const r of group.runs.runs) {
          if (withSlots[r]) {
            runsWithSlots++;
            sizeWithSlots += size[r]!;
          } else {
            runsWithoutSlots++;
            sizeWithoutSlots += size[r]!;
          }
        }
        return { inEdgeIndices: group.inEdgeIndices, runsWithoutSlots, runsWithSlots, sizeWithoutSlots, sizeWithSlots };
      });
      const entries: number[] = [];
      for (let n = 0; n < m.nonExecSyncNode.length; n++) if (m.nonExecSyncNode[n] === v) entries.push(n);
      this.triggers.push({ groups, slotEntries: Int32Array.from(entries) });
    }
    this.region = new Int32Array(N + 2);
  }

  private executionSumsOf(v: number, dataset: number): ExecutionSums {
    return this.executionSums.get(v * this.m.datasetDurationStart.length + dataset)!;
  }

  /**
   * [low, high] around the simulator's `average_carbon` of `deployment` at carbon-intensity
   * slot `slot`; null when a coefficient is not a finite number (nothing is screened then).
   */
  averageCarbonBounds(deployment: ArrayLike<number>, slot: number): [number, number] | null {
    const m = this.m;
    const N = m.instanceCount;
    const R = m.regionCount;
    const K = m.knownRegionCount;
    const ci = m.carbonIntensity;
    const base = slot * K;
    const energy = m.transmissionEnergyKwhPerGb;
    const halfEnergy = energy / 2;
    const unknown = m.transmissionEnergyKwhPerGb * m.unknownRegionIntensity;
    const home = m.homeRegion;
    const system = m.systemRegion;
    const region = this.region;
    for (let i = 0; i < N; i++) region[i] = deployment[i]!;
    region[m.clientNode] = -1;
    region[m.redirectorNode] = home;
    const route = (from: number, to: number): number => (from === to ? energy * ci[base + to]! : halfEnergy * (ci[base + from]! + ci[base + to]!));
    const carbonPerMeasuredSecond = (v: number): number => {
      const profile = v === m.redirectorNode ? m.redirectorProfile : v * R + region[v]!;
      return m.executionCarbonPerSecond[profile]! * m.profileScale[profile]!;
    };
    const duringExecution = (rv: number): number =>
      unknown / 2 + (rv === home ? (energy / 2) * ci[base + home]! : (halfEnergy / 2) * (ci[base + home]! + ci[base + rv]!));

    let exact = 0;
    let magnitude = 0;
    let triggerLow = 0;
    let triggerHigh = 0;
    const add = (term: number): void => {
      exact += term;
      magnitude += Math.abs(term);
    };
    const execution = (v: number): void => {
      const rv = region[v]!;
      const sums = this.executionSumsOf(v, m.profileDataset[v * R + rv]!);
      add(carbonPerMeasuredSecond(v) * ci[base + rv]! * sums.durationSeconds);
      add(duringExecution(rv) * sums.transferDuringExecutionGb);
    };
    const skipped = (v: number): void => {
      for (const e of this.inEdges[v]!) {
        if (m.nonExecCount[e] === 0) continue;
        const ra = region[m.edgeFrom[e]!]!;
        let grams = 0;
        for (let n = m.nonExecStart[e]!; n < m.nonExecStart[e]! + m.nonExecCount[e]!; n++) grams += m.nonExecResponseGb[n]! * route(region[m.nonExecSyncNode[n]!]!, ra);
        add(this.skippedSum[e]! * grams);
      }
    };

    // Steps 0–1: the client's call, where the decision is read, the redirector and its hop.
    const rs = region[m.startHop]!;
    const redirect = rs !== home && m.wpdAtFunctionProbability > 0;
    const reader = redirect ? home : rs;
    const wpdSize = m.wpdSizeGb;
    add(this.clientSize * unknown);
    add((this.runs - this.atFunctionRuns) * wpdSize * unknown);
    const toReader = system === reader ? wpdSize * energy : wpdSize * halfEnergy;
    if (system !== reader) add(this.atFunctionRuns * toReader * ci[base + system]!);
    add(this.atFunctionRuns * toReader * ci[base + (redirect ? home : rs)]!);
    if (redirect) {
      const sums = this.redirectorSums;
      add(ci[base + home]! * (carbonPerMeasuredSecond(m.redirectorNode) * sums.durationSeconds));
      add(ci[base + home]! * (sums.transferDuringExecutionGb / 2) * energy);
      add(ci[base + home]! * this.hopSizeAtFunction * halfEnergy);
      add(ci[base + rs]! * this.hopSizeAtFunction * halfEnergy);
      add(sums.transferDuringExecutionGb * (unknown / 2));
    }
    execution(m.startHop);

    for (let v = 0; v < N; v++) {
      const kind = this.kind[v];
      if (kind === NodeKind.Simple) {
        skipped(v);
        const e = this.inEdges[v]![0]!;
        add(this.sizeSum[e]! * route(region[m.edgeFrom[e]!]!, region[v]!));
        execution(v);
      } else if (kind === NodeKind.General) {
        skipped(v);
        const rv = region[v]!;
        const inEdges = this.inEdges[v]!;
        const sync = inEdges.length > 1;
        if (sync) {
          for (const e of inEdges) {
            const perGb = route(region[m.edgeFrom[e]!]!, rv);
            add(this.sizeSum[e]! * perGb);
            add(this.takenSum[e]! * (m.edgeSyncSizeGb[e]! * perGb));
          }
        }
        // The trigger's payload: bounded by the cheapest and dearest candidate of each run.
        const shape = this.triggers[v]!;
        let slotLow = Infinity;
        let slotHigh = 0;
        for (const n of shape.slotEntries) {
          const grams = m.nonExecSnsSizeGb[n]! * route(region[m.slotFrom[m.nonExecSlot[n]!]!]!, rv);
          if (grams < slotLow) slotLow = grams;
          if (grams > slotHigh) slotHigh = grams;
        }
        for (const group of shape.groups) {
          if (!sync) {
            // One in-edge: it triggers every run without simulated edges; its payload is sent.
            const perGb = route(region[m.edgeFrom[inEdges[0]!]!]!, rv);
            triggerLow += group.sizeWithoutSlots * perGb;
            triggerHigh += group.sizeWithoutSlots * perGb + group.sizeWithSlots * perGb + group.runsWithSlots * slotHigh;
            continue;
          }
          let low = Infinity;
          let high = 0;
          for (const j of group.inEdgeIndices) {
            const e = inEdges[j]!;
            const grams = m.edgeSnsOnlySizeGb[e]! * route(region[m.edgeFrom[e]!]!, rv);
            if (grams < low) low = grams;
            if (grams > high) high = grams;
          }
          triggerLow += group.runsWithoutSlots * low + group.runsWithSlots * Math.min(low, slotLow);
          triggerHigh += group.runsWithoutSlots * high + group.runsWithSlots * Math.max(high, slotHigh);
        }
        execution(v);
      }
    }
    const low = (exact + triggerLow) / this.runs;
    const high = (exact + triggerHigh) / this.runs;
    const slack = (ROUNDING_SLACK * (magnitude + Math.abs(triggerHigh))) / this.runs;
    if (!Number.isFinite(low) || !Number.isFinite(high) || !Number.isFinite(slack)) return null;
    return [low - slack, high + slack];
  }
}
