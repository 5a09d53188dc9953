import { describe, expect, it } from 'vitest';
import { haversineKm } from './geo';
import { transmissionDistancesKm } from './rows';

describe('haversineKm', () => {
  it('measures one degree of longitude on the equator as 111.19 km (reference test)', () => {
    expect(haversineKm({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 1 })).toBeCloseTo(111.19, 2);
  });

  it('is zero from a point to itself', () => {
    expect(haversineKm({ latitude: 1, longitude: 1 }, { latitude: 1, longitude: 1 })).toBe(0);
  });

  it("reproduces the reference's integration-fixture distances", () => {
    // Coordinates of the reference's four integration-test regions and the distances its collector wrote (§11.2).
    const rivendell = { key: 'p:rivendell', latitude: 51.509865, longitude: -0.118092 };
    const lothlorien = { key: 'p:lothlorien', latitude: 51.752022, longitude: -1.257726 };
    const anduin = { key: 'p:anduin', latitude: 48.856613, longitude: 2.352222 };
    const fangorn = { key: 'p:fangorn', latitude: 52.370216, longitude: 4.895168 };
    const fromRivendell = transmissionDistancesKm(rivendell, [rivendell, lothlorien, anduin, fangorn]);
    expect(fromRivendell['p:rivendell']).toBe(0);
    expect(fromRivendell['p:lothlorien']).toBeCloseTo(83.13919477602013, 9);
    expect(fromRivendell['p:anduin']).toBeCloseTo(343.4342546548361, 9);
    expect(fromRivendell['p:fangorn']).toBeCloseTo(356.6428494192109, 9);
    expect(haversineKm(lothlorien, anduin)).toBeCloseTo(411.46013910805647, 9);
    expect(haversineKm(lothlorien, fangorn)).toBeCloseTo(426.0856966065312, 9);
    expect(haversineKm(anduin, fangorn)).toBeCloseTo(429.85848503575806, 9);
  });
});
