import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tables, type ProviderRegion } from '@caribou/domain-common';
import type { InstancePlacement, WorkflowPlacementDecision } from '@caribou/domain-workflow';
import type { RandomSource } from '@caribou/ports';
import { LocalDatabase } from '../database';
import { LocalExecutionEngine } from '../engine/engine';
import { InThreadExecutor } from '../engine/in-thread-executor';
import type { LatencyModel } from '../engine/latency-model';
import { SimulationClock } from '../engine/simulation-clock';
import type { WorkflowModule } from '../engine/types';
import { LocalFunctionPlatform, localFunctionIdentifier } from '../function-platform';
import { LocalKeyValueStore } from '../key-value-store';
import { LocalLogStore } from '../log-store';
import { LocalSyncStoreProvider } from '../sync-store';

/** A fixed 30 ms delivery: enough for ordering, and deterministic for tests. */
export const constantLatency: LatencyModel = { deliverySeconds: () => 0.03 };

/**
 * Test harness: a local provider in a temporary directory that runs a workflow
 * module defined in memory (no bundle) on the real libsql store and engine.
 */
export class InMemoryLocalDeployment {
  readonly dir = mkdtempSync(join(tmpdir(), 'caribou-local-'));
  readonly db = new LocalDatabase(join(this.dir, 'local.db'));
  readonly clock = new SimulationClock(this.db);
  readonly store = new LocalKeyValueStore(this.db);
  readonly syncStores = new LocalSyncStoreProvider(this.db, this.clock);
  readonly platform = new LocalFunctionPlatform(this.db, join(this.dir, 'functions'), this.clock);
  readonly logs = new LocalLogStore(this.db);
  readonly engine: LocalExecutionEngine;

  constructor(
    private readonly module: WorkflowModule,
    options: { concurrency?: number; random?: RandomSource; latency?: LatencyModel } = {},
  ) {
    const executor = new InThreadExecutor(this.db, join(this.dir, 'functions'), async () => this.module);
    this.engine = new LocalExecutionEngine({
      db: this.db,
      platform: this.platform,
      syncStores: this.syncStores,
      clock: this.clock,
      latency: options.latency ?? constantLatency,
      executor,
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.random ? { random: options.random } : {}),
    });
  }

  /** Registers every instance's function in `region` and stores the placement decision. */
  async deploy(wpd: Omit<WorkflowPlacementDecision, 'workflow_placement'>, functionOf: (instance: string) => string, region: ProviderRegion, entryFunction: string): Promise<WorkflowPlacementDecision> {
    const home: Record<string, InstancePlacement> = {};
    const artifactDir = join(this.dir, 'bundle');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(artifactDir, { recursive: true });
    for (const instance of Object.keys(wpd.instances)) {
      const fnName = functionOf(instance);
      const physical = `${fnName}_${region.provider}-${region.region}`;
      const deployed = await this.platform.createOrUpdate({
        functionName: physical,
        region,
        artifact: { kind: 'directory', path: artifactDir, sha256: 'in-memory' },
        handler: fnName,
        entryPoint: fnName === entryFunction,
        environment: {},
        memoryMb: 128,
        timeoutSeconds: 60,
        roleIdentifier: 'local:role/test',
      });
      home[instance] = { provider_region: region, identifier: localFunctionIdentifier(region, physical), function_identifier: deployed.functionIdentifier };
    }
    const full: WorkflowPlacementDecision = { ...wpd, workflow_placement: { home_deployment: home } };
    await this.store.put(Tables.workflowPlacementDecision, `${this.module.workflow.name}-${this.module.workflow.version}`, JSON.stringify(full));
    return full;
  }

  async close(): Promise<void> {
    await this.engine.close();
    this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
