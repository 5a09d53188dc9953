import type { ArtifactCopier, FailureDestinations, FunctionLogGroups, FunctionPlatform, IdentityManager, LogSource, SyncStoreProvider } from '@caribou/ports';
import type { LedgerEntry, LedgerResourceKind, ResourceLedger } from './resource-ledger';

export interface ResourceRemoverDeps {
  platform: FunctionPlatform;
  identity: IdentityManager;
  logs?: LogSource;
  /** Needed for `repository` entries (image packages). */
  copier?: ArtifactCopier;
  /** Needed for `log-group` entries (AWS). */
  logGroups?: FunctionLogGroups;
  /** Needed for the framework's ledger (on-failure destinations). */
  failureDestinations?: FailureDestinations;
  /** Needed for the framework's ledger (each region's sync tables). */
  syncStores?: SyncStoreProvider;
}

/**
 * Deletes ledger resources newest first (functions before their log groups and the roles they
 * use), taking each off the ledger as soon as it is gone, so an interrupted removal resumes
 * where it stopped. Failures are collected, not thrown, like the reference's removal; each
 * names the resource, its region and the reason.
 */
export async function removeLedgerResources(
  ledger: ResourceLedger,
  entries: readonly LedgerEntry[],
  deps: ResourceRemoverDeps,
  report: (line: string) => void,
): Promise<string[]> {
  const failures: string[] = [];
  const ordered = [...entries].reverse().sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  for (const entry of ordered) {
    const where = `from provider ${entry.region.provider} in region ${entry.region.region}`;
    try {
      switch (entry.kind) {
        case 'function':
          await deps.platform.remove(entry.region, entry.name);
          await deps.logs?.removeLogs?.(entry.region, entry.name);
          report(`Removed function ${entry.name} ${where}`);
          break;
        case 'log-group':
          if (!deps.logGroups) throw new Error('no log groups are bound for this provider');
          await deps.logGroups.remove(entry.region, entry.name);
          report(`Removed the log group of ${entry.name} ${where}`);
          break;
        case 'repository':
          if (!deps.copier?.removeStore) throw new Error('no artifact stores are bound for this provider');
          await deps.copier.removeStore(entry.region, entry.name);
          report(`Removed repository ${entry.name} ${where}`);
          break;
        case 'failure-destination':
          if (!deps.failureDestinations) throw new Error('no on-failure destinations are bound for this provider');
          await deps.failureDestinations.remove(entry.region);
          report(`Removed on-failure destination ${entry.name} ${where}`);
          break;
        case 'sync-tables':
          if (!deps.syncStores) throw new Error('no sync tables are bound for this provider');
          await deps.syncStores.removeSyncTables(entry.region);
          report(`Removed the sync tables ${where}`);
          break;
        case 'role':
          await deps.identity.removeRole(entry.region, entry.name);
          report(`Removed role ${entry.name}`);
          break;
        case 'parameter':
        case 'rule':
          throw new Error('only the remote framework records these; remove them with caribou remove_remote_cli');
      }
      await ledger.forget(entry);
    } catch (error) {
      const message = `Could not remove ${entry.kind} ${entry.name} in ${entry.region.provider}:${entry.region.region}: ${error instanceof Error ? error.message : String(error)}`;
      failures.push(message);
      report(message);
    }
  }
  return failures;
}

/** Functions first (nothing runs any more), then what they used. */
const KIND_ORDER: Record<LedgerResourceKind, number> = { function: 0, 'log-group': 1, repository: 2, role: 3, 'failure-destination': 4, 'sync-tables': 5, parameter: 6, rule: 6 };
