/**
 * Seeded synthetic solver instances in the reference fixtures' format
 * (`caribou-solver-instance/v1`: workflow_config + tables.<table>.<key> rows), for benchmarks
 * at sizes no fixture covers (the spec's §13 baseline was measured on a 30 × 20 instance of
 * this kind). Same seed and sizes → byte-identical JSON.
 *
 * What it builds, with the knobs of the reference's own generator:
 * - regions: the first `regions` of a fixed list of AWS regions (coordinates are Electricity
 *   Maps' data-centre points; grid intensities are round figures of the right order, with a
 *   seeded daily shape per region — synthetic, not measurements); home us-east-1, system us-west-2;
 * - a DAG of `functions` instances: a random tree from the entry point, plus sync nodes
 *   (probability 0.25 per new node once two candidates exist) that join 2–3 earlier nodes;
 * - conditional edges (probability 0.2, p ∈ [0.5, 0.95]) with non-execution info for every sync
 *   node downstream; instances pinned to North America (probability 0.1);
 * - measured durations, transfer sizes and latencies at home, extra measurements in a random
 *   other region (probability 0.3), best-fit lines, non-uniform relative performance,
 *   log-normal ping samples from haversine distance, a redirector (WPD at function p = 0.5).
 */
import { durationKey, transferSizeKey } from '@caribou/domain-model';
import { streamFor } from '@caribou/domain-solver';

export interface GeneratorOptions {
  functions: number;
  regions: number;
  seed: number;
  /** Most in-edges of a sync node (default 3; at least 2): the bench's instances join two or three. */
  maxFanIn?: number;
}

const REGION_LIST: Array<[code: string, name: string, lat: number, lon: number, intensity: number]> = [
  ['us-east-1', 'US East (N. Virginia)', 38.13, -78.45, 380],
  ['us-east-2', 'US East (Ohio)', 39.96, -83.0, 450],
  ['us-west-1', 'US West (N. California)', 37.35, -121.96, 230],
  ['us-west-2', 'US West (Oregon)', 46.15, -123.88, 285],
  ['ca-central-1', 'Canada (Central)', 45.5, -73.6, 35],
  ['ca-west-1', 'Canada West (Calgary)', 51.05, -114.07, 520],
  ['eu-west-1', 'Europe (Ireland)', 53.35, -6.26, 290],
  ['eu-west-2', 'Europe (London)', 51.51, -0.13, 220],
  ['eu-west-3', 'Europe (Paris)', 48.86, 2.35, 55],
  ['eu-central-1', 'Europe (Frankfurt)', 50.11, 8.68, 380],
  ['eu-north-1', 'Europe (Stockholm)', 59.33, 18.06, 30],
  ['eu-south-1', 'Europe (Milan)', 45.46, 9.19, 330],
  ['ap-northeast-1', 'Asia Pacific (Tokyo)', 35.68, 139.69, 480],
  ['ap-northeast-2', 'Asia Pacific (Seoul)', 37.57, 126.98, 440],
  ['ap-southeast-1', 'Asia Pacific (Singapore)', 1.35, 103.82, 470],
  ['ap-southeast-2', 'Asia Pacific (Sydney)', -33.87, 151.21, 560],
  ['ap-south-1', 'Asia Pacific (Mumbai)', 19.08, 72.88, 690],
  ['sa-east-1', 'South America (Sao Paulo)', -23.55, -46.63, 110],
  ['me-south-1', 'Middle East (Bahrain)', 26.07, 50.56, 600],
  ['af-south-1', 'Africa (Cape Town)', -33.92, 18.42, 700],
  // The other 14 regions of the shipped dataset (34 in all); appended, so smaller instances stay the same.
  ['ap-east-1', 'Asia Pacific (Hong Kong)', 22.32, 114.17, 650],
  ['ap-east-2', 'Asia Pacific (Taipei)', 25.04, 121.56, 560],
  ['ap-northeast-3', 'Asia Pacific (Osaka)', 34.69, 135.5, 450],
  ['ap-south-2', 'Asia Pacific (Hyderabad)', 17.37, 78.48, 700],
  ['ap-southeast-3', 'Asia Pacific (Jakarta)', -6.19, 106.82, 680],
  ['ap-southeast-4', 'Asia Pacific (Melbourne)', -37.81, 144.96, 600],
  ['ap-southeast-5', 'Asia Pacific (Malaysia)', 3.13, 101.68, 580],
  ['ap-southeast-6', 'Asia Pacific (New Zealand)', -36.85, 174.76, 100],
  ['ap-southeast-7', 'Asia Pacific (Thailand)', 13.76, 100.5, 500],
  ['eu-central-2', 'Europe (Zurich)', 47.38, 8.54, 40],
  ['eu-south-2', 'Europe (Spain)', 41.77, -0.82, 150],
  ['il-central-1', 'Israel (Tel Aviv)', 32.09, 34.78, 550],
  ['me-central-1', 'Middle East (UAE)', 25.2, 55.27, 450],
  ['mx-central-1', 'Mexico (Central)', 20.59, -100.39, 420],
];

const NORTH_AMERICA = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'ca-west-1'];
const MEMORY_SIZES = [256, 512, 1024, 1769, 2048, 3008];
const KiB = 1 / 1048576;

function haversineKm(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[0] - a[0]) * rad;
  const dLon = (b[1] - a[1]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}

export function generateSolverInstance(options: GeneratorOptions): unknown {
  const { functions: N, seed } = options;
  if (options.regions < 4 || options.regions > REGION_LIST.length)
    throw new Error(`regions must be 4..${REGION_LIST.length}`);
  if (N < 2) throw new Error('functions must be at least 2');
  const maxFanIn = options.maxFanIn ?? 3;
  if (!Number.isInteger(maxFanIn) || maxFanIn < 2) throw new Error('maxFanIn must be an integer of at least 2');
  const rng = streamFor(seed, 0x6e6e);
  const uniform = (lo: number, hi: number): number => lo + (hi - lo) * rng.next();
  const integer = (lo: number, hi: number): number => lo + Math.floor(rng.next() * (hi - lo + 1));
  const chance = (p: number): boolean => rng.next() < p;
  const choice = <T>(list: readonly T[]): T => list[Math.floor(rng.next() * list.length)]!;
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const logNormal = (median: number, sigma: number): number => median * Math.exp(sigma * normal());

  const regions = REGION_LIST.slice(0, options.regions);
  const key = (code: string): string => `aws:${code}`;
  const home = key('us-east-1');
  const workflowName = 'synthwf';
  const workflowId = `${workflowName}-0.0.1`;
  const prefix = `${workflowName}-0_0_1`;

  // DAG: a random tree from the entry point, plus sync nodes joining earlier nodes.
  const parents: number[][] = [[]];
  const isSync: boolean[] = [false];
  for (let i = 1; i < N; i++) {
    const candidates = Array.from({ length: i }, (_, j) => j).filter((j) => !isSync[j] || chance(0.3));
    if (i >= 3 && chance(0.25)) {
      const count = Math.min(candidates.length, integer(2, maxFanIn));
      const chosen = new Set<number>();
      while (chosen.size < count) chosen.add(choice(candidates));
      parents.push([...chosen].sort((a, b) => a - b));
      isSync.push(true);
    } else {
      parents.push([choice(candidates)]);
      isSync.push(false);
    }
  }
  const children: number[][] = Array.from({ length: N }, () => []);
  parents.forEach((ps, child) => ps.forEach((p) => children[p]!.push(child)));
  const names = Array.from({ length: N }, (_, i) => {
    if (i === 0) return `${prefix}-f0:entry_point:0`;
    if (isSync[i]) return `${prefix}-f${i}:sync:${i}`;
    return `${prefix}-f${i}:${prefix}-f${parents[i]![0]}_${parents[i]![0]}_${children[parents[i]![0]!]!.indexOf(i)}:${i}`;
  });
  const probability = new Map<string, number>();
  for (let child = 1; child < N; child++)
    for (const p of parents[child]!) probability.set(`${p}>${child}`, chance(0.2) ? round(uniform(0.5, 0.95), 3) : 1);

  const pinned = names.map((_, i) => i > 0 && chance(0.1));
  const memory = names.map(() => choice(MEMORY_SIZES));
  const performance = regions.map(([code]) => (code === 'us-east-1' ? 1 : round(uniform(0.95, 1.08), 3)));
  const baseDuration = names.map(() => uniform(0.2, 2.5));
  const utilization = names.map(() => round(uniform(0.15, 0.9), 4));

  const config = { memory: 1024, timeout: 120 };
  const instances = Object.fromEntries(
    names.map((name, i) => [
      name,
      {
        instance_name: name,
        regions_and_providers: {
          providers: { aws: { config: { memory: memory[i], timeout: 120, architecture: 'x86_64' } } },
          ...(pinned[i] ? { allowed_regions: NORTH_AMERICA.filter((c) => regions.some(([r]) => r === c)).map((region) => ({ provider: 'aws', region })) } : {}),
        },
        succeeding_instances: children[i]!.map((c) => names[c]),
        preceding_instances: parents[i]!.map((p) => names[p]),
      },
    ]),
  );

  // Regions: prices, carbon, performance.
  const coordinates = new Map(regions.map(([code, , lat, lon]) => [key(code), [lat, lon] as [number, number]]));
  const providerRows = Object.fromEntries(
    regions.map(([code]) => {
      const transfer = code.startsWith('ap-') ? round(uniform(0.08, 0.098), 3) : code.startsWith('sa-') ? 0.138 : code.startsWith('af-') ? 0.147 : code.startsWith('me-') ? 0.1105 : 0.02;
      return [
        key(code),
        {
          execution_cost: {
            invocation_cost: { arm64: 2e-7, x86_64: 2e-7 },
            compute_cost: { arm64: 1.33334e-5, x86_64: code.startsWith('us-') ? 1.66667e-5 : round(uniform(1.66667e-5, 2.2e-5), 10) },
            unit: 'USD',
          },
          transmission_cost: { global_data_transfer: 0.09, provider_data_transfer: transfer, unit: 'USD/GB' },
          sns_cost: { request_cost: code.startsWith('us-') ? 5e-7 : 5.5e-7, unit: 'USD/requests' },
          dynamodb_cost: { read_request_cost: 2.5e-7, write_request_cost: 1.25e-6, storage_cost: 0.25, unit: 'USD' },
          ecr_cost: { storage_cost: 0.1, unit: 'USD' },
          pue: 1.11,
          cfe: 0.0,
          average_memory_power: 0.0003725,
          max_cpu_power_kWh: 0.0035,
          min_cpu_power_kWh: 0.00074,
          available_architectures: ['arm64', 'x86_64'],
        },
      ];
    }),
  );
  const carbonRows = Object.fromEntries(
    regions.map(([code, , , , base]) => {
      const amplitude = uniform(0.05, 0.35);
      const phase = uniform(0, 24);
      const hourly = Array.from({ length: 24 }, (_, h) => round(base * (1 + amplitude * Math.sin(((h - phase) / 24) * 2 * Math.PI)), 4));
      const overall = round(hourly.reduce((s, x) => s + x, 0) / 24, 4);
      return [
        key(code),
        {
          averages: { overall: { carbon_intensity: overall }, ...Object.fromEntries(hourly.map((ci, h) => [String(h), { carbon_intensity: ci }])) },
          units: 'gCO2eq/kWh',
          transmission_distances: Object.fromEntries(
            regions.map(([other]) => [key(other), round(haversineKm(coordinates.get(key(code))!, coordinates.get(key(other))!), 3)]),
          ),
          transmission_distances_unit: 'km',
        },
      ];
    }),
  );
  const pingMedian = (a: string, b: string): number =>
    a === b ? 0.004 : 0.005 + haversineKm(coordinates.get(a)!, coordinates.get(b)!) / 100_000;
  const performanceRows = Object.fromEntries(
    regions.map(([code], r) => [
      key(code),
      {
        relative_performance: performance[r],
        transmission_latency: Object.fromEntries(
          regions.map(([other]) => [
            key(other),
            { latency_distribution: Array.from({ length: 100 }, () => round(logNormal(pingMedian(key(code), key(other)), 0.15), 6)), unit: 's' },
          ]),
        ),
      },
    ]),
  );

  // Workflow summary.
  const otherRegion = (): string => key(choice(regions.slice(1))[0]);
  const executionData = (i: number, atRedirector: boolean) => {
    const successors = atRedirector ? [0] : children[i]!;
    const measuredRegions = [home, ...(chance(0.3) ? [otherRegion()] : [])];
    const atRegion = Object.fromEntries(
      measuredRegions.map((region) => {
        const scale = performance[regions.findIndex(([c]) => key(c) === region)]!;
        const durations = Array.from({ length: integer(20, 50) }, () => round(logNormal(baseDuration[i]! * (atRedirector ? 0.3 : 1) * scale, 0.25), 4));
        const auxiliary: Record<string, number[][]> = {};
        for (const t of durations) {
          const bucket = durationKey(t);
          const dtde = chance(0.15) ? round(uniform(1, 2000) * KiB, 9) : 0;
          const times = successors.map(() => round(t * uniform(0.5, 0.98), 3));
          (auxiliary[bucket] ??= []).push([dtde, ...times]);
        }
        return [region, { cpu_utilization: utilization[i], durations_s: durations, auxiliary_data: auxiliary }];
      }),
    );
    return {
      invocations: 1000,
      cpu_utilization: utilization[i],
      executions: {
        at_region: atRegion,
        auxiliary_index_translation: {
          data_transfer_during_execution_gb: 0,
          ...Object.fromEntries(successors.map((s, k) => [names[s], k + 1])),
        },
      },
    };
  };
  const latencyPairs = (sizes: number[], sync: boolean) => {
    const pairs: Record<string, Record<string, unknown>> = {};
    const add = (from: string, to: string) => {
      const base = (sync ? 0.25 : 0.15) + pingMedian(from, to) + uniform(0, 0.05);
      const table: Record<string, number[]> = {};
      for (const s of sizes) {
        const bucket = transferSizeKey(s);
        (table[bucket] ??= []).push(round(logNormal(base + s * 200, 0.2), 6));
      }
      const mean = Object.values(table).flat().reduce((sum, x, _, all) => sum + x / all.length, 0);
      (pairs[from] ??= {})[to] = {
        transfer_size_gb_to_transfer_latencies_s: table,
        best_fit_line: { slope_s: round(uniform(0, 300), 4), intercept_s: round(mean, 6), min_latency_s: round(0.7 * mean, 6), max_latency_s: round(1.3 * mean, 6) },
      };
    };
    add(home, home);
    if (chance(0.3)) add(home, otherRegion());
    return pairs;
  };
  // Sync nodes reachable from a node, each with the last node before it on the path.
  const downstreamSync = (node: number): Array<[number, number]> => {
    const found: Array<[number, number]> = [];
    const visit = (v: number): void => {
      for (const c of children[v]!) {
        if (isSync[c]) {
          if (!found.some(([p, s]) => p === v && s === c)) found.push([v, c]);
        } else visit(c);
      }
    };
    if (isSync[node]) return found;
    visit(node);
    return found;
  };
  const instanceSummary = Object.fromEntries(
    names.map((name, i) => {
      const toInstance: Record<string, unknown> = {};
      for (const child of children[i]!) {
        const p = probability.get(`${i}>${child}`)!;
        const sizes = Array.from({ length: integer(15, 40) }, () => round(uniform(1, 120) * KiB, 12));
        const sync = isSync[child]!;
        const nonExecution: Record<string, unknown> = {};
        if (p < 1) {
          const targets: Array<[number, number]> = isSync[child] ? [[i, child]] : downstreamSync(child);
          for (const [pred, syncNode] of targets)
            nonExecution[`${names[pred]}>${names[syncNode]}`] = {
              sync_data_response_size_gb: round(uniform(1, 8) * KiB, 12),
              sns_transfer_size_gb: round(uniform(0.5, 2) * KiB, 12),
              regions_to_regions: { [home]: { [home]: { transfer_latencies_s: Array.from({ length: 5 }, () => round(uniform(0.2, 0.45), 6)) } } },
            };
        }
        toInstance[names[child]!] = {
          invoked: Math.round(1000 * p),
          non_executions: 1000 - Math.round(1000 * p),
          invocation_probability: p,
          transfer_sizes_gb: sizes,
          regions_to_regions: latencyPairs(sizes, sync),
          non_execution_info: nonExecution,
          ...(sync ? { sync_size_gb: round(uniform(5, 150) * KiB, 12), sns_only_size_gb: round(uniform(0.9, 1.2) * KiB, 12) } : {}),
        };
      }
      if (i === 0)
        toInstance[name] = {
          invoked: 500,
          non_executions: 0,
          invocation_probability: 1,
          transfer_sizes_gb: Array.from({ length: 20 }, () => round(uniform(1, 8) * KiB, 12)),
          regions_to_regions: {},
          non_execution_info: {},
        };
      return [name, { ...executionData(i, false), to_instance: toInstance }];
    }),
  );
  const day = (offset: number): string => new Date(Date.UTC(2025, 0, 15 - offset)).toISOString().slice(0, 10) + '+0000';

  return {
    format: 'caribou-solver-instance/v1',
    generator: {
      script: 'tools/bench/solver-instance-generator.ts',
      seed,
      n_functions: N,
      n_regions: options.regions,
      wpd_at_function_probability: 0.5,
      pin_probability: 0.1,
      sync_probability: 0.25,
      conditional_probability: 0.2,
      extra_region_data_probability: 0.3,
      restriction: 'north-america',
    },
    workflow_id: workflowId,
    home_region: home,
    system_region: key('us-west-2'),
    workflow_config: {
      workflow_name: workflowName,
      workflow_version: '0.0.1',
      workflow_id: workflowId,
      regions_and_providers: { allowed_regions: null, disallowed_regions: null, providers: { aws: { config } } },
      instances,
      constraints: {
        hard_resource_constraints: { cost: { value: 150, type: 'relative' }, runtime: { value: 125, type: 'relative' }, carbon: null },
        soft_resource_constraints: { cost: null, runtime: null, carbon: null },
        priority_order: ['carbon', 'cost', 'runtime'],
      },
      home_region: { provider: 'aws', region: 'us-east-1' },
      num_calls_in_one_month: 100000,
      deployment_algorithm: 'stochastic_heuristic_deployment_algorithm',
    },
    tables: {
      available_regions_table: Object.fromEntries(
        regions.map(([code, name, lat, lon]) => [key(code), { name, provider: 'aws', code, latitude: lat, longitude: lon }]),
      ),
      provider_table: { aws: {} },
      provider_region_table: providerRows,
      carbon_region_table: carbonRows,
      performance_region_table: performanceRows,
      workflow_instance_table: {
        [workflowId]: {
          workflow_runtime_samples: Array.from({ length: 50 }, () => round(uniform(2, 8), 6)),
          daily_invocation_counts: Object.fromEntries(Array.from({ length: 7 }, (_, d) => [day(d), integer(50, 400)])),
          daily_user_code_failure_counts: {},
          start_hop_summary: {
            invoked: 1000,
            retrieved_wpd_at_function: 500,
            wpd_at_function_probability: 0.5,
            workflow_placement_decision_size_gb: round(3.9 * KiB, 12),
            at_redirector: { [names[0]!]: executionData(0, true) },
            from_client: { transfer_sizes_gb: Array.from({ length: 25 }, () => round(uniform(1, 8) * KiB, 12)), received_region: {} },
          },
          instance_summary: instanceSummary,
        },
      },
    },
  };
}
