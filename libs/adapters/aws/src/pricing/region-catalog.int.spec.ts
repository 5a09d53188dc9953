import { afterAll, describe, expect, it } from 'vitest';
import type { CatalogRegion, RegionCatalog, RegionPrices } from '@caribou/ports';
import type { AwsClients } from '../config';
import { emulatorClients } from '../testing/emulator';
import { AwsRegionCatalog } from './region-catalog';

/** The shipped dataset's role: names, coordinates and prices of a few regions. */
function knownRegions(): RegionCatalog {
  const regions: CatalogRegion[] = [
    { code: 'us-east-1', name: 'US East (N. Virginia)', latitude: 38.9, longitude: -77.4 },
    { code: 'ca-central-1', name: 'Canada (Central)', latitude: 45.5, longitude: -73.6 },
  ];
  return {
    name: 'known',
    listRegions: async () => regions,
    getPrices: async (codes) =>
      new Map(codes.map((code): [string, RegionPrices] => [code, { transfer: { globalUsdPerGb: 0.09, providerUsdPerGb: 0.02 }, source: 'known' }])),
  };
}

describe('AwsRegionCatalog on moto', () => {
  let clients: AwsClients | undefined;
  afterAll(() => clients?.destroy());

  it('lists the enabled regions, places them, and falls back to known prices when the Pricing API is unavailable', async () => {
    clients = emulatorClients();
    const warnings: string[] = [];
    const geocoded: string[] = [];
    const catalog = new AwsRegionCatalog(clients, {
      fallback: knownRegions(),
      geocoder: {
        async geocode(name) {
          geocoded.push(name);
          if (name === 'Canada (Central)') throw new Error('ZERO_RESULTS');
          return { latitude: 1, longitude: 2 };
        },
      },
      warn: (message) => warnings.push(message),
    });
    const regions = await catalog.listRegions();
    const codes = regions.map((r) => r.code);
    expect(codes).toContain('us-east-1');
    expect(codes).toContain('ca-central-1');
    expect(regions.find((r) => r.code === 'us-east-1')).toEqual({ code: 'us-east-1', name: 'US East (N. Virginia)', latitude: 1, longitude: 2 });
    // A failed geocode keeps the known coordinates; a region nobody can place is skipped with a warning.
    expect(regions.find((r) => r.code === 'ca-central-1')).toMatchObject({ latitude: 45.5, longitude: -73.6 });
    expect(warnings.some((w) => w.startsWith('ca-central-1: geocoding'))).toBe(true);
    expect(geocoded).toContain('US East (N. Virginia)');

    const prices = await catalog.getPrices(['us-east-1']);
    expect(prices.get('us-east-1')).toMatchObject({ source: 'known' });
    expect(warnings.some((w) => w.includes('Pricing API unavailable'))).toBe(true);
  });
});
