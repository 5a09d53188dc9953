import { describe, expect, it } from 'vitest';
import { CaribouError, Tables } from '@caribou/domain-common';
import type { CarbonRegionRow, PerformanceRegionRow } from '@caribou/domain-collection';
import { DataSourceRefusedError, type CarbonLocation, type CarbonReading, type CarbonSource, type CatalogRegion, type LatencyReading, type LatencySource, type RegionCatalog, type RegionPrices } from '@caribou/ports';
import { CarbonCollectorService } from './carbon-collector.service';
import { summariseCollectorReport } from './collection-report';
import { FallbackCarbonSource, FallbackLatencySource } from './fallback-sources';
import { PerformanceCollectorService } from './performance-collector.service';
import { ProviderCollectorService } from './provider-collector.service';
import { InMemoryKeyValueStore, RecordingProgress } from '../testing/in-memory-key-value-store';

// Small port implementations that answer what each case needs; the shipped adapters are
// exercised end to end in data-collect.acceptance.spec.ts.
const clock = { now: () => Date.parse('2024-05-13T19:30:00Z') };

async function storeWithRegions(regions: Array<[key: string, latitude: number, longitude: number]>) {
  const store = new InMemoryKeyValueStore();
  for (const [key, latitude, longitude] of regions) {
    const [provider, code] = key.split(':');
    await store.put(Tables.availableRegions, key, JSON.stringify({ name: code, provider, code, latitude, longitude }));
  }
  return store;
}

class ScriptedCarbonSource implements CarbonSource {
  readonly calls: string[] = [];
  constructor(
    readonly name: string,
    private readonly answer: (location: CarbonLocation) => CarbonReading | undefined,
  ) {}
  async read(location: CarbonLocation): Promise<CarbonReading | undefined> {
    this.calls.push(location.code);
    return this.answer(location);
  }
}

class ScriptedLatencySource implements LatencySource {
  readonly calls: string[] = [];
  constructor(
    readonly name: string,
    private readonly answer: (from: string, to: string) => LatencyReading | undefined,
  ) {}
  async read(from: string, to: string): Promise<LatencyReading | undefined> {
    this.calls.push(`${from}>${to}`);
    return this.answer(from, to);
  }
}

const hourlyHistory = (startIso: string, values: number[]) =>
  values.map((carbonIntensity, i) => ({ datetime: new Date(Date.parse(startIso) + i * 3_600_000).toISOString(), carbonIntensity }));

describe('CarbonCollectorService', () => {
  it('forecasts a history with Holt-Winters and writes it by UTC hour (reference test data)', async () => {
    // The 48 h series and statsmodels forecast of the reference's carbon retriever test.
    const values = [
      189, 169, 148, 133, 136, 122, 132, 141, 141, 147, 150, 148, 143, 118, 104, 115, 109, 110, 112, 124, 130, 140, 158, 159, 143, 142, 135, 139, 140, 123, 123, 140,
      160, 170, 185, 173, 167, 146, 147, 134, 122, 129, 139, 152, 184, 207, 254, 262,
    ];
    const store = await storeWithRegions([['aws:eu-west-2', 51.5072, -0.1276]]);
    const source = new ScriptedCarbonSource('history', () => ({ data: { kind: 'history', points: hourlyHistory('2024-05-11T19:00:00Z', values) }, source: 'test:history', notes: [] }));
    const report = await new CarbonCollectorService({ store, clock, progress: new RecordingProgress(), provider: 'aws', carbonSource: source }).collect();
    const row = JSON.parse((await store.get(Tables.carbonRegion, 'aws:eu-west-2'))!) as CarbonRegionRow;
    expect(row.averages['18']!.carbon_intensity).toBeCloseTo(261.99999993085714, 2);
    expect(row.averages['19']!.carbon_intensity).toBeCloseTo(243.72002886206153, 2);
    expect(row.averages.overall!.carbon_intensity).toBeCloseTo(212.401977653503, 2);
    expect(report.regions[0]!.source).toBe('test:history+holt-winters');
  });

  it('writes 475 for unknown hours and for regions whose source fails, and keeps going', async () => {
    const store = await storeWithRegions([['aws:a-1', 0, 0], ['aws:b-1', 0, 1]]);
    const hourly = Array.from({ length: 24 }, (_, h) => (h === 3 ? null : 100));
    const source = new ScriptedCarbonSource('scripted', (location) => {
      if (location.code === 'b-1') throw new CaribouError('boom');
      return { data: { kind: 'profile', hourly, overall: 100 }, source: 'test:profile', notes: [] };
    });
    const report = await new CarbonCollectorService({ store, clock, progress: new RecordingProgress(), provider: 'aws', carbonSource: source }).collect();
    const a = JSON.parse((await store.get(Tables.carbonRegion, 'aws:a-1'))!) as CarbonRegionRow;
    const b = JSON.parse((await store.get(Tables.carbonRegion, 'aws:b-1'))!) as CarbonRegionRow;
    expect(a.averages['3']).toEqual({ carbon_intensity: 475 });
    expect(a.averages['4']).toEqual({ carbon_intensity: 100 });
    expect(b.averages.overall).toEqual({ carbon_intensity: 475 });
    expect(b.transmission_distances['aws:a-1']).toBeCloseTo(111.19, 2);
    expect(report.regions[1]!.notes).toEqual(['scripted failed: boom']);
    expect(summariseCollectorReport(report)).toBe('Carbon intensity (aws): 2 regions — 1 test:profile, 1 no data: the worst case, 475 g/kWh; 2 regions with a default for a missing value');
  });

  it("collects only its provider's regions but measures distances to all", async () => {
    const store = await storeWithRegions([['local:us-east-1', 39.0067, -77.4291], ['aws:us-east-1', 39.0067, -77.4291], ['local:eu-west-1', 53.3498, -6.2603]]);
    const source = new ScriptedCarbonSource('flat', () => ({ data: { kind: 'profile', hourly: new Array(24).fill(50), overall: 50 }, source: 'test', notes: [] }));
    await new CarbonCollectorService({ store, clock, progress: new RecordingProgress(), provider: 'local', carbonSource: source }).collect();
    expect(await store.keys(Tables.carbonRegion)).toEqual(['local:us-east-1', 'local:eu-west-1']);
    const row = JSON.parse((await store.get(Tables.carbonRegion, 'local:us-east-1'))!) as CarbonRegionRow;
    expect(Object.keys(row.transmission_distances)).toEqual(['local:us-east-1', 'aws:us-east-1', 'local:eu-west-1']);
    expect(row.transmission_distances['aws:us-east-1']).toBe(0);
  });

  it('warns when there is nothing to collect', async () => {
    const progress = new RecordingProgress();
    const report = await new CarbonCollectorService({ store: new InMemoryKeyValueStore(), clock, progress, provider: 'local', carbonSource: new ScriptedCarbonSource('x', () => undefined) }).collect();
    expect(report.regions).toEqual([]);
    expect(progress.warnings).toEqual(['no local regions in available_regions_table: run the provider collector first']);
  });
});

describe('PerformanceCollectorService', () => {
  const percentiles = (p50: number) => ({ p_10: p50 * 0.9, p_25: p50 * 0.95, p_50: p50, p_75: p50 * 1.05, p_90: p50 * 1.1, p_98: p50 * 1.2, p_99: p50 * 1.3 });

  it('writes 100 samples in seconds per same-provider pair and 0.15 s where nothing is known', async () => {
    const store = await storeWithRegions([['aws:us-east-1', 39, -77], ['aws:eu-west-1', 53, -6], ['aws:xx-1', 0, 0], ['local:us-east-1', 39, -77]]);
    const source = new ScriptedLatencySource('scripted', (from, to) =>
      from === 'xx-1' || to === 'xx-1' ? undefined : { observation: { kind: 'percentiles', millis: percentiles(from === to ? 5 : 70) }, source: 'test', measuredFrom: from, measuredTo: to },
    );
    const report = await new PerformanceCollectorService({ store, clock, progress: new RecordingProgress(), provider: 'aws', latencySource: source }).collect();
    const row = JSON.parse((await store.get(Tables.performanceRegion, 'aws:us-east-1'))!) as PerformanceRegionRow;
    expect(Object.keys(row.transmission_latency)).toEqual(['aws:us-east-1', 'aws:eu-west-1', 'aws:xx-1']);
    const link = row.transmission_latency['aws:eu-west-1']!;
    expect(link.unit).toBe('s');
    expect(link.latency_distribution).toHaveLength(100);
    const sorted = [...link.latency_distribution].sort((a, b) => a - b);
    expect(sorted[50]!).toBeGreaterThan(0.06);
    expect(sorted[50]!).toBeLessThan(0.08);
    expect(row.transmission_latency['aws:xx-1']!.latency_distribution).toEqual([0.15]);
    expect(report.regions[0]!.fallbacks).toEqual(['→ aws:xx-1: no latency data → 0.15 s']);
    expect(report.regions[0]!.source).toBe('test (log-normal fit)');
    expect(source.calls).not.toContain('us-east-1>local');
    expect(await store.getNumericAttributes(Tables.availableRegions, 'aws:us-east-1')).toEqual({ performance_collector: clock.now() / 1000 });
    expect(await store.get(Tables.performanceRegion, 'local:us-east-1')).toBeUndefined();
  });

  it('keeps going when the source fails and reports the failure once', async () => {
    const store = await storeWithRegions([['aws:a-1', 0, 0], ['aws:b-1', 0, 1]]);
    const progress = new RecordingProgress();
    const source = new ScriptedLatencySource('down', () => {
      throw new CaribouError('cloudping unreachable');
    });
    const report = await new PerformanceCollectorService({ store, clock, progress, provider: 'aws', latencySource: source }).collect();
    expect(report.warnings).toEqual(['down failed: cloudping unreachable']);
    const row = JSON.parse((await store.get(Tables.performanceRegion, 'aws:a-1'))!) as PerformanceRegionRow;
    expect(row.transmission_latency['aws:b-1']!.latency_distribution).toEqual([0.15]);
  });
});

describe('ProviderCollectorService', () => {
  class FixedCatalog implements RegionCatalog {
    readonly name = 'fixed catalog';
    constructor(
      private readonly regions: CatalogRegion[],
      private readonly prices: () => Promise<Map<string, RegionPrices>>,
    ) {}
    async listRegions() {
      return this.regions;
    }
    getPrices() {
      return this.prices();
    }
  }

  it('writes default prices with a warning when the price source fails', async () => {
    const store = new InMemoryKeyValueStore();
    const progress = new RecordingProgress();
    const catalog = new FixedCatalog([{ code: 'eu-south-1', name: 'Europe (Milan)', latitude: 45.4685, longitude: 9.1824 }], async () => {
      throw new CaribouError('Pricing API unavailable');
    });
    const report = await new ProviderCollectorService({ store, clock, progress, provider: 'aws', catalog }).collect();
    expect(JSON.parse((await store.get(Tables.providerRegion, 'aws:eu-south-1'))!).execution_cost.compute_cost.x86_64).toBe(1.66667e-5);
    expect(report.warnings).toEqual(["prices unavailable from fixed catalog (Pricing API unavailable): every region gets the reference's default prices"]);
    expect(report.regions[0]!.source).toBe('defaults (no prices)');
    expect(progress.warnings).toHaveLength(1);
  });

  it('rejects region codes that would break keys, and provider names that cannot prefix keys', async () => {
    const catalog = new FixedCatalog([{ code: 'bad:code', name: 'x', latitude: 0, longitude: 0 }], async () => new Map());
    const deps = { store: new InMemoryKeyValueStore(), clock, progress: new RecordingProgress(), provider: 'aws', catalog };
    await expect(new ProviderCollectorService(deps).collect()).rejects.toThrow("listed a region with code 'bad:code'");
    expect(() => new ProviderCollectorService({ ...deps, provider: 'my_cloud' })).toThrow(/provider name 'my_cloud'/);
  });
});

describe('fallback sources', () => {
  const profile = (value: number): CarbonReading => ({ data: { kind: 'profile', hourly: new Array(24).fill(value), overall: value }, source: `test:${value}`, notes: [] });
  const place = (code: string): CarbonLocation => ({ code, latitude: 0, longitude: 0 });

  it('uses the primary when it answers and the fallback when it has no data', async () => {
    const primary = new ScriptedCarbonSource('live', (location) => (location.code === 'known' ? profile(1) : undefined));
    const composite = new FallbackCarbonSource(primary, new ScriptedCarbonSource('offline', () => profile(2)));
    expect((await composite.read(place('known')))!.source).toBe('test:1');
    const fallback = (await composite.read(place('other')))!;
    expect(fallback.source).toBe('test:2');
    expect(fallback.notes).toEqual(['live had no data']);
  });

  it('stops asking a primary that refused', async () => {
    const progress = new RecordingProgress();
    const primary = new ScriptedCarbonSource('live', () => {
      throw new DataSourceRefusedError('live', 'bad token');
    });
    const composite = new FallbackCarbonSource(primary, new ScriptedCarbonSource('offline', () => profile(2)), progress);
    expect((await composite.read(place('a')))!.notes).toEqual(['live failed: bad token']);
    expect((await composite.read(place('b')))!.notes).toEqual(['live not used: bad token']);
    expect(primary.calls).toEqual(['a']);
    expect(progress.warnings).toEqual(['live switched off for this run: bad token']);
  });

  it('gives a failing primary three tries in a row before switching it off', async () => {
    let failing = true;
    const primary = new ScriptedLatencySource('live', (from, to) => {
      if (failing) throw new CaribouError('timeout');
      return { observation: { kind: 'samples', seconds: [0.1] }, source: 'live', measuredFrom: from, measuredTo: to };
    });
    const offline = new ScriptedLatencySource('offline', (from, to) => ({ observation: { kind: 'samples', seconds: [0.2] }, source: 'offline', measuredFrom: from, measuredTo: to }));
    const composite = new FallbackLatencySource(primary, offline);
    expect((await composite.read('a', 'b'))!.source).toBe('offline');
    failing = false;
    expect((await composite.read('a', 'b'))!.source).toBe('live'); // a success resets the count
    failing = true;
    for (let i = 0; i < 4; i++) await composite.read('a', 'b');
    expect(primary.calls).toHaveLength(5);
  });
});
