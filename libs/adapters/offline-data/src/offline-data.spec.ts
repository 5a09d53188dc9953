import { describe, expect, it } from 'vitest';
import { CaribouError } from '@caribou/domain-common';
import { PRICE_DEFAULTS, REGION_ENERGY_CONSTANTS, WORST_CASE_CARBON_INTENSITY } from '@caribou/domain-collection';
import energyJson from '../data/energy-coefficients.json' with { type: 'json' };
import hourOfDayJson from '../data/hour-of-day-profiles-2024.json' with { type: 'json' };
import latencyJson from '../data/aws-interregion-p50-ms.json' with { type: 'json' };
import { SHIPPED_RAW_DATASET, loadShippedDataset, parseOfflineDataset } from './dataset';
import { OfflineCarbonSource } from './offline-carbon-source';
import { OfflineLatencySource } from './offline-latency-source';
import { OfflineRegionCatalog } from './offline-region-catalog';

const at = (iso: string) => ({ now: () => Date.parse(iso) });
const HOURLY_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'af-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-south-1',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-4', 'eu-central-1', 'eu-west-2', 'sa-east-1',
];

describe('shipped dataset', () => {
  it('parses and holds 34 distinct regions', () => {
    const dataset = loadShippedDataset();
    expect(dataset.regions).toHaveLength(34);
    expect(new Set(dataset.regions.map((r) => r.code)).size).toBe(34);
  });

  it('carries the same energy constants and price defaults as the domain', () => {
    const caribou = energyJson.caribou;
    expect(REGION_ENERGY_CONSTANTS.pue).toBe(caribou.SOLVER_INPUT_PUE_DEFAULT);
    expect(REGION_ENERGY_CONSTANTS.cfe).toBe(caribou.SOLVER_INPUT_CFE_DEFAULT);
    expect(REGION_ENERGY_CONSTANTS.averageMemoryPowerKwPerGb).toBe(caribou.SOLVER_INPUT_AVERAGE_MEMORY_POWER_DEFAULT_kw_per_gb);
    expect(REGION_ENERGY_CONSTANTS.minCpuPowerKwPerVcpu).toBe(caribou.SOLVER_INPUT_MIN_CPU_POWER_DEFAULT_kw_per_vcpu);
    expect(REGION_ENERGY_CONSTANTS.maxCpuPowerKwPerVcpu).toBe(caribou.SOLVER_INPUT_MAX_CPU_POWER_DEFAULT_kw_per_vcpu);
    expect(PRICE_DEFAULTS.computeUsdPerGbSecond).toBe(caribou.SOLVER_INPUT_COMPUTE_COST_DEFAULT_usd_per_gb_s);
    expect(PRICE_DEFAULTS.invocationUsd).toBe(caribou.SOLVER_INPUT_INVOCATION_COST_DEFAULT_usd);
    expect(PRICE_DEFAULTS.transmissionUsdPerGb).toBe(caribou.SOLVER_INPUT_TRANSMISSION_COST_DEFAULT_usd_per_gb);
    expect(PRICE_DEFAULTS.snsRequestUsd).toBe(caribou.SOLVER_INPUT_SNS_REQUEST_COST_DEFAULT_usd);
    expect(WORST_CASE_CARBON_INTENSITY).toBe(caribou.global_average_worst_case_carbon_intensity_gco2e_per_kwh);
  });

  it('names the file and field of a broken copy', () => {
    const regions = structuredClone(SHIPPED_RAW_DATASET.awsRegions) as { regions: Array<Record<string, unknown>> };
    regions.regions[2]!.latitude = 'north';
    expect(() => parseOfflineDataset({ ...SHIPPED_RAW_DATASET, awsRegions: regions })).toThrow(CaribouError);
    expect(() => parseOfflineDataset({ ...SHIPPED_RAW_DATASET, awsRegions: regions })).toThrow(
      /aws-regions\.json: regions\[2\]\.latitude \(ap-east-2\) must be a number/,
    );
    const profiles = structuredClone(SHIPPED_RAW_DATASET.hourOfDay) as { zones: Record<string, { by_month: Record<string, number[]> }> };
    profiles.zones.DE!.by_month['3']!.pop();
    expect(() => parseOfflineDataset({ ...SHIPPED_RAW_DATASET, hourOfDay: profiles })).toThrow(/zones\.DE\.by_month\.3 must list 24 hourly values/);
    const latency = structuredClone(SHIPPED_RAW_DATASET.latency) as { matrix_ms: Record<string, Record<string, number>> };
    latency.matrix_ms['us-east-1']!['us-east-2'] = 0;
    expect(() => parseOfflineDataset({ ...SHIPPED_RAW_DATASET, latency })).toThrow(/matrix_ms\.us-east-1\.us-east-2 must be a positive number/);
  });
});

describe('OfflineRegionCatalog', () => {
  const catalog = new OfflineRegionCatalog();

  it('lists the 34 regions with names and coordinates', async () => {
    const regions = await catalog.listRegions();
    expect(regions).toHaveLength(34);
    expect(regions.find((r) => r.code === 'eu-south-1')).toEqual({ code: 'eu-south-1', name: 'Europe (Milan)', latitude: 45.4685, longitude: 9.1824 });
  });

  it('prices a region from the Lambda and transfer files, SNS per single request', async () => {
    const prices = (await catalog.getPrices(['eu-south-1'])).get('eu-south-1')!;
    expect(prices.lambda).toEqual({ x86_64: { gbSecondUsd: 1.95172e-5, requestUsd: 2.3e-7 }, arm64: { gbSecondUsd: 1.56138e-5, requestUsd: 2.3e-7 } });
    expect(prices.freeTier).toEqual({ requests: 1_000_000, gbSeconds: 400_000 });
    expect(prices.transfer).toEqual({ globalUsdPerGb: 0.09, providerUsdPerGb: 0.02 });
    expect(prices.snsRequestUsd).toBeCloseTo(5.5e-7, 15);
    expect(prices.source).toBe('offline:pricing');
  });

  it('leaves unpublished prices null and flags low-confidence ones', async () => {
    const prices = await catalog.getPrices(['ap-east-2', 'ca-west-1', 'no-such-1']);
    expect(prices.get('ap-east-2')!.lambda!.x86_64).toEqual({ gbSecondUsd: null, requestUsd: null });
    expect(prices.get('ap-east-2')!.transfer).toEqual({ globalUsdPerGb: null, providerUsdPerGb: null });
    expect(prices.get('ca-west-1')!.source).toBe('offline:pricing (low-confidence Lambda price)');
    expect(prices.has('no-such-1')).toBe(false);
  });
});

describe('OfflineCarbonSource', () => {
  const location = (code: string) => ({ code, latitude: 0, longitude: 0 });

  it("gives the current month's hour-of-day profile for a zone with hourly data", async () => {
    const reading = (await new OfflineCarbonSource(at('2026-05-20T10:00:00Z')).read(location('us-west-1')))!;
    const may = hourOfDayJson.zones['US-CAL-CISO'].by_month['5'];
    expect(reading.source).toBe('offline:hour-of-day-profile');
    expect(reading.data).toEqual({ kind: 'profile', hourly: may, overall: may.reduce((a, b) => a + b, 0) / 24 });
    expect(reading.notes[0]).toContain('May 2024');
  });

  it('switches profile with the month', async () => {
    const january = (await new OfflineCarbonSource(at('2026-01-02T00:00:00Z')).read(location('eu-central-1')))!;
    expect(january.data.kind === 'profile' && january.data.hourly).toEqual(hourOfDayJson.zones.DE.by_month['1']);
  });

  it('gives the latest yearly average, flat, elsewhere', async () => {
    const reading = (await new OfflineCarbonSource(at('2026-05-20T10:00:00Z')).read(location('us-west-2')))!;
    expect(reading.source).toBe('offline:yearly-2025');
    expect(reading.data.kind).toBe('profile');
    if (reading.data.kind === 'profile') expect(new Set(reading.data.hourly)).toEqual(new Set([reading.data.overall]));
  });

  it('covers all 34 regions: 13 by hour of day, 21 by yearly average', async () => {
    const source = new OfflineCarbonSource(at('2026-05-20T10:00:00Z'));
    const sources = new Map<string, string>();
    for (const region of loadShippedDataset().regions) sources.set(region.code, (await source.read(location(region.code)))!.source);
    expect([...sources].filter(([, s]) => s === 'offline:hour-of-day-profile').map(([code]) => code).sort()).toEqual([...HOURLY_REGIONS].sort());
    expect([...sources.values()].filter((s) => s === 'offline:yearly-2025')).toHaveLength(21);
  });

  it('falls back to the CCF factor for AWS codes outside the dataset, and to nothing beyond', async () => {
    const source = new OfflineCarbonSource(at('2026-05-20T10:00:00Z'));
    const gov = (await source.read(location('us-gov-west-1')))!;
    expect(gov.source).toBe('offline:ccf-factor');
    expect(gov.data.kind === 'profile' && gov.data.overall).toBe(298.65);
    expect(await source.read(location('xx-nowhere-1'))).toBeUndefined();
  });
});

describe('OfflineLatencySource', () => {
  const source = new OfflineLatencySource();

  it('reads the directional P50 in ms', async () => {
    const reading = (await source.read('us-east-1', 'eu-west-1'))!;
    expect(reading.observation).toEqual({ kind: 'percentiles', millis: { p_50: latencyJson.matrix_ms['us-east-1']['eu-west-1'] } });
    expect(reading.measuredFrom).toBe('us-east-1');
    expect(reading.source).toBe('offline:cloudping-p50-1Y');
  });

  it("substitutes the two unmeasured regions by the reference's rule", async () => {
    const reading = (await source.read('ap-east-2', 'ap-southeast-6'))!;
    expect([reading.measuredFrom, reading.measuredTo]).toEqual(['ap-east-1', 'ap-southeast-1']);
    expect(reading.observation).toEqual({ kind: 'percentiles', millis: { p_50: latencyJson.matrix_ms['ap-east-1']['ap-southeast-1'] } });
  });

  it('uses measurements of ca-west-1 and me-central-1 now that they exist', async () => {
    const reading = (await source.read('ca-west-1', 'me-central-1'))!;
    expect([reading.measuredFrom, reading.measuredTo]).toEqual(['ca-west-1', 'me-central-1']);
  });

  it('answers every pair of the 34 regions and nothing for unknown codes', async () => {
    const codes = loadShippedDataset().regions.map((r) => r.code);
    for (const from of codes) for (const to of codes) expect(await source.read(from, to)).toBeDefined();
    expect(await source.read('zz', 'us-east-1')).toBeUndefined();
  });
});
