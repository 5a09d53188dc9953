import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FirestoreKeyValueStore } from '@caribou/adapter-gcp';
import { emulatorClients, emulatorEnvironment } from '@caribou/adapter-gcp/testing';
import { runCli } from '@caribou/cli/testing';
import { Tables } from '@caribou/domain-common';

/*
 * Issue 21: `caribou data_collect all --provider gcp` through the real binary, its framework
 * tables in Firestore (the emulator): the 40 Cloud Run regions as gcp:<region>, each with
 * Google's grid carbon figure. A system region no other gcp test uses keeps its tables apart.
 */
const SYSTEM_REGION = 'europe-west9';

describe('caribou data_collect all --provider gcp (Firestore emulator)', () => {
  const home = mkdtempSync(join(tmpdir(), 'caribou-gcp-collect-'));
  const clients = emulatorClients({ systemRegion: SYSTEM_REGION });
  const store = new FirestoreKeyValueStore(clients);
  const env = { ...emulatorEnvironment(), CARIBOU_HOME: home, CARIBOU_SYSTEM_REGION: SYSTEM_REGION };

  afterAll(async () => {
    await store.dropTables([Tables.availableRegions, Tables.providerRegion, Tables.carbonRegion, Tables.performanceRegion]);
    await clients.close();
    rmSync(home, { recursive: true, force: true });
  });

  it("lists the 40 Cloud Run regions with Google's carbon figures, in words and as JSON", async () => {
    const words = await runCli(['data_collect', 'all', '--provider', 'gcp'], { env });
    expect(words.stderr).not.toMatch(/error/i);
    expect(words.code).toBe(0);
    expect(words.stdout).toContain("Carbon intensity (gcp): 40 regions — 40 Google's 2024 region figures (shipped dataset); no fallbacks needed");
    expect(words.stdout).toMatch(/^Regions and prices \(gcp\): 40 regions/m);

    const json = await runCli(['data_collect', 'all', '--provider', 'gcp', '--json'], { env });
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { collectors: Array<{ collector: string; provider: string; regions: Array<{ region: string; source: string }> }> };
    expect(report.collectors.map((c) => [c.collector, c.provider, c.regions.length])).toEqual([
      ['provider', 'gcp', 40],
      ['carbon', 'gcp', 40],
      ['performance', 'gcp', 40],
    ]);
    const carbon = report.collectors[1]!;
    expect(carbon.regions.every((r) => r.region.startsWith('gcp:') && r.source === 'offline:google-region-carbon-2024')).toBe(true);
    expect(carbon.regions.map((r) => r.region)).toEqual(expect.arrayContaining(['gcp:us-east4', 'gcp:northamerica-northeast1']));

    const row = async (key: string) => JSON.parse((await store.get(Tables.carbonRegion, key))!) as { averages: { overall: { carbon_intensity: number } } };
    expect((await row('gcp:us-east4')).averages.overall.carbon_intensity).toBe(323.05);
    expect((await row('gcp:northamerica-northeast1')).averages.overall.carbon_intensity).toBe(5.48);
    expect(await store.keys(Tables.availableRegions)).toHaveLength(40);
  });
});
