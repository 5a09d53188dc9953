import {
  buildCarbonReport,
  instanceResources,
  measuredHomeDurationScale,
  activePlanOf,
  runRecordsOf,
  regionFacts,
  type CarbonReport,
  type CarbonReportDetails,
  type RegionFacts,
  type RunRecord,
} from '@caribou/domain-accounting';
import { CaribouError, systemRegionKey, Tables } from '@caribou/domain-common';
import type { SolverWorkflowConfig } from '@caribou/domain-model';
import type { KeyValueStore } from '@caribou/ports';
import { readRow } from '../stored-rows';

export interface CarbonReportRequest {
  workflowId: string;
  /** `--since` / `--until`: a UTC day (YYYY-MM-DD, inclusive) or an ISO 8601 time. */
  since?: string;
  until?: string;
}

export interface CarbonReportResult {
  report: CarbonReport;
  details: CarbonReportDetails;
  /** What the report had to assume (regions without collected data), one line each. */
  notes: string[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A `--since`/`--until` bound in epoch ms: a day means its start (since) or its last
 * millisecond (until); a time without a zone is UTC. Bad input names the flag and the fix.
 */
export function parseReportBound(text: string, flag: 'since' | 'until'): number {
  const trimmed = text.trim();
  let ms = Number.NaN;
  if (DAY.test(trimmed)) {
    ms = Date.parse(`${trimmed}T00:00:00Z`);
    if (!Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) !== trimmed) ms = Number.NaN;
    if (flag === 'until' && !Number.isNaN(ms)) ms += 86_400_000 - 1;
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(trimmed)) {
    ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(trimmed) ? trimmed : `${trimmed}Z`);
  }
  if (Number.isNaN(ms)) throw new CaribouError(`--${flag} '${text}' is not a date: use YYYY-MM-DD (UTC) or an ISO 8601 time such as 2026-12-07T08:00Z`);
  return ms;
}

function regionsOf(runs: readonly RunRecord[]): Set<string> {
  const regions = new Set<string>();
  for (const run of runs) {
    regions.add(run.startHop.entryRegion);
    for (const e of run.executions) {
      regions.add(e.region);
      for (const notice of e.notices) regions.add(notice.region);
    }
    for (const t of run.transmissions) regions.add(t.fromRegion).add(t.toRegion);
  }
  return regions;
}

/**
 * `caribou report <workflow_id>`: what a workflow's synced runs really emitted, cost and took,
 * against the same runs with every function at home, next to what the active plan predicted.
 * Reads the deployed config, the synced runs (workflow_summary_table), the collected region
 * rows and the published plan; all accounting is in @caribou/domain-accounting.
 */
export class CarbonReportService {
  constructor(private readonly store: KeyValueStore) {}

  async report(request: CarbonReportRequest): Promise<CarbonReportResult> {
    const { workflowId } = request;
    const sinceMs = request.since === undefined ? undefined : parseReportBound(request.since, 'since');
    const untilMs = request.until === undefined ? undefined : parseReportBound(request.until, 'until');
    if (sinceMs !== undefined && untilMs !== undefined && sinceMs > untilMs)
      throw new CaribouError(`--since ${request.since} is after --until ${request.until}: swap them`);

    const config = await this.deployedConfig(workflowId);
    const summary = await readRow(this.store, Tables.workflowSummary, workflowId);
    if (summary === undefined) throw new CaribouError(`No synced runs of ${workflowId} yet: run it (caribou run ${workflowId}), then caribou log_sync`);
    const runs = runRecordsOf(summary.logs ?? [], workflowId);

    const homeRegion = `${config.home_region.provider}:${config.home_region.region}`;
    // The placement decision lives in the system region, named as manage_deployments names it.
    const systemRegion = systemRegionKey(config.home_region.provider);
    const regions = new Map<string, RegionFacts>();
    for (const key of [homeRegion, systemRegion, ...regionsOf(runs)]) regions.set(key, await this.regionFacts(key));
    const notes = this.notesOn([...regions.values()]);
    const region = (key: string): RegionFacts => regions.get(key)!;

    const published = await readRow(this.store, Tables.publishedPlan, workflowId);
    const activePlan = published === undefined ? null : activePlanOf(published, workflowId);
    const { report, details } = buildCarbonReport({
      workflowId,
      runs,
      context: {
        homeRegion,
        systemRegion,
        instances: instanceResources(config),
        region,
        // Relative performance is measured over every synced run, not only the period's.
        toHomeDuration: measuredHomeDurationScale(runs, homeRegion, (key) => region(key).relativePerformance),
      },
      ...(sinceMs !== undefined ? { sinceMs } : {}),
      ...(untilMs !== undefined ? { untilMs } : {}),
      activePlan,
    });
    return { report, details, notes };
  }

  /** `deployment_manager_resource_table[id].workflow_config`: a JSON text inside the row (as the reference stores it). */
  private async deployedConfig(workflowId: string): Promise<SolverWorkflowConfig> {
    const row = await readRow(this.store, Tables.deploymentManagerResource, workflowId);
    if (row === undefined) throw new CaribouError(`No workflow ${workflowId} is deployed (caribou list shows the deployed workflows)`);
    return row.workflow_config;
  }

  private async regionFacts(key: string): Promise<RegionFacts> {
    return regionFacts(key, {
      provider: await readRow(this.store, Tables.providerRegion, key),
      carbon: await readRow(this.store, Tables.carbonRegion, key),
      performance: await readRow(this.store, Tables.performanceRegion, key),
    });
  }

  private notesOn(regions: RegionFacts[]): string[] {
    const notes: string[] = [];
    const missing = (what: RegionFacts['missing'][number]) => regions.filter((r) => r.missing.includes(what)).map((r) => r.key);
    const carbon = missing('carbon');
    if (carbon.length > 0) notes.push(`no carbon data for ${carbon.join(', ')}: 410 gCO2e/kWh assumed (run caribou data_collect carbon)`);
    const prices = missing('prices');
    if (prices.length > 0) notes.push(`no prices for ${prices.join(', ')}: the solver's default prices assumed (run caribou data_collect provider)`);
    return notes;
  }
}
