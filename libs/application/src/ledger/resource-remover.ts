import type { FailureDestinations, FunctionPlatform, IdentityManager, LogSource } from '@caribou/ports';
import type { LedgerEntry, ResourceLedger } from './resource-ledger';

export interface ResourceRemoverDeps {
  platform: FunctionPlatform;
  identity: IdentityManager;
  logs?: LogSource;
  /** Needed for the framework's ledger (on-failure destinations). */
  failureDestinations?: FailureDestinations;
}

/**
 * Deletes ledger resources newest first (functions before the roles they use), taking
 * each off the ledger as soon as it is gone, so an interrupted removal resumes where
 * it stopped. Failures are collected, not thrown, like the reference's removal.
 */
export async function removeLedgerResources(
  ledger: ResourceLedger,
  entries: readonly LedgerEntry[],
  deps: ResourceRemoverDeps,
  report: (line: string) => void,
): Promise<string[]> {
  const failures: string[] = [];
  const ordered = [...entries].reverse().sort((a, b) => kindOrder(a) - kindOrder(b));
  for (const entry of ordered) {
    try {
      if (entry.kind === 'function') {
        await deps.platform.remove(entry.region, entry.name);
        await deps.logs?.removeLogs?.(entry.region, entry.name);
        report(`Removed function ${entry.name} from provider ${entry.region.provider} in region ${entry.region.region}`);
      } else if (entry.kind === 'failure-destination') {
        if (!deps.failureDestinations) throw new Error('no on-failure destinations are bound for this provider');
        await deps.failureDestinations.remove(entry.region);
        report(`Removed on-failure destination ${entry.name} from provider ${entry.region.provider} in region ${entry.region.region}`);
      } else {
        await deps.identity.removeRole(entry.region, entry.name);
        report(`Removed role ${entry.name}`);
      }
      await ledger.forget(entry);
    } catch (error) {
      const message = `Could not remove ${entry.kind} ${entry.name}: ${error instanceof Error ? error.message : String(error)}`;
      failures.push(message);
      report(message);
    }
  }
  return failures;
}

function kindOrder(entry: LedgerEntry): number {
  return entry.kind === 'function' ? 0 : entry.kind === 'role' ? 1 : 2;
}
