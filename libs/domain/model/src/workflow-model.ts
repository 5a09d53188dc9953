import { CaribouError } from '@caribou/domain-common';
import { durationKey, roundSizeUpTo10KiB, transferSizeKey } from './bucket-keys';
import { CarbonSettings, MEMORY_MB_PER_VCPU, SolverDefaults, SYNC_LATENCY_MULTIPLIER } from './constants';
import { buildDag, type SolverDag } from './dag';
import type { Objective, SolverConstraints, SolverInput } from './input';
import { numberListAt, objectAt, valueAt } from './json-path';
import {
  loadCarbonIntensities,
  loadMeanPing,
  loadRegionPrices,
  loadRelativePerformance,
  type RegionPrices,
} from './loaders/region-data';
import {
  dtdeColumn,
  measuredLatencies,
  WorkflowSummary,
  type EdgeSummary,
  type NonExecutionEntry,
} from './loaders/workflow-summary';
import { filterRegions } from './region-filter';

export interface ModelOptions {
  /**
   * Reproduce the reference's quirks of reference-solver.md §12.1 (biased pick, unused price
   * and sync-size keys, cache aliasing, acceptance rule, crashes) for side-by-side checks.
   * Off by default: the intended behaviour is implemented.
   */
  referenceQuirks?: boolean;
}

export interface RegionModel {
  key: string;
  prices: RegionPrices;
  /** 25 slots: daily average, then UTC hours 0–23. */
  carbonIntensity: Float64Array;
  relativePerformance: number;
}

/**
 * What one node execution samples from (§2.2): durations measured in `originRegion`, scaled
 * by `runtimeScale` = perf(region) / perf(origin), and the auxiliary rows of each duration's
 * 10 ms bucket. Rows are re-ordered to `[dtde, time of successor 0, successor 1, …]` in the
 * node's successor order; NaN marks a time that was not logged.
 */
export interface ExecutionProfile {
  originRegion: number;
  runtimeScale: number;
  durations: number[];
  /** Bucket index of each duration. */
  durationBucket: number[];
  /** Rows of each bucket; a missing or empty bucket holds one row of "nothing logged". */
  buckets: Float64Array[][];
  /** Whether the collector's translation lists a column for each successor. */
  successorLogged: boolean[];
  /**
   * Seconds added to every duration and call time for reaching the instance's data from
   * `region` rather than from `originRegion` (its data is read first); 0 without a data region.
   */
  dataAccessShiftS: number;
}

/** Where an instance's data lives (region index) and how many GB it reads per invocation. */
export interface InstanceData {
  region: number;
  gbPerInvocation: number;
}

/** A latency distribution: `values[i] + shift` (shift > 0 only under the missing-data model). */
export interface LatencyList {
  values: number[];
  shift: number;
  /** Where `values` come from; equal sources hold equal values (lets compilers share storage). */
  source: string;
}

const GB = 1024 ** 3;

/**
 * The solver's view of one workflow: permitted regions, instances, DAG and the calculators of
 * §2 over the loaded rows. Readable and lookup-based; `compileModel` turns it into typed arrays
 * for the Monte-Carlo hot loop, and the literal simulator uses it directly.
 */
export class WorkflowModel {
  readonly referenceQuirks: boolean;
  readonly workflowId: string;
  readonly instanceNames: string[];
  /** Workflow-permitted regions (the region indexer), then the system region if it is not one. */
  readonly regionKeys: string[];
  /** Number of regions a deployment may use (the first `permittedRegionCount` of `regionKeys`). */
  readonly permittedRegionCount: number;
  readonly homeRegion: number;
  readonly systemRegion: number;
  /** Where the client calls the entry point from (`client_region`, default home). */
  readonly clientRegion: number;
  /** Per instance: where its data lives, null when it declares none (or under `referenceQuirks`). */
  readonly data: Array<InstanceData | null>;
  readonly regions: RegionModel[];
  readonly dag: SolverDag;
  /** Per instance: permitted region indices in index order. */
  readonly permittedRegions: number[][];
  readonly constraints: SolverConstraints;
  readonly priorityOrder: Objective[];
  readonly memoryMb: number[];
  readonly vcpu: number[];
  readonly architecture: string[];
  readonly summary: WorkflowSummary;
  readonly deploymentAlgorithm: string | null;
  private readonly pingMatrix: Float64Array;
  private readonly profileCache = new Map<string, ExecutionProfile>();
  private readonly edgeCache = new Map<string, EdgeSummary>();
  private readonly performanceRows: Record<string, unknown>;

  constructor(input: SolverInput, options: ModelOptions = {}) {
    const quirks = options.referenceQuirks ?? false;
    this.referenceQuirks = quirks;
    const config = input.workflowConfig;
    this.workflowId = config.workflow_id;
    this.deploymentAlgorithm = config.deployment_algorithm ?? null;
    this.constraints = config.constraints;
    this.priorityOrder = config.constraints.priority_order.length ? config.constraints.priority_order : ['carbon'];

    const available = Object.keys(input.tables.available_regions_table);
    const permitted = filterRegions(available, config.regions_and_providers);
    const homeKey = `${config.home_region.provider}:${config.home_region.region}`;
    const home = permitted.indexOf(homeKey);
    if (home < 0)
      throw new CaribouError(
        `home region ${homeKey} is not among the permitted regions; add it to available_regions_table or to allowed_regions`,
      );
    this.permittedRegionCount = permitted.length;
    this.homeRegion = home;
    const regionKeys = [...permitted];
    let system = regionKeys.indexOf(input.systemRegion);
    if (system < 0) {
      system = regionKeys.length;
      regionKeys.push(input.systemRegion);
    }
    this.systemRegion = system;
    // Regions the model only reaches (the client's, where data lives) are known, not permitted.
    const known = (selector: { provider: string; region: string }): number => {
      const key = `${selector.provider}:${selector.region}`;
      let index = regionKeys.indexOf(key);
      if (index < 0) {
        index = regionKeys.length;
        regionKeys.push(key);
      }
      return index;
    };
    this.clientRegion = config.client_region && !quirks ? known(config.client_region) : home;
    this.data = Object.values(config.instances).map((instance) => {
      const location = instance.data_location;
      if (!location || quirks) return null;
      return { region: known(location), gbPerInvocation: location.bytes_per_invocation / GB };
    });
    this.regionKeys = regionKeys;
    this.performanceRows = input.tables.performance_region_table;
    this.regions = regionKeys.map((key) => ({
      key,
      prices: loadRegionPrices(input.tables.provider_region_table[key], quirks),
      carbonIntensity: loadCarbonIntensities(input.tables.carbon_region_table[key]),
      relativePerformance: loadRelativePerformance(this.performanceRows[key]),
    }));
    const K = regionKeys.length;
    this.pingMatrix = new Float64Array(K * K);
    for (let a = 0; a < K; a++)
      for (let b = 0; b < K; b++)
        this.pingMatrix[a * K + b] = loadMeanPing(this.performanceRows[regionKeys[a]!], regionKeys[b]!);

    const instances = Object.values(config.instances);
    this.instanceNames = Object.keys(config.instances);
    this.dag = buildDag(
      this.instanceNames,
      instances.map((i) => i.succeeding_instances),
    );
    const homeProvider = config.home_region.provider;
    this.permittedRegions = [];
    this.memoryMb = [];
    this.vcpu = [];
    this.architecture = [];
    for (const [index, instance] of instances.entries()) {
      const name = this.instanceNames[index]!;
      const filter = {
        ...instance.regions_and_providers,
        providers: instance.regions_and_providers.providers ?? config.regions_and_providers.providers,
      };
      const allowed = new Set(filterRegions(permitted, filter));
      const indices = permitted.flatMap((key, i) => (allowed.has(key) ? [i] : []));
      if (indices.length === 0)
        throw new CaribouError(
          `instance ${name} has no permitted region; widen its allowed_regions or the workflow's regions`,
        );
      this.permittedRegions.push(indices);
      const providerConfig =
        objectAt(instance.regions_and_providers, 'providers', homeProvider, 'config') ??
        objectAt(config.regions_and_providers, 'providers', homeProvider, 'config');
      const memory = valueAt(providerConfig, 'memory');
      if (typeof memory !== 'number' || !(memory > 0))
        throw new CaribouError(
          `instance ${name}: regions_and_providers.providers.${homeProvider}.config.memory must be a positive number of MB`,
        );
      const vcpu = valueAt(providerConfig, 'vcpu');
      const architecture = valueAt(providerConfig, 'architecture');
      this.memoryMb.push(memory);
      this.vcpu.push(typeof vcpu === 'number' && vcpu >= 0 ? vcpu : memory / MEMORY_MB_PER_VCPU);
      this.architecture.push(typeof architecture === 'string' ? architecture : SolverDefaults.architecture);
    }
    this.summary = new WorkflowSummary(input.tables.workflow_summary, quirks);
  }

  get instanceCount(): number {
    return this.instanceNames.length;
  }

  get startHop(): number {
    return this.dag.startHop;
  }

  /** Mean of the ping distribution from region a to region b (s). */
  meanPing(a: number, b: number): number {
    return this.pingMatrix[a * this.regionKeys.length + b]!;
  }

  /** `to_instance[to]` of instance `from` (indices; `from === to` is the redirector hop). */
  edge(from: number, to: number): EdgeSummary {
    const key = `${from}>${to}`;
    let edge = this.edgeCache.get(key);
    if (!edge) {
      edge = this.summary.edge(this.instanceNames[from]!, this.instanceNames[to]!);
      this.edgeCache.set(key, edge);
    }
    return edge;
  }

  /**
   * Latency distribution of a real edge (§2.2 step 2): measured data of the region pair at the
   * size bucket, else its best-fit line, else the missing-data model (home→home data shifted by
   * the extra mean ping, ×5 for a sync target). The client edge is always [0].
   */
  edgeLatencies(from: number, to: number, fromRegion: number, toRegion: number, sizeGb: number, syncTarget: boolean): LatencyList {
    const edge = this.edge(from, to);
    const multiplier = syncTarget ? SYNC_LATENCY_MULTIPLIER : 1;
    return this.latencyModel(`${from}>${to}`, edge.regionsToRegions, fromRegion, toRegion, sizeGb, multiplier);
  }

  /**
   * Seconds from the client's call to the entry point's arrival in `entryRegion` (the client
   * hop). The mean of the start hops measured there when there are any; else those measured
   * at home plus half the extra round trip from the client; else half the round trip. 0 under
   * `referenceQuirks` (the reference does not model the client).
   */
  clientLatencySeconds(entryRegion: number): number {
    if (this.referenceQuirks) return 0;
    const keys = this.regionKeys;
    const measured = this.summary.clientLatencies(keys[entryRegion]!);
    if (measured.length > 0) return mean(measured);
    const client = this.clientRegion;
    const atHome = this.summary.clientLatencies(keys[this.homeRegion]!);
    if (atHome.length > 0)
      return mean(atHome) + Math.max(0, this.meanPing(client, entryRegion) - this.meanPing(client, this.homeRegion)) / 2;
    return this.meanPing(client, entryRegion) / 2;
  }

  /** Seconds an instance in `region` waits for its data (one round trip to the data's region); 0 without one. */
  dataAccessSeconds(instance: number, region: number): number {
    const data = this.data[instance];
    return data ? this.meanPing(region, data.region) : 0;
  }

  /**
   * `durations` measured in `origin` with the wait for the instance's data from `region` in
   * place of the (mean) wait from `origin`: duration i gets round trip i of the collected
   * distribution (spread evenly over it when there are fewer durations than round trips).
   */
  private withDataWaits(instance: number, region: number, origin: number, durations: readonly number[], runtimeScale: number): number[] {
    const data = this.data[instance]!;
    const keys = this.regionKeys;
    const listed = numberListAt(this.performanceRows[keys[region]!], 'transmission_latency', keys[data.region]!, 'latency_distribution');
    const trips = listed && listed.length > 0 ? listed : [this.meanPing(region, data.region)];
    const atOrigin = this.dataAccessSeconds(instance, origin);
    const n = trips.length;
    const count = durations.length;
    return durations.map((d, i) => {
      const trip = trips[count >= n ? i % n : Math.floor(((i + 0.5) * n) / count)]!;
      return d + (trip - atOrigin) / runtimeScale;
    });
  }

  /** USD an instance in `region` pays per invocation to read its data: the data region's egress price when they differ. */
  dataTransferCost(instance: number, region: number): number {
    const data = this.data[instance];
    return data && data.region !== region ? data.gbPerInvocation * this.regions[data.region]!.prices.transferCostPerGb : 0;
  }

  /**
   * Latency of a simulated edge (a non-execution notice from `fromRegion` to sync node `S` on
   * behalf of predecessor p): the entry's own measurements, else edge p→S's model, ×5.
   */
  simulatedLatencies(entry: NonExecutionEntry, fromRegion: number, syncRegion: number, sizeGb: number): LatencyList {
    const measured = numberListAt(
      entry.latencies,
      this.regionKeys[fromRegion]!,
      this.regionKeys[syncRegion]!,
      'transfer_latencies_s',
    );
    if (measured && measured.length > 0)
      return { values: measured, shift: 0, source: `ne|${entry.predecessor}>${entry.syncNode}|${fromRegion}|${syncRegion}` };
    const p = this.instanceIndex(entry.predecessor);
    const s = this.instanceIndex(entry.syncNode);
    const edge = this.edge(p, s);
    return this.latencyModel(`${p}>${s}`, edge.regionsToRegions, fromRegion, syncRegion, sizeGb, SYNC_LATENCY_MULTIPLIER);
  }

  instanceIndex(name: string): number {
    const index = this.instanceNames.indexOf(name);
    if (index < 0)
      throw new CaribouError(`workflow_instance_table names instance '${name}' that the workflow config does not have`);
    return index;
  }

  private latencyModel(
    edgeKey: string,
    regionsToRegions: EdgeSummary['regionsToRegions'],
    fromRegion: number,
    toRegion: number,
    sizeGb: number,
    multiplier: number,
  ): LatencyList {
    const bucket = transferSizeKey(sizeGb);
    const rounded = roundSizeUpTo10KiB(sizeGb);
    const keys = this.regionKeys;
    const measured = measuredLatencies(regionsToRegions, keys[fromRegion]!, keys[toRegion]!, bucket, rounded);
    if (measured.length > 0) return { values: measured, shift: 0, source: `${edgeKey}|${fromRegion}|${toRegion}|${bucket}` };
    const home = this.homeRegion;
    const atHome = measuredLatencies(regionsToRegions, keys[home]!, keys[home]!, bucket, rounded);
    const extraPing = Math.max(0, this.meanPing(fromRegion, toRegion) - this.meanPing(home, home));
    return atHome.length > 0
      ? { values: atHome, shift: extraPing * multiplier, source: `${edgeKey}|${home}|${home}|${bucket}` }
      : { values: [SolverDefaults.pingLatencySeconds], shift: extraPing * multiplier, source: 'default-ping' };
  }

  /**
   * Execution profile of an instance in a region (§2.2 "node execution"). The redirector runs
   * the entry point at home from `at_redirector` data; without such data it falls back to the
   * entry point's own home data.
   */
  executionProfile(instance: number, region: number, atRedirector = false): ExecutionProfile {
    const cacheKey = `${instance}:${region}:${atRedirector ? 1 : 0}`;
    const cached = this.profileCache.get(cacheKey);
    if (cached) return cached;
    const name = this.instanceNames[instance]!;
    const useRedirector = atRedirector && this.summary.hasRedirectorData(name);
    const summary = this.summary.execution(name, useRedirector);
    const keys = this.regionKeys;
    let origin = region;
    let data = summary.atRegion.get(keys[region]!);
    if (!data || data.durations.length === 0) {
      origin = this.homeRegion;
      data = summary.atRegion.get(keys[origin]!);
    }
    if (!data || data.durations.length === 0)
      throw new CaribouError(
        `workflow_instance_table has no durations for ${name} at its home region ${keys[this.homeRegion]}; run the workflow and collect its logs first`,
      );
    const successors = atRedirector ? [this.startHop] : this.dag.successors[instance]!;
    // Measured durations already include reaching the data from where they were measured.
    const shift = atRedirector ? 0 : this.dataAccessSeconds(instance, region) - this.dataAccessSeconds(instance, origin);
    const runtimeScale = origin === region ? 1 : this.regions[region]!.relativePerformance / this.regions[origin]!.relativePerformance;
    const measuredShift = shift / runtimeScale;
    const columns = [dtdeColumn(summary), ...successors.map((s) => summary.auxiliaryIndex.get(this.instanceNames[s]!) ?? -1)];
    const bucketIndex = new Map<string, number>();
    const buckets: Float64Array[][] = [];
    const durationBucket: number[] = [];
    for (const duration of data.durations) {
      const key = durationKey(duration);
      let index = bucketIndex.get(key);
      if (index === undefined) {
        index = buckets.length;
        bucketIndex.set(key, index);
        const rows = data.auxiliaryData[key] ?? [];
        const mapped = rows.map((row) =>
          Float64Array.from(columns, (c, k) => (c < 0 ? (k === 0 ? 0 : NaN) : k > 0 && shift !== 0 ? (row[c] ?? NaN) + measuredShift : (row[c] ?? NaN))),
        );
        // A bucket without rows means nothing was logged for that duration: no transfer, no times.
        buckets.push(mapped.length > 0 ? mapped : [Float64Array.from(columns, (_, k) => (k === 0 ? 0 : NaN))]);
      }
      durationBucket.push(index);
    }
    const profile: ExecutionProfile = {
      originRegion: origin,
      runtimeScale,
      // The data wait is network time (not scaled by the region's relative performance), drawn
      // from the round trips collected for the pair, one per measured duration, so the tail
      // of the wait shows in the tail of the runtime.
      durations: shift === 0 ? data.durations : this.withDataWaits(instance, region, origin, data.durations, runtimeScale),
      durationBucket,
      buckets,
      successorLogged: columns.slice(1).map((c) => c >= 0),
      dataAccessShiftS: shift,
    };
    this.profileCache.set(cacheKey, profile);
    return profile;
  }

  /** USD per second of execution of an instance in a region: compute price × memory in GB. */
  executionCostPerSecond(instance: number, region: number): number {
    return this.regions[region]!.prices.computeCostPerGbSecond(this.architecture[instance]!) * (this.memoryMb[instance]! / 1024);
  }

  /** USD per invocation: the request price, plus reading the instance's data from another region (not at the redirector, which only forwards). */
  invocationCost(instance: number, region: number, atRedirector = false): number {
    const request = this.regions[region]!.prices.invocationCost(this.architecture[instance]!);
    return atRedirector ? request : request + this.dataTransferCost(instance, region);
  }

  /**
   * Execution carbon per second per unit of grid intensity (g per s per gCO2e/kWh) of an
   * instance in a region (§2.4). Under `referenceQuirks` the redirector shares the factor of the
   * entry point at home (the reference's cache key ignores the redirector flag, §12.1 #5; the
   * home deployment is always evaluated first in an hour, so its value is the one cached).
   */
  executionCarbonPerSecondPerIntensity(instance: number, region: number, atRedirector = false): number {
    const name = this.instanceNames[instance]!;
    const redirectorData = atRedirector && !this.referenceQuirks && this.summary.hasRedirectorData(name);
    const utilization = this.summary.cpuUtilization(name, this.regionKeys[region]!, redirectorData);
    const prices = this.regions[region]!.prices;
    const cpuPowerKw = prices.minCpuPowerKw + utilization * (prices.maxCpuPowerKw - prices.minCpuPowerKw);
    const powerKw = cpuPowerKw * this.vcpu[instance]! + prices.memoryPowerKwPerGb * (this.memoryMb[instance]! / 1024);
    const cfeShare = CarbonSettings.considerCfe ? 1 - prices.cfe : 1;
    return (powerKw / 3600) * cfeShare * prices.pue;
  }
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
