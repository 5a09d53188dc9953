import type { PlatformHousekeeping } from '@caribou/ports';
import type { LocalDatabase } from './database';

/** Deletes a removed workflow's fan-in rows, execution records, logs and warm-copy marks from the local database. */
export class LocalHousekeeping implements PlatformHousekeeping {
  constructor(private readonly db: LocalDatabase) {}

  async purgeWorkflowRuntimeData(workflowId: string, instancePrefix: string): Promise<void> {
    const pattern = `${instancePrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    this.db.transaction(() => {
      for (const table of ['sync_messages', 'sync_marks', 'sync_claims']) {
        this.db.run(`DELETE FROM ${table} WHERE sync_instance LIKE ? ESCAPE '\\'`, pattern);
      }
      this.db.run(`DELETE FROM executions WHERE workflow_id = ? OR function_name LIKE ? ESCAPE '\\'`, workflowId, pattern);
      // Logs of every copy, including copies a migration retired (they are no longer on the ledger).
      this.db.run(`DELETE FROM logs WHERE function_name LIKE ? ESCAPE '\\'`, pattern);
      this.db.run(`DELETE FROM meta WHERE key LIKE ? ESCAPE '\\'`, `warm:%/${pattern}`);
    });
  }
}
