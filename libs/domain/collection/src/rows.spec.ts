import { describe, expect, it } from 'vitest';
import { flatProfile } from './carbon-profile';
import { snsRequestCostUsd, transmissionPricesUsdPerGb } from './price-tables';
import {
  buildAvailableRegionRow,
  buildCarbonRegionRow,
  buildPerformanceRegionRow,
  buildProviderRegionRow,
  availableRegionOf,
  type RegionPrices,
} from './rows';

describe('price tables', () => {
  it('prices SNS per single request from the exact table, then by prefix', () => {
    expect(snsRequestCostUsd('us-west-1')).toBeCloseTo(6e-7, 15);
    expect(snsRequestCostUsd('sa-east-1')).toBeCloseTo(7e-7, 15);
    expect(snsRequestCostUsd('eu-south-1')).toBeCloseTo(5.5e-7, 15);
    expect(snsRequestCostUsd('mx-central-1')).toBeUndefined();
  });

  it("prices transfer from the reference's exact entries, then by prefix", () => {
    expect(transmissionPricesUsdPerGb('sa-east-1')).toEqual({ globalUsdPerGb: 0.15, providerUsdPerGb: 0.138 });
    expect(transmissionPricesUsdPerGb('eu-south-2')).toEqual({ globalUsdPerGb: 0.09, providerUsdPerGb: 0.02 });
    expect(transmissionPricesUsdPerGb('il-central-1')).toEqual({ globalUsdPerGb: 0.11, providerUsdPerGb: 0.08 });
    expect(transmissionPricesUsdPerGb('ap-east-2')).toBeUndefined();
  });
});

describe('buildProviderRegionRow', () => {
  const complete: RegionPrices = {
    lambda: { x86_64: { gbSecondUsd: 1.95172e-5, requestUsd: 2.3e-7 }, arm64: { gbSecondUsd: 1.56138e-5, requestUsd: 2.3e-7 } },
    freeTier: { requests: 1_000_000, gbSeconds: 400_000 },
    transfer: { globalUsdPerGb: 0.09, providerUsdPerGb: 0.02 },
    snsRequestUsd: 5e-7,
    dynamodb: { readRequestUsd: 2.5e-7, writeRequestUsd: 1.25e-6, storageUsdPerGbMonth: 0.1 },
    ecrStorageUsdPerGbMonth: 0.1,
  };

  it('writes the documented example row exactly when every price is known', () => {
    const { row, fallbacks } = buildProviderRegionRow('us-east-1', complete);
    expect(fallbacks).toEqual([]);
    // The example of the reference's docs/metrics_manager.md (§9.1 item 2).
    expect(row).toEqual({
      execution_cost: {
        invocation_cost: { arm64: 2.3e-7, x86_64: 2.3e-7, free_tier_invocations: 1000000 },
        compute_cost: { arm64: 1.56138e-5, x86_64: 1.95172e-5, free_tier_compute_gb_s: 400000 },
        unit: 'USD',
      },
      transmission_cost: { global_data_transfer: 0.09, provider_data_transfer: 0.02, unit: 'USD/GB' },
      sns_cost: { request_cost: 5e-7, unit: 'USD/requests' },
      dynamodb_cost: { read_request_cost: 2.5e-7, write_request_cost: 1.25e-6, storage_cost: 0.1, unit: 'USD' },
      ecr_cost: { storage_cost: 0.1, unit: 'USD' },
      pue: 1.11,
      cfe: 0.0,
      average_memory_power: 0.0003725,
      max_cpu_power_kWh: 0.0035,
      min_cpu_power_kWh: 0.00074,
      available_architectures: ['arm64', 'x86_64'],
    });
    expect(Object.keys(row)).toEqual([
      'execution_cost', 'transmission_cost', 'sns_cost', 'dynamodb_cost', 'ecr_cost', 'pue', 'cfe',
      'average_memory_power', 'max_cpu_power_kWh', 'min_cpu_power_kWh', 'available_architectures',
    ]);
  });

  it("fills unknown prices with the reference's defaults and says so", () => {
    const { row, fallbacks } = buildProviderRegionRow('ap-east-2', {
      lambda: { x86_64: { gbSecondUsd: null, requestUsd: null }, arm64: { gbSecondUsd: null, requestUsd: null } },
      transfer: { globalUsdPerGb: null, providerUsdPerGb: null },
      snsRequestUsd: null,
    });
    expect(row.execution_cost.compute_cost.x86_64).toBe(1.66667e-5);
    expect(row.execution_cost.compute_cost.arm64).toBe(1.66667e-5);
    expect(row.execution_cost.invocation_cost.x86_64).toBe(2e-7);
    expect(row.transmission_cost).toEqual({ global_data_transfer: 0.09, provider_data_transfer: 0.09, unit: 'USD/GB' });
    expect(row.sns_cost.request_cost).toBeCloseTo(6e-7, 15); // ap- prefix of the SNS table
    expect(row.available_architectures).toEqual(['arm64', 'x86_64']);
    expect(fallbacks.some((f) => f.startsWith('x86_64 compute price (USD/GB-s) default → 0.0000166667'))).toBe(true);
    expect(fallbacks.some((f) => f.startsWith('internet transfer (USD/GB) default → 0.09'))).toBe(true);
  });

  it('separates categories the catalog never prices from gaps of this region', () => {
    const { lambda, freeTier, transfer, snsRequestUsd } = complete;
    const { fallbacks, uncoveredCategories } = buildProviderRegionRow('us-east-1', { lambda, freeTier, transfer, snsRequestUsd });
    expect(fallbacks).toEqual([]);
    expect(uncoveredCategories).toEqual(['DynamoDB', 'ECR']);
    const unpriced = buildProviderRegionRow('us-east-1', undefined);
    expect(unpriced.uncoveredCategories).toEqual([]);
    expect(unpriced.fallbacks).toHaveLength(13);
  });

  it("uses the reference's transfer table before the flat default", () => {
    const { row } = buildProviderRegionRow('sa-east-1', undefined);
    expect(row.transmission_cost.provider_data_transfer).toBe(0.138);
  });

  it('lists only architectures with a positive request price', () => {
    const { row } = buildProviderRegionRow('us-east-1', { ...complete, lambda: { ...complete.lambda, arm64: { gbSecondUsd: 0, requestUsd: 0 } } });
    expect(row.available_architectures).toEqual(['x86_64']);
  });
});

describe('buildCarbonRegionRow', () => {
  it('writes overall and the 24 hours as objects, plus distances in km', () => {
    const { row, fallbacks } = buildCarbonRegionRow(flatProfile(51.39), { 'aws:a': 0, 'aws:b': 12.5 });
    expect(fallbacks).toEqual([]);
    expect(Object.keys(row.averages).sort()).toEqual(['overall', ...Array.from({ length: 24 }, (_, h) => String(h))].sort());
    expect(row.averages.overall).toEqual({ carbon_intensity: 51.39 });
    expect(row.averages['23']).toEqual({ carbon_intensity: 51.39 });
    expect(row.units).toBe('gCO2eq/kWh');
    expect(row.transmission_distances).toEqual({ 'aws:a': 0, 'aws:b': 12.5 });
    expect(row.transmission_distances_unit).toBe('km');
  });

  it('writes 475 for unknown hours and reports them', () => {
    const hourly = Array.from({ length: 24 }, (_, h) => (h < 2 ? undefined : 100));
    const { row, fallbacks } = buildCarbonRegionRow({ overall: 100, hourly }, {});
    expect(row.averages['0']).toEqual({ carbon_intensity: 475 });
    expect(row.averages['1']).toEqual({ carbon_intensity: 475 });
    expect(row.averages['2']).toEqual({ carbon_intensity: 100 });
    expect(fallbacks).toEqual(['hours 0,1 → 475 (worst case)']);
  });
});

describe('buildPerformanceRegionRow', () => {
  it('writes relative_performance 1 and a distribution in seconds per destination', () => {
    expect(buildPerformanceRegionRow([['aws:b', [0.05, 0.06]]])).toEqual({
      relative_performance: 1,
      transmission_latency: { 'aws:b': { latency_distribution: [0.05, 0.06], unit: 's' } },
    });
  });
});

describe('available region rows', () => {
  it('builds and reads back the reference shape', () => {
    const row = buildAvailableRegionRow('aws', { code: 'eu-south-1', name: 'Europe (Milan)', latitude: 45.4685, longitude: 9.1824 });
    expect(row).toEqual({ name: 'Europe (Milan)', provider: 'aws', code: 'eu-south-1', latitude: 45.4685, longitude: 9.1824 });
    expect(availableRegionOf('aws:eu-south-1', row)).toEqual(row);
  });

  it('takes name, provider and code from the key when a row lacks them', () => {
    expect(availableRegionOf('aws:eu-south-1', { latitude: 1, longitude: 2 })).toEqual({ name: 'eu-south-1', provider: 'aws', code: 'eu-south-1', latitude: 1, longitude: 2 });
  });
});
