import { CaribouError, Tables } from '@caribou/domain-common';
import { failedInvocationOf, type FailedInvocation } from '@caribou/domain-routing';
import type { FailureDestinations, KeyValueStore } from '@caribou/ports';
import { ResourceLedger } from '../ledger/index';
import { parseRow, StoredRowError } from '../stored-rows';
import { FRAMEWORK_LEDGER_KEY } from './failure-destination-setup';

export type { FailedInvocation };

/** Records read from one destination per call, at most (a backlog drains over several calls). */
const DRAIN_BATCH = 1000;

/** Failures of functions no deployed workflow names (removed since): kept under this key. */
export const UNKNOWN_WORKFLOW = 'unknown';

export interface DrainReport {
  /** New failed invocations stored, per workflow id. */
  drained: Record<string, number>;
  /** Records that are no invocation record (left in the destination, with why). */
  unreadable: Array<{ region: string; reason: string }>;
}

/** `caribou_failed_invocation_table[<workflow id>]`: the workflow's failed invocations, oldest first. */
interface FailedInvocationRow {
  workflow_id: string;
  failures: FailedInvocation[];
}

const failuresIn = (workflowId: string, text: string): FailedInvocation[] => parseRow(Tables.failedInvocations, workflowId, text).failures;

/** Same failure delivered twice (SQS delivers at least once, a drain may stop between storing and deleting). */
const sameFailure = (a: FailedInvocation, b: FailedInvocation): boolean =>
  a.request_id === b.request_id && a.region === b.region && a.run_id === b.run_id && a.instance === b.instance;

/**
 * Failed asynchronous invocations: drains every on-failure destination the install has (the
 * framework ledger lists them) into the failed-invocation table, one row per workflow, then
 * deletes what it stored from the destination. `show`, `run --wait` and `log_sync` read them.
 */
export class FailedInvocationsService {
  constructor(
    private readonly store: KeyValueStore,
    private readonly destinations: FailureDestinations,
  ) {}

  async drain(): Promise<DrainReport> {
    const report: DrainReport = { drained: {}, unreadable: [] };
    const record = await new ResourceLedger(this.store, FRAMEWORK_LEDGER_KEY).read();
    const regions = (record?.resources ?? []).filter((r) => r.kind === 'failure-destination').map((r) => r.region);
    if (regions.length === 0) return report;
    await this.store.ensureTables([Tables.failedInvocations]);
    const owners = await this.functionOwners();
    for (const region of regions) {
      const messages = await this.destinations.receive(region, DRAIN_BATCH);
      const byWorkflow = new Map<string, FailedInvocation[]>();
      const stored: string[] = [];
      for (const message of messages) {
        let failure: FailedInvocation;
        try {
          failure = failedInvocationOf(message.body);
        } catch (error) {
          report.unreadable.push({ region: `${region.provider}:${region.region}`, reason: error instanceof Error ? error.message : String(error) });
          continue;
        }
        const workflowId = owners.get(failure.function_name) ?? UNKNOWN_WORKFLOW;
        byWorkflow.set(workflowId, [...(byWorkflow.get(workflowId) ?? []), failure]);
        stored.push(message.receipt);
      }
      for (const [workflowId, failures] of byWorkflow) {
        const added = await this.append(workflowId, failures);
        report.drained[workflowId] = (report.drained[workflowId] ?? 0) + added;
      }
      // Deleted only once stored: a drain killed in between reads them again, and append skips what it has.
      await this.destinations.acknowledge(region, stored);
    }
    return report;
  }

  async forWorkflow(workflowId: string): Promise<FailedInvocation[]> {
    const text = await this.store.get(Tables.failedInvocations, workflowId).catch((error: unknown) => {
      // Before the first drain the table may not exist yet: nothing failed then.
      if (error instanceof CaribouError && /does not exist|no such table/i.test(error.message)) return undefined;
      throw error;
    });
    return text ? failuresIn(workflowId, text) : [];
  }

  async forRun(workflowId: string, runId: string): Promise<FailedInvocation[]> {
    return (await this.forWorkflow(workflowId)).filter((failure) => failure.run_id === runId);
  }

  private async append(workflowId: string, failures: readonly FailedInvocation[]): Promise<number> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const current = await this.store.get(Tables.failedInvocations, workflowId);
      const existing = current ? failuresIn(workflowId, current) : [];
      const fresh = failures.filter((failure, index) => !existing.some((known) => sameFailure(known, failure)) && failures.findIndex((f) => sameFailure(f, failure)) === index);
      if (fresh.length === 0) return 0;
      const row: FailedInvocationRow = { workflow_id: workflowId, failures: [...existing, ...fresh] };
      if (await this.store.compareAndSet(Tables.failedInvocations, workflowId, current, JSON.stringify(row))) return fresh.length;
    }
    throw new CaribouError(`The failed-invocation row of ${workflowId} keeps changing under this drain; try again`);
  }

  /** Function copy name → workflow id, from every deployment record. */
  private async functionOwners(): Promise<Map<string, string>> {
    const owners = new Map<string, string>();
    for (const [workflowId, text] of await this.store.entries(Tables.deploymentResources)) {
      try {
        for (const [name, copy] of Object.entries(parseRow(Tables.deploymentResources, workflowId, text).deployed_regions)) {
          owners.set(name, workflowId);
          // A record names the platform's function (on AWS the install's name, `<install>_<physical name>`): the part of its
          // identifier after `:function:` (before the release alias `:caribou` runs invoke), else its last part.
          const platformName = /:function:([^:]+)/.exec(copy.function_identifier)?.[1] ?? copy.function_identifier.split(':').at(-1);
          if (platformName) owners.set(platformName, workflowId);
        }
      } catch (error) {
        // A damaged record names no functions; its failures are kept under UNKNOWN_WORKFLOW.
        if (!(error instanceof StoredRowError)) throw error;
      }
    }
    return owners;
  }
}
