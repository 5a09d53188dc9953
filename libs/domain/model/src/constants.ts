/**
 * Defaults and literals of the reference solver (reference-solver.md §10), named by what
 * they are. Prices in USD, powers in kW, intensities in gCO2e/kWh, sizes in GiB ("GB").
 */
export const SolverDefaults = {
  gridCarbonIntensity: 410,
  averageUsaCarbonIntensity: 410,
  computeCostPerGbSecond: 1.66667e-5,
  invocationCost: 2e-7,
  transmissionCostPerGb: 0.09,
  snsRequestCost: 0.5e-6,
  dynamoDbReadCostPerUnit: 0.25e-6,
  dynamoDbWriteCostPerUnit: 1.25e-6,
  pue: 1.11,
  cfe: 0.0,
  averageMemoryPowerKwPerGb: 0.0003725,
  minCpuPowerKw: 0.00074,
  maxCpuPowerKw: 0.0035,
  relativePerformance: 1.0,
  pingLatencySeconds: 0.22,
  invocationProbability: 0.0,
  cpuUtilization: 0.5,
  architecture: 'x86_64',
  /** 1 KiB in GiB: the size of a sync-table response and of an SNS-only notification. */
  syncSizeGb: 1 / 1024 ** 2,
  snsOnlySizeGb: 1 / 1024 ** 2,
  wpdAtFunctionProbability: 1,
  wpdSizeGb: 0,
} as const;

/** Physical constants of the carbon model (§2.4); none is configurable in the reference. */
export const CarbonSettings = {
  transmissionEnergyKwhPerGb: 0.001,
  considerCfe: false,
} as const;

/** AWS Lambda gives one vCPU per 1769 MB of memory. */
export const MEMORY_MB_PER_VCPU = 1769;

/** Missing-latency model: a sync edge is one DynamoDB update plus an upload, ≈ 4 extra hops. */
export const SYNC_LATENCY_MULTIPLIER = 5;

/** The system region (Caribou's own tables, the placement decision) when the input names none. */
export const DEFAULT_SYSTEM_REGION = 'aws:us-west-2';
