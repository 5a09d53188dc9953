import { CaribouError, Tables } from '@caribou/domain-common';
import type { KeyValueStore, RemoteFrameworkResource } from '@caribou/ports';
import { ResourceLedger, type LedgerEntry } from '../ledger/index';

/** The remote framework's ledger row (next to the workflows' and the framework's in the resource ledger table). */
export const REMOTE_FRAMEWORK_LEDGER_KEY = 'caribou-remote-framework';

/** Removal order: rules first (they would invoke a missing function), then the function, what it used, its role, its keys. */
const REMOVAL_ORDER: Record<RemoteFrameworkResource['kind'], number> = { rule: 0, function: 1, 'log-group': 2, repository: 3, role: 4, parameter: 5 };

const REMOVED_LABEL: Record<RemoteFrameworkResource['kind'], string> = {
  rule: 'timer',
  function: 'function',
  'log-group': 'log group',
  repository: 'ECR repository',
  role: 'role',
  parameter: 'parameter',
};

/**
 * What `deploy_remote_cli` and `setup_timer` created (function, role with its policy, log group,
 * repository, API key parameters, timer rules), each recorded before it is created, so
 * `remove_remote_cli` and `teardown_framework` delete exactly that. No row means an install
 * deployed before these were recorded: the callers then remove by name.
 */
export class RemoteFrameworkLedger {
  private readonly ledger: ResourceLedger;

  constructor(private readonly store: KeyValueStore) {
    this.ledger = new ResourceLedger(store, REMOTE_FRAMEWORK_LEDGER_KEY);
  }

  /** The ledger's table, which deploy_remote_cli may be the first to need (before setup_tables). */
  async prepare(): Promise<void> {
    await this.store.ensureTables([Tables.resourceLedger]);
  }

  /** Records a resource about to be created (state `creating`); returns what marks it created. */
  async record(resource: RemoteFrameworkResource, createdBy: string): Promise<() => Promise<void>> {
    await this.ledger.open();
    const created = await this.ledger.willCreate({ ...resource, createdBy });
    return () => created();
  }

  /** Marks every recorded resource created (after a deploy or timer setup succeeded). */
  async markCreated(): Promise<void> {
    if (!(await this.ledger.read())) return;
    await this.ledger.update((record) => {
      for (const entry of record.resources) entry.state = 'created';
    });
  }

  /** The recorded resources, or undefined when nothing was ever recorded (an install deployed before the ledger). */
  async entries(): Promise<RemoteFrameworkResource[] | undefined> {
    const record = await this.ledger.read();
    return record?.resources.map((entry) => toResource(entry));
  }

  /**
   * Removes the recorded resources `select` picks, in order, taking each off the ledger once
   * gone; the row goes when nothing is left. Failures are collected and thrown together, each
   * with the command that retries (the ledger keeps what is left).
   */
  async remove(select: (resource: RemoteFrameworkResource) => boolean, removeOne: (resource: RemoteFrameworkResource) => Promise<void>, report: (line: string) => void, retry: string): Promise<void> {
    const record = await this.ledger.read();
    if (!record) return;
    const listed = record.resources.map((entry) => toResource(entry)).filter(select);
    const failures: string[] = [];
    for (const resource of listed.sort((a, b) => REMOVAL_ORDER[a.kind] - REMOVAL_ORDER[b.kind])) {
      try {
        await removeOne(resource);
        await this.ledger.forget(resource);
        report(resource.kind === 'rule' ? `Removed timer ${resource.name}` : `Deleted ${REMOVED_LABEL[resource.kind]} ${resource.name}`);
      } catch (error) {
        failures.push(`Could not remove ${resource.kind} ${resource.name} in ${resource.region.region}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if ((await this.ledger.read())?.resources.length === 0) await this.ledger.delete();
    if (failures.length > 0) {
      for (const failure of failures) report(failure);
      throw new CaribouError(`${failures.join('; ')}. Retry with caribou ${retry}`);
    }
  }
}

function toResource(entry: LedgerEntry): RemoteFrameworkResource {
  if (entry.kind === 'failure-destination' || entry.kind === 'sync-tables') {
    throw new CaribouError(`The remote framework's ledger lists a ${entry.kind} (${entry.name}); only the framework's ledger holds those`);
  }
  return { kind: entry.kind, region: entry.region, name: entry.name };
}
