/* eslint-disable @nx/enforce-module-boundaries -- acceptance test: the use cases wired to the real offline and Electricity Maps adapters, as the composition roots wire them */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Tables } from '@caribou/domain-common';
import { ElectricityMapsCarbonSource } from '@caribou/adapter-electricity-maps';
import { OfflineCarbonSource, OfflineLatencySource, OfflineRegionCatalog, loadShippedDataset } from '@caribou/adapter-offline-data';
import type { CarbonRegionRow, PerformanceRegionRow, ProviderRegionRow } from '@caribou/domain-collection';
import type { CatalogRegion, RegionCatalog, RegionPrices } from '@caribou/ports';
import { CarbonCollectorService } from './carbon-collector.service';
import { summariseDataCollectReport } from './collection-report';
import { DataCollectService } from './data-collect.service';
import { FallbackCarbonSource } from './fallback-sources';
import { PerformanceCollectorService } from './performance-collector.service';
import { ProviderCollectorService } from './provider-collector.service';
import { InMemoryKeyValueStore, RecordingProgress } from '../testing/in-memory-key-value-store';

const NOW_MS = Date.parse('2026-05-20T10:00:00Z');
const clock = { now: () => NOW_MS };
const SHIPPED_CODES = loadShippedDataset().regions.map((region) => region.code);
const offlineLatency = JSON.parse(readFileSync(new URL('../../../adapters/offline-data/data/aws-interregion-p50-ms.json', import.meta.url), 'utf8')) as {
  matrix_ms: Record<string, Record<string, number>>;
};

function offlineCollection(provider: string, catalog: RegionCatalog = new OfflineRegionCatalog()) {
  const store = new InMemoryKeyValueStore();
  const progress = new RecordingProgress();
  const deps = { store, clock, progress, provider };
  const service = new DataCollectService({
    provider: new ProviderCollectorService({ ...deps, catalog }),
    carbon: new CarbonCollectorService({ ...deps, carbonSource: new OfflineCarbonSource(clock) }),
    performance: new PerformanceCollectorService({ ...deps, latencySource: new OfflineLatencySource(), options: { seed: 1 } }),
  });
  return { store, progress, service };
}

async function rows<T>(store: InMemoryKeyValueStore, table: string): Promise<Map<string, T>> {
  return new Map((await store.entries(table)).map(([key, json]) => [key, JSON.parse(json) as T]));
}

/** The shipped catalog plus one region no source knows, to show the fallbacks end to end. */
class CatalogWithUnknownRegion implements RegionCatalog {
  readonly name = 'offline dataset + an unknown region';
  private readonly base = new OfflineRegionCatalog();
  async listRegions(): Promise<CatalogRegion[]> {
    return [...(await this.base.listRegions()), { code: 'xx-nowhere-1', name: 'Nowhere', latitude: -60, longitude: -150 }];
  }
  getPrices(codes: readonly string[]): Promise<Map<string, RegionPrices>> {
    return this.base.getPrices(codes);
  }
}

describe("collect('all') with the offline sources", () => {
  it('writes all four tables for the 34 shipped regions, keyed local:<code>', async () => {
    const { store, progress, service } = offlineCollection('local');
    const report = await service.collect('all');
    const expectedKeys = SHIPPED_CODES.map((code) => `local:${code}`);

    for (const table of [Tables.availableRegions, Tables.providerRegion, Tables.carbonRegion, Tables.performanceRegion]) {
      expect(new Set(await store.keys(table)), table).toEqual(new Set(expectedKeys));
    }
    expect(await store.keys(Tables.provider)).toEqual([]);

    const available = await rows<Record<string, unknown>>(store, Tables.availableRegions);
    expect(available.get('local:eu-south-1')).toEqual({ name: 'Europe (Milan)', provider: 'local', code: 'eu-south-1', latitude: 45.4685, longitude: 9.1824 });
    for (const key of expectedKeys) {
      expect(await store.getNumericAttributes(Tables.availableRegions, key)).toEqual({
        provider_collector: NOW_MS / 1000,
        carbon_collector: NOW_MS / 1000,
        performance_collector: NOW_MS / 1000,
      });
    }

    expect(report.collectors.map((c) => c.collector)).toEqual(['provider', 'carbon', 'performance']);
    expect(report.collectors[0]!.notes).toEqual([
      'offline dataset has no DynamoDB prices: the solver defaults are written for every region',
      'offline dataset has no ECR prices: the solver defaults are written for every region',
    ]);
    expect(progress.steps.map((s) => s.details.length)).toEqual([34, 34, 34]);
    expect(summariseDataCollectReport(report).split('\n')).toEqual([
      'Regions and prices (local): 34 regions — 28 from the shipped price tables, 6 from the shipped price tables (low-confidence Lambda price); 5 regions with a default for a missing value',
      'Carbon intensity (local): 34 regions — 13 hour-of-day profiles (shipped dataset), 21 2025 yearly averages (shipped dataset); no fallbacks needed',
      'Latency (local): 34 regions — 34 cloudping one-year medians (shipped dataset; p50 with assumed sigma); no fallbacks needed',
    ]);
  });

  it("fills unpublished prices with the reference's defaults and reports them", async () => {
    const { store, service } = offlineCollection('local');
    const report = await service.collect('provider');
    const providerRows = await rows<ProviderRegionRow>(store, Tables.providerRegion);
    const taipei = providerRows.get('local:ap-east-2')!;
    expect(taipei.execution_cost.compute_cost).toEqual({ arm64: 1.66667e-5, x86_64: 1.66667e-5, free_tier_compute_gb_s: 400000 });
    expect(taipei.execution_cost.invocation_cost).toEqual({ arm64: 2e-7, x86_64: 2e-7, free_tier_invocations: 1000000 });
    expect(taipei.transmission_cost).toEqual({ global_data_transfer: 0.09, provider_data_transfer: 0.09, unit: 'USD/GB' });
    const milan = providerRows.get('local:eu-south-1')!;
    expect(milan.execution_cost.compute_cost.x86_64).toBe(1.95172e-5);
    expect(milan.sns_cost).toEqual({ request_cost: 0.55 / 1e6, unit: 'USD/requests' });
    const withFallbacks = report.collectors[0]!.regions.filter((r) => r.fallbacks.length > 0).map((r) => r.region);
    expect(withFallbacks.sort()).toEqual(['local:ap-east-2', 'local:ap-southeast-5', 'local:ap-southeast-6', 'local:ap-southeast-7', 'local:mx-central-1']);
  });

  it('writes carbon by UTC hour with distances to every region', async () => {
    const { store, service } = offlineCollection('local');
    await service.collect('provider');
    await service.collect('carbon');
    const carbon = await rows<CarbonRegionRow>(store, Tables.carbonRegion);
    const sanJose = carbon.get('local:us-west-1')!;
    const hourOfDay = JSON.parse(readFileSync(new URL('../../../adapters/offline-data/data/hour-of-day-profiles-2024.json', import.meta.url), 'utf8'));
    const may = hourOfDay.zones['US-CAL-CISO'].by_month['5'] as number[];
    for (let hour = 0; hour < 24; hour++) expect(sanJose.averages[String(hour)]).toEqual({ carbon_intensity: may[hour] });
    expect(sanJose.averages.overall!.carbon_intensity).toBeCloseTo(may.reduce((a, b) => a + b, 0) / 24, 10);
    expect(Object.keys(sanJose.transmission_distances)).toHaveLength(34);
    expect(sanJose.transmission_distances['local:us-west-1']).toBe(0);
    expect(sanJose.transmission_distances['local:us-west-2']).toBeGreaterThan(900);
    expect(sanJose.transmission_distances['local:us-west-2']).toBeLessThan(1000);
    expect(sanJose.units).toBe('gCO2eq/kWh');
    expect(sanJose.transmission_distances_unit).toBe('km');
  });

  it('writes performance rows in seconds for every pair, substituting the unmeasured regions', async () => {
    const { store, service } = offlineCollection('local');
    const report = await service.collect('all');
    const performance = await rows<PerformanceRegionRow>(store, Tables.performanceRegion);
    for (const row of performance.values()) {
      expect(row.relative_performance).toBe(1);
      expect(Object.keys(row.transmission_latency)).toHaveLength(34);
      for (const link of Object.values(row.transmission_latency)) {
        expect(link.unit).toBe('s');
        expect(link.latency_distribution).toHaveLength(100);
        for (const seconds of link.latency_distribution) {
          expect(seconds).toBeGreaterThan(0.0005);
          expect(seconds).toBeLessThan(1.5); // the largest P50 is ~0.43 s; ms would be hundreds
        }
      }
    }
    const transatlantic = [...performance.get('local:us-east-1')!.transmission_latency['local:eu-west-1']!.latency_distribution].sort((a, b) => a - b);
    const p50 = offlineLatency.matrix_ms['us-east-1']!['eu-west-1']! / 1000;
    expect((transatlantic[49]! + transatlantic[50]!) / 2).toBeGreaterThan(p50 * 0.95);
    expect((transatlantic[49]! + transatlantic[50]!) / 2).toBeLessThan(p50 * 1.05);
    const taipei = report.collectors[2]!.regions.find((r) => r.region === 'local:ap-east-2')!;
    expect(taipei.notes).toContain('ap-east-2 measured as ap-east-1');
  });

  it('is reproducible for a given seed', async () => {
    const first = offlineCollection('aws');
    const second = offlineCollection('aws');
    await first.service.collect('all');
    await second.service.collect('all');
    expect(await first.store.get(Tables.performanceRegion, 'aws:eu-west-1')).toBe(await second.store.get(Tables.performanceRegion, 'aws:eu-west-1'));
  });

  it('writes the documented fallbacks for a region no source knows, without failing', async () => {
    const { store, service } = offlineCollection('aws', new CatalogWithUnknownRegion());
    const report = await service.collect('all');
    expect(await store.keys(Tables.carbonRegion)).toHaveLength(35);
    const carbon = JSON.parse((await store.get(Tables.carbonRegion, 'aws:xx-nowhere-1'))!) as CarbonRegionRow;
    expect(new Set(Object.values(carbon.averages).map((a) => a.carbon_intensity))).toEqual(new Set([475]));
    const provider = JSON.parse((await store.get(Tables.providerRegion, 'aws:xx-nowhere-1'))!) as ProviderRegionRow;
    expect(provider.transmission_cost.global_data_transfer).toBe(0.09);
    expect(provider.sns_cost.request_cost).toBe(5e-7);
    const performance = JSON.parse((await store.get(Tables.performanceRegion, 'aws:xx-nowhere-1'))!) as PerformanceRegionRow;
    expect(performance.transmission_latency['aws:us-east-1']!.latency_distribution).toEqual([0.15]);
    const fromVirginia = JSON.parse((await store.get(Tables.performanceRegion, 'aws:us-east-1'))!) as PerformanceRegionRow;
    expect(fromVirginia.transmission_latency['aws:xx-nowhere-1']!.latency_distribution).toEqual([0.15]);
    const carbonOutcome = report.collectors[1]!.regions.find((r) => r.region === 'aws:xx-nowhere-1')!;
    expect(carbonOutcome.source).toBe('fallback:worst-case-475');
    expect(carbonOutcome.fallbacks).toEqual(['no carbon data → 475 gCO2eq/kWh every hour (worst case)']);
  });
});

describe('Electricity Maps with the offline fallback', () => {
  async function electricityMapsServer(respond: (url: URL) => { status: number; body: string }) {
    const requests: URL[] = [];
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push(url);
      const answer = respond(url);
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v3`;
    return { baseUrl, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  async function collectCarbon(baseUrl: string) {
    const store = new InMemoryKeyValueStore();
    const progress = new RecordingProgress();
    const deps = { store, clock, progress, provider: 'aws' };
    await new ProviderCollectorService({ ...deps, catalog: new OfflineRegionCatalog() }).collect();
    const live = new ElectricityMapsCarbonSource({ authToken: 'token', baseUrl, minIntervalMs: 0 });
    const carbonSource = new FallbackCarbonSource(live, new OfflineCarbonSource(clock), progress);
    const report = await new CarbonCollectorService({ ...deps, carbonSource }).collect();
    return { store, progress, report };
  }

  it('falls back to the offline dataset for every region after a 401, asking the API once', async () => {
    const server = await electricityMapsServer(() => ({ status: 401, body: '{"status":"error","message":"Invalid authentication token"}' }));
    try {
      const { store, progress, report } = await collectCarbon(server.baseUrl);
      expect(server.requests).toHaveLength(1);
      expect(await store.keys(Tables.carbonRegion)).toHaveLength(34);
      expect(new Set(report.regions.map((r) => r.source))).toEqual(new Set(['offline:hour-of-day-profile', 'offline:yearly-2025']));
      expect(report.regions[0]!.notes[0]).toBe(
        'Electricity Maps API failed: Electricity Maps refused the request (HTTP 401: Invalid authentication token): check ELECTRICITY_MAPS_AUTH_TOKEN',
      );
      expect(report.regions[1]!.notes[0]).toMatch(/^Electricity Maps API not used: Electricity Maps refused/);
      expect(progress.warnings).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('uses the live history where the API has data and the dataset elsewhere', async () => {
    const history = readFileSync(new URL('../../../adapters/electricity-maps/fixtures/history-us-cal-ciso-2024-07-17.json', import.meta.url), 'utf8');
    const server = await electricityMapsServer((url) => (url.searchParams.get('lat') === '37.3541' ? { status: 200, body: history } : { status: 404, body: '{"message":"No recent data for zone"}' }));
    try {
      const { store, report } = await collectCarbon(server.baseUrl);
      expect(server.requests).toHaveLength(34);
      const sanJose = report.regions.find((r) => r.region === 'aws:us-west-1')!;
      expect(sanJose.source).toBe('electricity-maps:history+seasonal-naive');
      const row = JSON.parse((await store.get(Tables.carbonRegion, 'aws:us-west-1'))!) as CarbonRegionRow;
      const recorded = JSON.parse(history).history as Array<{ carbonIntensity: number }>;
      expect(row.averages['13']).toEqual({ carbon_intensity: recorded[13]!.carbonIntensity });
      const oregon = report.regions.find((r) => r.region === 'aws:us-west-2')!;
      expect(oregon.source).toBe('offline:yearly-2025');
      expect(oregon.notes[0]).toBe('Electricity Maps API had no data');
    } finally {
      await server.close();
    }
  });
});
