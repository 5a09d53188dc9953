import { CaribouError, Tables, type ProviderRegion } from '@caribou/domain-common';
import type { KeyValueStore } from '@caribou/ports';
import { parseRow, readRow } from '../stored-rows';
import type { LedgerResourceKind } from './ledger-kinds';

export type { LedgerResourceKind } from './ledger-kinds';

export interface LedgerEntry {
  kind: LedgerResourceKind;
  region: ProviderRegion;
  name: string;
  identifier?: string;
  /** `creating` is written before the platform call, so a crash leaves a trace to clean up. */
  state: 'creating' | 'created';
  /** Which operation created it: `deploy`, or `migrate:<time key>` for copies made by the migrator. */
  createdBy: string;
}

export interface LedgerRecord {
  workflow_id: string;
  status: 'deploying' | 'deployed' | 'removing';
  resources: LedgerEntry[];
  /** Steps of an unfinished migration already applied (ids), so a rerun skips them. */
  migration_steps?: string[];
}

/**
 * Every resource a deploy or a migration creates, recorded before it is created, in
 * the framework's store. Rollback and `remove` delete exactly what is listed here,
 * nothing guessed from names (DESIGN.md §4.7).
 */

export class ResourceLedger {
  constructor(
    private readonly store: KeyValueStore,
    readonly workflowId: string,
  ) {}

  async read(): Promise<LedgerRecord | undefined> {
    return readRow(this.store, Tables.resourceLedger, this.workflowId);
  }

  /** Starts a deploy; fails when a record exists (deployed, or a deploy/remove that did not finish). */
  async begin(): Promise<void> {
    const record: LedgerRecord = { workflow_id: this.workflowId, status: 'deploying', resources: [] };
    if (!(await this.store.putIfAbsent(Tables.resourceLedger, this.workflowId, JSON.stringify(record)))) {
      const existing = await this.read();
      throw new CaribouError(
        existing?.status === 'deployed'
          ? `Workflow ${this.workflowId} is already deployed; remove it first or use a different version number`
          : `A previous ${existing?.status === 'removing' ? 'removal' : 'deploy'} of ${this.workflowId} did not finish; run caribou remove ${this.workflowId} to clean up`,
      );
    }
  }

  /** A ledger that is never "deployed" once (the framework's): created when missing, kept otherwise. */
  async open(): Promise<void> {
    const record: LedgerRecord = { workflow_id: this.workflowId, status: 'deployed', resources: [] };
    await this.store.putIfAbsent(Tables.resourceLedger, this.workflowId, JSON.stringify(record));
  }

  /**
   * Changes the record atomically (compare-and-set, retried on a concurrent change). A missing
   * record means another process removed the workflow: that is an error, never a new record.
   */
  async update(change: (record: LedgerRecord) => void): Promise<LedgerRecord> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const current = await this.store.get(Tables.resourceLedger, this.workflowId);
      if (current === undefined) {
        throw new CaribouError(`The resource ledger of ${this.workflowId} is gone: the workflow was removed while this command ran`);
      }
      const record: LedgerRecord = parseRow(Tables.resourceLedger, this.workflowId, current);
      change(record);
      if (await this.store.compareAndSet(Tables.resourceLedger, this.workflowId, current, JSON.stringify(record))) return record;
    }
    throw new CaribouError(`The resource ledger of ${this.workflowId} keeps changing under this command; try again`);
  }

  /** Records the intent to create a resource; returns a function that marks it created. */
  async willCreate(entry: Omit<LedgerEntry, 'state'>): Promise<(identifier?: string) => Promise<void>> {
    await this.update((record) => {
      const existing = record.resources.find((r) => sameResource(r, entry));
      if (!existing) record.resources.push({ ...entry, state: 'creating' });
    });
    return async (identifier?: string) => {
      await this.update((record) => {
        const target = record.resources.find((r) => sameResource(r, entry));
        if (target) {
          target.state = 'created';
          if (identifier !== undefined) target.identifier = identifier;
        }
      });
    };
  }

  async forget(entry: Pick<LedgerEntry, 'kind' | 'region' | 'name'>): Promise<void> {
    await this.update((record) => {
      record.resources = record.resources.filter((r) => !sameResource(r, entry));
    });
  }

  async delete(): Promise<void> {
    await this.store.delete(Tables.resourceLedger, this.workflowId);
  }
}

function sameResource(a: Pick<LedgerEntry, 'kind' | 'region' | 'name'>, b: Pick<LedgerEntry, 'kind' | 'region' | 'name'>): boolean {
  return a.kind === b.kind && a.name === b.name && a.region.provider === b.region.provider && a.region.region === b.region.region;
}
