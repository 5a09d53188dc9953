import { CaribouError } from '@caribou/domain-common';
import {
  loadCarbonIntensities,
  loadRegionPrices,
  loadRelativePerformance,
  MEMORY_MB_PER_VCPU,
  objectAt,
  SolverDefaults,
  valueAt,
  type RegionPrices,
  type SolverWorkflowConfig,
} from '@caribou/domain-model';

/**
 * One region as the collectors described it, read with the solver's loaders so that measured
 * and predicted figures use the same coefficients (reference-solver §1.2): prices and power
 * figures, grid intensity per UTC hour, relative performance. Missing rows give the solver's
 * defaults; `missing` says which, so a report can say what it assumed.
 */
export interface RegionFacts {
  key: string;
  prices: RegionPrices;
  /** 25 slots: the daily average, then UTC hours 0–23 (gCO2e/kWh). */
  intensity: Float64Array;
  /** A runtime multiplier: bigger is slower. */
  relativePerformance: number;
  missing: Array<'prices' | 'carbon' | 'performance'>;
}

export interface RegionRows {
  provider?: unknown;
  carbon?: unknown;
  performance?: unknown;
}

export function regionFacts(key: string, rows: RegionRows): RegionFacts {
  const missing: RegionFacts['missing'] = [];
  if (rows.provider === undefined) missing.push('prices');
  if (rows.carbon === undefined) missing.push('carbon');
  if (rows.performance === undefined) missing.push('performance');
  return {
    key,
    prices: loadRegionPrices(rows.provider, false),
    intensity: loadCarbonIntensities(rows.carbon),
    relativePerformance: loadRelativePerformance(rows.performance),
    missing,
  };
}

/** What an instance was deployed with: the inputs of its energy and compute price. */
export interface InstanceResources {
  /** The function's name in the workflow (an instance is a function at one place in the DAG). */
  functionName: string;
  memoryMb: number;
  vcpu: number;
  architecture: string;
}

/**
 * Memory, vCPU and architecture of every instance of a deployed workflow config, by the
 * solver's rules: the instance's provider config, else the workflow's; vCPU = memory / 1769
 * unless given.
 */
export function instanceResources(config: SolverWorkflowConfig): Map<string, InstanceResources> {
  const provider = config.home_region.provider;
  const prefix = `${config.workflow_name}-${config.workflow_version.replace(/\./g, '_')}-`;
  const resources = new Map<string, InstanceResources>();
  for (const [name, instance] of Object.entries(config.instances)) {
    const providerConfig =
      objectAt(instance.regions_and_providers, 'providers', provider, 'config') ?? objectAt(config.regions_and_providers, 'providers', provider, 'config');
    const memory = valueAt(providerConfig, 'memory');
    if (typeof memory !== 'number' || !(memory > 0))
      throw new CaribouError(`deployed workflow config: instances.${name} has no memory (providers.${provider}.config.memory); redeploy the workflow`);
    const vcpu = valueAt(providerConfig, 'vcpu');
    const architecture = valueAt(providerConfig, 'architecture');
    const qualified = name.split(':')[0]!;
    resources.set(name, {
      functionName: qualified.startsWith(prefix) ? qualified.slice(prefix.length) : qualified,
      memoryMb: memory,
      vcpu: typeof vcpu === 'number' && vcpu >= 0 ? vcpu : memory / MEMORY_MB_PER_VCPU,
      architecture: typeof architecture === 'string' ? architecture : SolverDefaults.architecture,
    });
  }
  return resources;
}
