import type { ProviderRegion } from '@caribou/domain-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Artifact, FunctionPlatform, FunctionSpec } from '../function-platform.port';

export interface FunctionPlatformHarness {
  platform: FunctionPlatform;
  region: ProviderRegion;
  /** A deployable package for this platform (a zip on AWS). */
  artifact(): Promise<Artifact>;
  /** A role identifier functions can be created with (ARN on AWS). */
  roleIdentifier(): Promise<string>;
  /** The configuration as the platform stores it, to check updates; absent where it cannot be read back. */
  describe?(region: ProviderRegion, functionName: string): Promise<{ environment: Record<string, string>; memoryMb: number; timeoutSeconds: number }>;
  cleanup(): Promise<void>;
}

/** Lifecycle every FunctionPlatform must have: create → exists → update → list → remove, removal idempotent. */
export function describeFunctionPlatformContract(name: string, makeHarness: () => Promise<FunctionPlatformHarness>): void {
  describe(`FunctionPlatform contract: ${name}`, () => {
    const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
    const functionName = (fn: string) => `cwf-0_0_1-${fn}${suffix}`;
    let harness: FunctionPlatformHarness;
    let spec: (fn: string, overrides?: Partial<FunctionSpec>) => Promise<FunctionSpec>;
    const created = new Set<string>();

    beforeAll(async () => {
      harness = await makeHarness();
      const artifact = await harness.artifact();
      const roleIdentifier = await harness.roleIdentifier();
      spec = async (fn, overrides = {}) => {
        const physical = functionName(fn);
        created.add(physical);
        return {
          functionName: physical,
          region: harness.region,
          artifact,
          handler: fn,
          entryPoint: fn === 'entry',
          environment: { CARIBOU_CONTRACT: 'one' },
          memoryMb: 256,
          timeoutSeconds: 30,
          roleIdentifier,
          ...overrides,
        };
      };
    });

    afterAll(async () => {
      try {
        for (const physical of created) await harness?.platform.remove(harness.region, physical);
      } finally {
        await harness?.cleanup();
      }
    });

    it('does not know a function that was never created, and removing it is fine', async () => {
      expect(await harness.platform.exists(harness.region, functionName('ghost'))).toBe(false);
      await expect(harness.platform.remove(harness.region, functionName('ghost'))).resolves.toBeUndefined();
    });

    it('creates, updates, lists and removes a function', async () => {
      const first = await harness.platform.createOrUpdate(await spec('entry'));
      expect(first.functionName).toBe(functionName('entry'));
      expect(first.region).toEqual(harness.region);
      expect(first.functionIdentifier).not.toBe('');
      expect(await harness.platform.exists(harness.region, first.functionName)).toBe(true);
      expect(await harness.platform.list(harness.region)).toContain(first.functionName);

      const updated = await harness.platform.createOrUpdate(await spec('entry', { environment: { CARIBOU_CONTRACT: 'two' }, memoryMb: 512, timeoutSeconds: 60 }));
      expect(updated.functionIdentifier).toBe(first.functionIdentifier);
      if (harness.describe) {
        const stored = await harness.describe(harness.region, first.functionName);
        expect(stored.environment.CARIBOU_CONTRACT).toBe('two');
        expect(stored.memoryMb).toBe(512);
        expect(stored.timeoutSeconds).toBe(60);
      }

      await harness.platform.remove(harness.region, first.functionName);
      expect(await harness.platform.exists(harness.region, first.functionName)).toBe(false);
      expect(await harness.platform.list(harness.region)).not.toContain(first.functionName);
      await expect(harness.platform.remove(harness.region, first.functionName)).resolves.toBeUndefined();
    });

    it('lists every function of the region (beyond one page)', async () => {
      const names = ['w0', 'w1', 'w2', 'w3', 'w4'];
      for (const fn of names) await harness.platform.createOrUpdate(await spec(fn));
      const listed = await harness.platform.list(harness.region);
      for (const fn of names) expect(listed).toContain(functionName(fn));
      for (const fn of names) await harness.platform.remove(harness.region, functionName(fn));
      const after = await harness.platform.list(harness.region);
      for (const fn of names) expect(after).not.toContain(functionName(fn));
    });
  });
}
