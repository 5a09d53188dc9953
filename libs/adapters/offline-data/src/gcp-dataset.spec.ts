import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CaribouError } from '@caribou/domain-common';
import { latencyFitError } from '@caribou/domain-collection';
import { loadShippedDataset } from './dataset';
import { awsDistanceLatencyPairs, fitOnAwsMatrix, loadShippedGcpDataset, parseGcpDataset, SHIPPED_RAW_GCP_DATASET } from './gcp-dataset';
import { OfflineGcpCarbonSource, OfflineGcpLatencySource, OfflineGcpRegionCatalog } from './offline-gcp-sources';

const dataFile = (name: string) => readFileSync(new URL(`../data/gcp/${name}`, import.meta.url), 'utf8');
// Whitespace folded: the paragraph wraps anywhere.
const docs = readFileSync(new URL('../../../../docs/gcp.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');

/** Google's CSV as published: `region,location,cfe,intensity` per line after the header (no field holds a comma). */
function googleCsv(year: number): Map<string, { location: string; cfe: number; intensity: number }> {
  const [header, ...lines] = dataFile(`region-carbon-${year}.csv`).trim().split(/\r?\n/); // Google's files end lines with CRLF
  expect(header).toBe('Google Cloud Region,Location,Google CFE,Grid carbon intensity (gCO2eq / kWh)');
  return new Map(
    lines.map((line) => {
      const [region, location, cfe, intensity] = line.split(',');
      return [region!, { location: location!, cfe: Number(cfe), intensity: Number(intensity) }];
    }),
  );
}

describe('shipped Google Cloud dataset', () => {
  const dataset = loadShippedGcpDataset();

  it("transcribes Google's three CSVs exactly (every region, year and figure)", () => {
    const carbon = JSON.parse(dataFile('region-carbon.json')) as { years: Record<string, Record<string, { location: string; google_cfe: number; grid_carbon_intensity_gco2eq_per_kwh: number }>> };
    expect(Object.keys(carbon.years)).toEqual(['2022', '2023', '2024']);
    for (const year of [2022, 2023, 2024]) {
      const csv = googleCsv(year);
      const json = carbon.years[String(year)]!;
      expect(Object.keys(json).sort()).toEqual([...csv.keys()].sort());
      for (const [region, row] of csv) {
        expect(json[region], `${year} ${region}`).toEqual({ location: row.location, google_cfe: row.cfe, grid_carbon_intensity_gco2eq_per_kwh: row.intensity });
      }
    }
  });

  it('offers the 40 Cloud Run regions, 16 at tier 1 and 24 at tier 2, each with a 2024 figure from Google', () => {
    expect(dataset.regions).toHaveLength(40);
    expect(dataset.regions.filter((r) => r.tier === 1)).toHaveLength(16);
    const csv2024 = googleCsv(2024);
    for (const region of dataset.regions) {
      expect(dataset.latestCarbon.get(region.code), region.code).toEqual({ year: 2024, gco2PerKwh: csv2024.get(region.code)!.intensity, googleCfe: csv2024.get(region.code)!.cfe });
      expect(region.location).toBe(csv2024.get(region.code)!.location);
    }
    // Google's carbon file lists places without Cloud Run functions (us-central2, us-east2) or newer than the locations page.
    expect([...csv2024.keys()].filter((code) => !dataset.regions.some((r) => r.code === code)).sort()).toEqual(['europe-north2', 'northamerica-south1', 'us-central2', 'us-east2']);
  });

  it('places regions at the city Google names (spot checks against well-known coordinates, within 30 km)', () => {
    const near = (code: string, latitude: number, longitude: number) => {
      const region = dataset.regions.find((r) => r.code === code)!;
      expect(Math.abs(region.latitude - latitude), code).toBeLessThan(0.3);
      expect(Math.abs(region.longitude - longitude), code).toBeLessThan(0.3);
    };
    near('us-east4', 39.04, -77.49); // Ashburn, Virginia
    near('northamerica-northeast1', 45.5, -73.57); // Montréal
    near('europe-west1', 50.45, 3.82); // Saint-Ghislain
    near('asia-east1', 24.07, 120.54); // Changhua
  });

  it('prices Cloud Run by tier: the 1 GiB / 0.583 vCPU shape per GiB-second, $0.40 per million requests, no Arm', () => {
    const usEast4 = dataset.prices.get('us-east4')!;
    const montreal = dataset.prices.get('northamerica-northeast1')!;
    expect(usEast4.lambda!.x86_64!.gbSecondUsd).toBeCloseTo(0.583 * 0.000024 + 0.0000025, 15);
    expect(montreal.lambda!.x86_64!.gbSecondUsd).toBeCloseTo(0.583 * 0.0000336 + 0.0000035, 15);
    expect(montreal.lambda!.x86_64!.gbSecondUsd! / usEast4.lambda!.x86_64!.gbSecondUsd!).toBeCloseTo(1.4, 12);
    expect(usEast4.lambda!.x86_64!.requestUsd).toBeCloseTo(4e-7, 15);
    expect(usEast4.lambda!.arm64).toEqual({ gbSecondUsd: 0, requestUsd: 0 });
    expect(usEast4.freeTier).toEqual({ requests: 2_000_000, gbSeconds: 180_000 / 0.583 });
    expect(usEast4.transfer).toEqual({ globalUsdPerGb: 0.12, providerUsdPerGb: 0.02 });
    expect(dataset.prices.get('asia-east1')!.transfer!.providerUsdPerGb).toBe(0.05);
    expect(usEast4.snsRequestUsd).toBeCloseTo((2 * 1000 * 40) / 2 ** 40, 20);
  });

  it('names the file and field of a broken copy', () => {
    const regions = structuredClone(SHIPPED_RAW_GCP_DATASET.regions) as { regions: Array<Record<string, unknown>> };
    regions.regions[3]!.cloud_run_pricing_tier = 3;
    expect(() => parseGcpDataset({ ...SHIPPED_RAW_GCP_DATASET, regions })).toThrow(CaribouError);
    expect(() => parseGcpDataset({ ...SHIPPED_RAW_GCP_DATASET, regions })).toThrow(/gcp\/cloud-run-regions\.json: regions\[3\]\.cloud_run_pricing_tier \(asia-northeast1\) must be 1 or 2/);
    const carbon = structuredClone(SHIPPED_RAW_GCP_DATASET.carbon) as { years: Record<string, Record<string, Record<string, unknown>>> };
    carbon.years['2024']!['us-east4']!.grid_carbon_intensity_gco2eq_per_kwh = 'high';
    expect(() => parseGcpDataset({ ...SHIPPED_RAW_GCP_DATASET, carbon })).toThrow(/years\.2024\.us-east4\.grid_carbon_intensity_gco2eq_per_kwh must be a number/);
  });
});

/** The figures docs/gcp.md states for the latency model, read from its "Data" section. */
function statedFit() {
  const figure = (pattern: RegExp): number => {
    const match = pattern.exec(docs);
    if (!match) throw new Error(`docs/gcp.md does not state ${pattern}`);
    return Number(match[1]);
  };
  return {
    interceptMs: figure(/latency_ms = ([\d.]+) \+ [\d.]+ × distance_km/),
    msPerKm: figure(/latency_ms = [\d.]+ \+ ([\d.]+) × distance_km/),
    pairs: figure(/fitted on the (\d+) measured ordered pairs/),
    medianRelativePercent: figure(/median relative error ([\d.]+) %/),
    p90RelativePercent: figure(/90th percentile relative error ([\d.]+) %/),
    medianAbsoluteMs: figure(/median absolute error ([\d.]+) ms/),
    p90AbsoluteMs: figure(/90th percentile absolute error ([\d.]+) ms/),
    rmseMs: figure(/root-mean-square error ([\d.]+) ms/),
    intraRegionMs: figure(/within a region: ([\d.]+) ms/),
    olsInterceptMs: figure(/Ordinary least squares would put an intercept of ([\d.]+) ms/),
    olsMedianRelativePercent: figure(/and has a median relative error of ([\d.]+) %/),
  };
}

describe('GCP latency model (fit on the shipped AWS cloudping matrix)', () => {
  const { fit, intraRegionMs } = fitOnAwsMatrix(loadShippedDataset());
  const stated = statedFit();

  it('has the coefficients and the error docs/gcp.md states, to the digits stated', () => {
    expect(fit.interceptMs).toBeCloseTo(stated.interceptMs, 2);
    expect(fit.msPerKm).toBeCloseTo(stated.msPerKm, 5);
    expect(fit.error.pairs).toBe(stated.pairs);
    expect(fit.error.medianRelative * 100).toBeCloseTo(stated.medianRelativePercent, 1);
    expect(fit.error.p90Relative * 100).toBeCloseTo(stated.p90RelativePercent, 1);
    expect(fit.error.medianAbsoluteMs).toBeCloseTo(stated.medianAbsoluteMs, 1);
    expect(fit.error.p90AbsoluteMs).toBeCloseTo(stated.p90AbsoluteMs, 1);
    expect(fit.error.rmseMs).toBeCloseTo(stated.rmseMs, 1);
    expect(intraRegionMs).toBeCloseTo(stated.intraRegionMs, 2);
  });

  it('beats ordinary least squares on relative error, as docs/gcp.md says (the reason for the weighting)', () => {
    const { pairs } = awsDistanceLatencyPairs(loadShippedDataset());
    const n = pairs.length;
    const mx = pairs.reduce((s, p) => s + p.distanceKm, 0) / n;
    const my = pairs.reduce((s, p) => s + p.latencyMs, 0) / n;
    const slope = pairs.reduce((s, p) => s + (p.distanceKm - mx) * (p.latencyMs - my), 0) / pairs.reduce((s, p) => s + (p.distanceKm - mx) ** 2, 0);
    const ols = { interceptMs: my - slope * mx, msPerKm: slope };
    expect(ols.interceptMs).toBeCloseTo(stated.olsInterceptMs, 1);
    expect(latencyFitError(ols, pairs).medianRelative * 100).toBeCloseTo(stated.olsMedianRelativePercent, 1);
    expect(fit.error.medianRelative).toBeLessThan(latencyFitError(ols, pairs).medianRelative);
  });
});

describe('offline Google Cloud sources', () => {
  it('the catalog lists the 40 regions by code with Google’s place names and prices them', async () => {
    const catalog = new OfflineGcpRegionCatalog();
    const regions = await catalog.listRegions();
    expect(regions).toHaveLength(40);
    expect(regions.find((r) => r.code === 'northamerica-northeast1')).toMatchObject({ name: 'Montréal' });
    const prices = await catalog.getPrices(['us-east4', 'nowhere1']);
    expect([...prices.keys()]).toEqual(['us-east4']);
    expect(prices.get('us-east4')!.source).toBe('offline:cloud-run-tier-1');
  });

  it("the carbon source answers Google's newest yearly figure at every hour, nothing for an unknown code", async () => {
    const source = new OfflineGcpCarbonSource();
    const reading = await source.read({ code: 'northamerica-northeast1', latitude: 45.5, longitude: -73.6 });
    expect(reading).toMatchObject({ data: { kind: 'profile', overall: 5.48 }, source: 'offline:google-region-carbon-2024' });
    expect(reading!.data.kind === 'profile' && new Set(reading!.data.hourly)).toEqual(new Set([5.48]));
    expect((await source.read({ code: 'us-east4', latitude: 0, longitude: 0 }))!.data).toMatchObject({ overall: 323.05 });
    expect(await source.read({ code: 'us-east-1', latitude: 0, longitude: 0 })).toBeUndefined();
  });

  it('the latency source predicts from distance (≈ 780 km us-east4 → Montréal: under 25 ms), intra-region from the AWS diagonal', async () => {
    const source = new OfflineGcpLatencySource();
    const near = await source.read('us-east4', 'northamerica-northeast1');
    const far = await source.read('us-east4', 'asia-southeast1');
    const p50 = (reading: typeof near) => (reading!.observation.kind === 'percentiles' ? reading!.observation.millis.p_50! : NaN);
    expect(p50(near)).toBeGreaterThan(10);
    expect(p50(near)).toBeLessThan(25);
    expect(p50(far)).toBeGreaterThan(200);
    expect(p50(await source.read('us-east4', 'us-east4'))).toBe(loadShippedGcpDataset().intraRegionMs);
    expect(await source.read('us-east4', 'us-east-1')).toBeUndefined();
  });
});
