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

const COLLECTOR_TITLES: Record<RegionCollectorName, string> = {
  provider: 'Regions and prices',
  carbon: 'Carbon intensity',
  performance: 'Latency',
};

/** A source key without its note, in words; an unknown key as it is. */
function sourceWords(key: string): string {
  const fixed: Record<string, string> = {
    'offline:pricing': 'from the shipped price tables',
    'offline:hour-of-day-profile': 'hour-of-day profiles (shipped dataset)',
    'offline:ccf-factor': 'Cloud Carbon Footprint grid factors (shipped dataset)',
    'offline:cloudping-p50-1Y': 'cloudping one-year medians (shipped dataset)',
    'offline:latency-by-distance': 'predicted from distance (fit on the AWS matrix, shipped dataset)',
    'fallback:worst-case-475': 'no data: the worst case, 475 g/kWh',
  };
  if (fixed[key]) return fixed[key];
  const yearly = /^offline:yearly-(\d{4})$/.exec(key);
  if (yearly) return `${yearly[1]} yearly averages (shipped dataset)`;
  const googleYearly = /^offline:google-region-carbon-(\d{4})$/.exec(key);
  if (googleYearly) return `Google's ${googleYearly[1]} region figures (shipped dataset)`;
  const cloudRunTier = /^offline:cloud-run-tier-(\d)$/.exec(key);
  if (cloudRunTier) return `Cloud Run tier ${cloudRunTier[1]} prices (shipped dataset)`;
  const live = /^(electricity-maps|cloudping|google):(.+)$/.exec(key);
  if (live) return `${live[1] === 'electricity-maps' ? 'Electricity Maps' : live[1] === 'cloudping' ? 'cloudping' : 'Google'} live (${live[2]})`;
  return key;
}

/** Source keys (short, groupable, e.g. `offline:yearly-2025`) in words a person reads; an unknown key is shown as it is. */
export function describeSource(source: string): string {
  const [base, forecast] = source.split('+', 2) as [string, string | undefined];
  const suffix = /^(.*?)( \(.*\))$/.exec(base);
  const key = suffix ? suffix[1]! : base;
  const note = suffix ? suffix[2]! : '';
  const words = sourceWords(key);
  // "(shipped dataset)" and "(p50 with assumed sigma)" become one parenthesis.
  const described = note && words.endsWith(')') ? `${words.slice(0, -1)}; ${note.slice(2)}` : `${words}${note}`;
  return `${described}${forecast ? `, forecast by ${forecast}` : ''}`;
}

const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;

/**
 * One line per collector for people, e.g. `Carbon intensity (local): 34 regions — 13 hour-of-day
 * profiles (shipped dataset), 21 2025 yearly averages (shipped dataset); no fallbacks needed`.
 */
export function summariseCollectorReport(report: CollectorReport): string {
  const bySource = new Map<string, number>();
  for (const outcome of report.regions) bySource.set(outcome.source, (bySource.get(outcome.source) ?? 0) + 1);
  const sources = [...bySource].map(([source, count]) => `${count} ${describeSource(source)}`).join(', ');
  const withFallbacks = report.regions.filter((outcome) => outcome.fallbacks.length > 0).length;
  const fallbacks = withFallbacks === 0 ? 'no fallbacks needed' : `${plural(withFallbacks, 'region')} with a default for a missing value`;
  const warnings = report.warnings.length > 0 ? `; ${plural(report.warnings.length, 'warning')}: ${report.warnings.join('; ')}` : '';
  return `${COLLECTOR_TITLES[report.collector]} (${report.provider}): ${plural(report.regions.length, 'region')}${sources ? ` — ${sources}` : ''}; ${fallbacks}${warnings}`;
}

/** One line per collector and per workflow collected. */
export function summariseDataCollectReport(report: DataCollectReport): string {
  const lines = report.collectors.map(summariseCollectorReport);
  for (const workflow of report.workflows) lines.push(`Workflow ${workflow}: synced runs summarised for the planner`);
  return lines.join('\n');
}

