/** The three region collectors (the workflow collector belongs to the log-sync side). */
export type RegionCollectorName = 'provider' | 'carbon' | 'performance';

/** What happened to one region: where its data came from and which values are fallbacks. */
export interface RegionCollectionOutcome {
  /** Region key `<provider>:<code>`. */
  region: string;
  /** Short, groupable source name, e.g. `offline:hour-of-day-profile`. */
  source: string;
  /** One entry per value that is a fallback rather than data, e.g. `hours 0,1 → 475 (worst case)`. */
  fallbacks: string[];
  /** Extra detail worth showing (zone and year, substitutions). */
  notes: string[];
}

export interface CollectorReport {
  collector: RegionCollectorName;
  provider: string;
  regions: RegionCollectionOutcome[];
  /** Problems that did not stop collection (a source that failed, no regions to collect). */
  warnings: string[];
  /** Facts about the whole run, e.g. a price category the catalog never provides. */
  notes: string[];
}

export interface DataCollectReport {
  collectors: CollectorReport[];
  /** Workflows the injected workflow collector ran for. */
  workflows: string[];
}

/** One line, e.g. `carbon (local): 34 regions — 13 offline:hour-of-day-profile, 21 offline:yearly-2025; 0 with fallbacks`. */
export function summariseCollectorReport(report: CollectorReport): string {
  const bySource = new Map<string, number>();
  for (const outcome of report.regions) bySource.set(outcome.source, (bySource.get(outcome.source) ?? 0) + 1);
  const sources = [...bySource].map(([source, count]) => `${count} ${source}`).join(', ');
  const withFallbacks = report.regions.filter((outcome) => outcome.fallbacks.length > 0).length;
  const warnings = report.warnings.length > 0 ? `; ${report.warnings.length} warning${report.warnings.length === 1 ? '' : 's'}` : '';
  return `${report.collector} (${report.provider}): ${report.regions.length} regions${sources ? ` — ${sources}` : ''}; ${withFallbacks} with fallbacks${warnings}`;
}

export function summariseDataCollectReport(report: DataCollectReport): string {
  const parts = report.collectors.map(summariseCollectorReport);
  for (const workflow of report.workflows) parts.push(`workflow: ${workflow} collected`);
  return parts.join(' | ');
}
