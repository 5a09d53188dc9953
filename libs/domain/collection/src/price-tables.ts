/**
 * Prices the reference hard-codes in its provider retriever
 * (`_retrieve_aws_sns_cost`, `_retrieve_aws_transmission_cost`) and the solver's
 * defaults (`common/constants.py`), used when a source has no figure for a region.
 */

/** SNS USD per million requests, exact entries. */
const SNS_USD_PER_MILLION_EXACT: Readonly<Record<string, number>> = {
  'us-east-1': 0.5,
  'us-west-1': 0.6,
  'us-west-2': 0.5,
  'us-east-2': 0.5,
  'ca-central-1': 0.5,
  'eu-west-1': 0.5,
  'eu-central-1': 0.55,
  'ca-west-1': 0.55,
  'eu-west-2': 0.55,
  'eu-west-3': 0.55,
  'eu-north-1': 0.55,
  'ap-southeast-1': 0.6,
  'ap-southeast-2': 0.6,
  'ap-northeast-1': 0.55,
  'ap-northeast-2': 0.55,
  'ap-south-1': 0.6,
  'sa-east-1': 0.7,
  'af-south-1': 0.75,
  'me-south-1': 0.75,
  'il-central-1': 0.55,
};

/** SNS USD per million requests by code prefix, tried in this order. */
const SNS_USD_PER_MILLION_BY_PREFIX: ReadonlyArray<[string, number]> = [
  ['us-', 0.5],
  ['eu-', 0.55],
  ['ap-', 0.6],
  ['ca-', 0.55],
  ['sa-', 0.7],
  ['af-', 0.75],
  ['me-', 0.75],
];

/**
 * SNS price per single request (USD), or undefined for a code the table does not cover.
 * The reference divides by 1e6 only on its prefix path and stores the exact entries
 * per million (0.5 instead of 5e-7); we apply the intended per-request unit to both.
 */
export function snsRequestCostUsd(code: string): number | undefined {
  const exact = SNS_USD_PER_MILLION_EXACT[code];
  if (exact !== undefined) return exact / 1_000_000;
  const byPrefix = SNS_USD_PER_MILLION_BY_PREFIX.find(([prefix]) => code.startsWith(prefix));
  return byPrefix ? byPrefix[1] / 1_000_000 : undefined;
}

/** Data transfer USD/GB out of a region: to the internet (global) and to another region of the provider. */
export interface TransmissionPrices {
  globalUsdPerGb: number;
  providerUsdPerGb: number;
}

const TRANSMISSION_EXACT: Readonly<Record<string, TransmissionPrices>> = {
  'ap-east-1': { globalUsdPerGb: 0.12, providerUsdPerGb: 0.09 },
  'ap-south-2': { globalUsdPerGb: 0.1093, providerUsdPerGb: 0.086 },
  'ap-southeast-3': { globalUsdPerGb: 0.132, providerUsdPerGb: 0.1 },
  'ap-southeast-4': { globalUsdPerGb: 0.114, providerUsdPerGb: 0.1 },
  'ap-south-1': { globalUsdPerGb: 0.1093, providerUsdPerGb: 0.086 },
  'ap-northeast-3': { globalUsdPerGb: 0.114, providerUsdPerGb: 0.09 },
  'ap-northeast-2': { globalUsdPerGb: 0.126, providerUsdPerGb: 0.08 },
  'ap-southeast-1': { globalUsdPerGb: 0.12, providerUsdPerGb: 0.09 },
  'ap-southeast-2': { globalUsdPerGb: 0.114, providerUsdPerGb: 0.098 },
  'ap-northeast-1': { globalUsdPerGb: 0.114, providerUsdPerGb: 0.09 },
  'me-south-1': { globalUsdPerGb: 0.117, providerUsdPerGb: 0.1105 },
  'me-central-1': { globalUsdPerGb: 0.11, providerUsdPerGb: 0.085 },
  'sa-east-1': { globalUsdPerGb: 0.15, providerUsdPerGb: 0.138 },
};

const TRANSMISSION_BY_PREFIX: ReadonlyArray<[string, TransmissionPrices]> = [
  ['us-', { globalUsdPerGb: 0.09, providerUsdPerGb: 0.02 }],
  ['ca-', { globalUsdPerGb: 0.09, providerUsdPerGb: 0.02 }],
  ['eu-', { globalUsdPerGb: 0.09, providerUsdPerGb: 0.02 }],
  ['af-', { globalUsdPerGb: 0.154, providerUsdPerGb: 0.147 }],
  ['il-', { globalUsdPerGb: 0.11, providerUsdPerGb: 0.08 }],
];

/** The reference's transfer prices for a code, or undefined where it raises `Unknown region code`. */
export function transmissionPricesUsdPerGb(code: string): TransmissionPrices | undefined {
  const exact = TRANSMISSION_EXACT[code];
  if (exact) return { ...exact };
  const byPrefix = TRANSMISSION_BY_PREFIX.find(([prefix]) => code.startsWith(prefix));
  return byPrefix ? { ...byPrefix[1] } : undefined;
}

/** Solver-side defaults (`SOLVER_INPUT_*_DEFAULT`) that the collector writes when it has nothing better. */
export const PRICE_DEFAULTS = {
  computeUsdPerGbSecond: 1.66667e-5,
  invocationUsd: 2e-7,
  transmissionUsdPerGb: 0.09,
  snsRequestUsd: 5e-7,
  dynamodbReadRequestUsd: 2.5e-7,
  dynamodbWriteRequestUsd: 1.25e-6,
  /** The value of the reference's documented provider_region_table example (docs/metrics_manager.md). */
  dynamodbStorageUsdPerGbMonth: 0.1,
  ecrStorageUsdPerGbMonth: 0.1,
  freeTierInvocations: 1_000_000,
  freeTierComputeGbSeconds: 400_000,
} as const;

/** Energy constants the reference writes for every AWS region (provider_region_table). */
export const REGION_ENERGY_CONSTANTS = {
  pue: 1.11,
  cfe: 0.0,
  averageMemoryPowerKwPerGb: 0.0003725,
  maxCpuPowerKwPerVcpu: 0.0035,
  minCpuPowerKwPerVcpu: 0.00074,
} as const;
