import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { CaribouError, Tables } from '@caribou/domain-common';
import { parseProjectConfig } from '@caribou/domain-workflow';
import { formatCaribouLine, formatReportLine, LogAggregator, LogMessages, type RunLog } from '@caribou/domain-telemetry';
import { LocalDatabase, LocalKeyValueStore } from '@caribou/adapter-local';
import { RunWorkflowService, ShowWorkflowService } from '@caribou/application';
import { createRemoteHandler, type RemoteActions } from '@caribou/remote-handler';
import { ElectricityMapsCarbonSource } from '@caribou/adapter-electricity-maps';
import { GoogleGeocoder } from '@caribou/adapter-google-geocoding';
import { CloudPingLatencySource } from '@caribou/adapter-cloudping';
import { manualClock } from '@caribou/adapter-http-client/testing';
import { startRecordedHttpServer, type RecordedResponse } from '@caribou/ports/contracts';
import { emptyFigures, isCleanMessage, recordRefusal, type FaultFigures } from './figures';

/**
 * The in-process fault campaigns: fast-check properties over config.yml documents, stored
 * rows, log lines, remote events and the data sources' HTTP answers. Each returns its figures; the fault suite asserts
 * them and `npm run bench` prints them. Seeded, so every run tries the same inputs.
 */
export interface CampaignOptions {
  seed: number;
  runs: number;
}

type Campaign = (options: CampaignOptions) => Promise<FaultFigures>;

const describeError = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
const short = (value: unknown): string => {
  try {
    return JSON.stringify(value)?.slice(0, 160) ?? String(value);
  } catch {
    return String(value);
  }
};

/* ------------------------------------------------------------------ config.yml */

function validConfig(): Record<string, any> {
  return {
    workflow_name: 'wf',
    workflow_version: '0.0.1',
    environment_variables: [{ key: 'ENV_VAR_1', value: 'value_1' }],
    iam_policy_file: 'iam_policy.json',
    home_region: { provider: 'local', region: 'us-east-1' },
    estimated_invocations_per_month: 1_000_000,
    constraints: {
      hard_resource_constraints: { cost: { type: 'relative', value: 125 }, runtime: { type: 'relative', value: 150 }, carbon: null },
      soft_resource_constraints: { cost: null, runtime: null, carbon: null },
      priority_order: ['carbon', 'cost', 'runtime'],
    },
    regions_and_providers: {
      allowed_regions: [
        { provider: 'local', region: 'us-east-1' },
        { provider: 'local', region: 'ca-central-1' },
      ],
      disallowed_regions: null,
      providers: { local: { config: { timeout: 60, memory: 128 } } },
    },
  };
}

const CONFIG_PATHS: Array<Array<string | number>> = [
  [],
  ['workflow_name'],
  ['workflow_version'],
  ['iam_policy_file'],
  ['home_region'],
  ['home_region', 'provider'],
  ['home_region', 'region'],
  ['environment_variables'],
  ['environment_variables', 0, 'key'],
  ['environment_variables', 0, 'value'],
  ['estimated_invocations_per_month'],
  ['num_calls_in_one_month'],
  ['packaging'],
  ['constraints'],
  ['constraints', 'priority_order'],
  ['constraints', 'priority_order', 1],
  ['constraints', 'hard_resource_constraints'],
  ['constraints', 'hard_resource_constraints', 'cost', 'value'],
  ['constraints', 'hard_resource_constraints', 'cost', 'type'],
  ['constraints', 'hard_resource_constraints', 'carbon'],
  ['constraints', 'soft_resource_constraints', 'runtime'],
  ['regions_and_providers'],
  ['regions_and_providers', 'allowed_regions'],
  ['regions_and_providers', 'allowed_regions', 1],
  ['regions_and_providers', 'allowed_regions', 1, 'region'],
  ['regions_and_providers', 'disallowed_regions'],
  ['regions_and_providers', 'providers'],
  ['regions_and_providers', 'providers', 'local', 'config'],
  ['regions_and_providers', 'providers', 'local', 'config', 'memory'],
  ['regions_and_providers', 'providers', 'local', 'config', 'timeout'],
];

const DELETE = Symbol('delete');
const KNOWN_REGIONS = new Set(['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'ca-west-1']);

const configValue = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom<unknown>(-5, 0, 1e15, -100, 0.5, 1, 901, 127, 10_241, Infinity, -Infinity, Number.NaN, '', 'us-fake-9', 'aws', 'relative', 'absolute', null, DELETE),
  fc.integer({ min: -2_000, max: 20_000 }),
  fc.double(),
);

function setPath(document: Record<string, any>, path: Array<string | number>, value: unknown): Record<string, any> | unknown {
  if (path.length === 0) return value === DELETE ? undefined : value;
  let node: any = document;
  for (const part of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return document;
    node = node[part];
  }
  if (node === null || typeof node !== 'object') return document;
  const last = path.at(-1)!;
  if (value === DELETE) delete node[last];
  else node[last] = value;
  return document;
}

/** What the schema promises about an accepted config: checked independently of it. */
function configOracle(config: Record<string, any>): string | undefined {
  const local = config.regions_and_providers?.providers?.local?.config;
  if (local) {
    if (!Number.isInteger(local.memory) || local.memory < 128 || local.memory > 10_240) return `memory ${local.memory}`;
    if (!Number.isInteger(local.timeout) || local.timeout < 1 || local.timeout > 900) return `timeout ${local.timeout}`;
  }
  for (const kind of ['hard_resource_constraints', 'soft_resource_constraints']) {
    for (const constraint of Object.values(config.constraints?.[kind] ?? {}) as Array<{ type: string; value: number } | null>) {
      if (!constraint) continue;
      if (!Number.isFinite(constraint.value)) return `constraint value ${constraint.value}`;
      if (constraint.type === 'relative' && !(constraint.value > 0)) return `relative ${constraint.value}`;
      if (constraint.type === 'absolute' && !(constraint.value >= 0)) return `absolute ${constraint.value}`;
    }
  }
  const regions = [config.home_region, ...(config.regions_and_providers?.allowed_regions ?? []), ...(config.regions_and_providers?.disallowed_regions ?? [])];
  for (const region of regions) {
    if ((region?.provider === 'local' || region?.provider === 'aws') && !KNOWN_REGIONS.has(region.region)) return `region ${region.region}`;
  }
  const invocations = config.estimated_invocations_per_month;
  if (invocations !== undefined && invocations !== null && !(Number.isFinite(invocations) && invocations >= 0)) return `invocations ${invocations}`;
  return undefined;
}

export const configCampaign: Campaign = async ({ seed, runs }) => {
  const figures = emptyFigures();
  const mutation = fc.tuple(fc.constantFrom(...CONFIG_PATHS), configValue);
  fc.check(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
      figures.inputsTried += 1;
      let document: unknown = validConfig();
      for (const [path, value] of mutations) document = typeof document === 'object' && document !== null ? setPath(document as Record<string, any>, path, value) : document;
      const describe = () => `config mutations ${short(mutations.map(([path, value]) => [path.join('.'), value === DELETE ? '<deleted>' : value]))}`;
      try {
        const config = parseProjectConfig(document, { knownRegionCodes: KNOWN_REGIONS });
        const problem = configOracle(config as Record<string, any>);
        // Accepted although out of range: a bad input that was not refused.
        if (problem) recordRefusal(figures, false, () => `${describe()} accepted with ${problem}`);
      } catch (error) {
        const clean = error instanceof CaribouError && isCleanMessage(error.message) && /project config/.test(error.message);
        recordRefusal(figures, clean, () => `${describe()} → ${describeError(error)}`);
      }
      return true;
    }),
    { seed, numRuns: runs },
  );
  return figures;
};

/* ------------------------------------------------------------------ stored rows */

const WORKFLOW = 'wf-0.0.1';
const VALID_WPD = JSON.stringify({
  instances: { 'wf-0_0_1-a:entry_point:0': { instance_name: 'wf-0_0_1-a:entry_point:0', preceding_instances: [], succeeding_instances: [], dependent_sync_predecessors: [] } },
  current_instance_name: 'wf-0_0_1-a:entry_point:0',
  workflow_placement: {
    home_deployment: {
      'wf-0_0_1-a:entry_point:0': {
        provider_region: { provider: 'local', region: 'us-east-1' },
        identifier: 'local:us-east-1:wf-0_0_1-a_local-us-east-1',
        function_identifier: 'local:us-east-1:wf-0_0_1-a_local-us-east-1',
      },
    },
  },
});

/** A damaged value: random text, random JSON, or a valid row cut short or with a field of the wrong type. */
const damagedRow = fc.oneof(
  fc.string(),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.nat({ max: VALID_WPD.length - 1 }).map((cut) => VALID_WPD.slice(0, cut)),
  fc.tuple(fc.constantFrom('instances', 'current_instance_name', 'workflow_placement', 'home_deployment', 'provider_region'), fc.jsonValue()).map(([field, value]) =>
    VALID_WPD.replace(`"${field}":`, `"${field}":${JSON.stringify(value)},"_was":`),
  ),
);

const STORED_TABLES = [Tables.workflowPlacementDecision, Tables.deploymentResources, Tables.workflowSummary, Tables.workflowInstance, Tables.workflowPlacementSolverStagingArea];

export const storedRowCampaign: Campaign = async ({ seed, runs }) => {
  const figures = emptyFigures();
  const dir = mkdtempSync(join(tmpdir(), 'caribou-fault-rows-'));
  const db = new LocalDatabase(join(dir, 'local.db'));
  const store = new LocalKeyValueStore(db);
  const invoked: string[] = [];
  const services = {
    show: new ShowWorkflowService(store),
    run: new RunWorkflowService({
      store,
      invoker: { invokeAsync: async (_region, identifier) => void invoked.push(identifier) },
      clock: { now: () => Date.UTC(2026, 11, 7, 12) },
      random: { random: () => 0.5, uuid: () => 'run' },
    }),
  };
  try {
    await fc.check(
      fc.asyncProperty(fc.constantFrom(...STORED_TABLES), damagedRow, fc.constantFrom<'show' | 'run'>('show', 'run'), async (table, value, command) => {
        figures.inputsTried += 1;
        await store.put(Tables.workflowPlacementDecision, WORKFLOW, VALID_WPD);
        await store.put(table, WORKFLOW, value);
        try {
          if (command === 'show') await services.show.show(WORKFLOW);
          else await services.run.run(WORKFLOW);
        } catch (error) {
          // Named by its table, or — a blank row is an absent one, as the reference reads it — by what is missing.
          const named = /_table\[|placement decision/.test(error instanceof Error ? error.message : '');
          const absent = value.trim() === '' && /No workflow \S+ is deployed/.test(error instanceof Error ? error.message : '');
          const clean = error instanceof CaribouError && isCleanMessage(error.message) && (named || absent);
          recordRefusal(figures, clean, () => `${command} with ${table} = ${short(value)} → ${describeError(error)}`);
        } finally {
          for (const t of STORED_TABLES) await store.delete(t, WORKFLOW);
        }
        return true;
      }),
      { seed, numRuns: runs },
    );
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
};

/* ------------------------------------------------------------------ log lines */

const REGION = { provider: 'local', region: 'us-east-1' };
const A = 'wf-0_0_1-A:entry_point:0';
const B = 'wf-0_0_1-B:wf-0_0_1-A_0_0:1';

/** The lines one run of A → B writes (A's, then B's), at `startMs`. */
function runLines(runId: string, startMs: number): string[] {
  const line = (request: string, offset: number, message: string) => formatCaribouLine(startMs + offset, request, runId, message);
  const a = `${runId}-a`;
  const b = `${runId}-b`;
  return [
    line(a, 0, LogMessages.entryPoint({ instance: A, workflowId: 'wf-0.0.1', userPayloadSizeGb: 1e-6, redirected: false, initLatencyFromClientS: 0.05, initLatencyFirstReceivedS: 0, timeFromFunctionStartS: 0.001, requestSource: 'Caribou CLI', wpdSizeGb: 2e-6, consumedReadCapacity: 1 })),
    line(a, 0, LogMessages.invoked({ instance: A, taint: null, hops: 1 })),
    line(a, 40, LogMessages.invokingSuccessor({ instance: A, successor: B, payloadSizeGb: 3e-6, taint: `${runId}-t`, provider: 'local', region: 'us-east-1', successorInvoked: true, invocationTimeFromFunctionStartS: 0.04, finishTimeFromInvocationStartS: 0.01 })),
    line(a, 60, LogMessages.executed({ instance: A, userExecutionTimeS: 0.05, totalExecutionTimeS: 0.06 })),
    line(a, 61, LogMessages.usedCpuModel({ cpuModel: 'cpu', instance: A, fromRedirector: false })),
    formatReportLine({ requestId: a, durationMs: 61, memorySizeMb: 128, maxMemoryUsedMb: 50 }),
    line(b, 90, LogMessages.invoked({ instance: B, taint: `${runId}-t`, hops: 2 })),
    line(b, 150, LogMessages.executed({ instance: B, userExecutionTimeS: 0.05, totalExecutionTimeS: 0.06 })),
    line(b, 151, LogMessages.usedCpuModel({ cpuModel: 'cpu', instance: B, fromRedirector: false })),
    formatReportLine({ requestId: b, durationMs: 61, memorySizeMb: 128, maxMemoryUsedMb: 50 }),
  ];
}

function aggregate(lines: string[]): Map<string, RunLog> {
  const aggregator = new LogAggregator();
  aggregator.addLines(lines, { region: REGION, intervalEndUs: Date.UTC(2027, 0, 1) * 1000 });
  return new Map(aggregator.finish().logs.map((log) => [log.run_id, log]));
}

const damage = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), line: fc.nat(), at: fc.nat() }),
  fc.record({ kind: fc.constant('drop-run-id' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), line: fc.nat() }),
);

/**
 * A damaged log — lines lost, cut short, without their run id, or delivered twice — never
 * yields a run with wrong data: every run a sync keeps is exactly the run its undamaged
 * lines give; damaged runs are left out (and counted). (A changed digit inside a well-formed
 * line cannot be told from a real value; that is not a damage any reader can see.)
 */
export const logLineCampaign: Campaign = async ({ seed, runs }) => {
  const figures = emptyFigures();
  const clean = [...Array(4).keys()].flatMap((i) => runLines(`run-${i}`, Date.UTC(2026, 11, 7, 10, i)));
  const expected = aggregate(clean);
  fc.check(
    fc.property(fc.array(damage, { minLength: 1, maxLength: 4 }), (damages) => {
      figures.inputsTried += 1;
      const lines = [...clean];
      for (const d of damages) {
        const index = d.line % lines.length;
        const text = lines[index]!;
        // A run without its REPORT lines is read from its own durations (documented fallback, as
        // without Lambda Insights): losing one is not damage a sync must refuse.
        if ((d.kind === 'delete' || d.kind === 'truncate') && text.startsWith('REPORT')) continue;
        if (d.kind === 'delete') lines.splice(index, 1);
        else if (d.kind === 'truncate') lines[index] = text.slice(0, d.at % text.length);
        else if (d.kind === 'drop-run-id') lines[index] = text.replace(/ RUN_ID \([^)]*\)/, '');
        else lines.splice(index, 0, text);
      }
      let wrong: string | undefined;
      try {
        for (const [runId, log] of aggregate(lines)) {
          if (JSON.stringify(log) !== JSON.stringify(expected.get(runId))) {
            wrong = `run ${runId} kept with data that differs from its undamaged lines${process.env.FAULT_DEBUG ? `: ${JSON.stringify(log)} vs ${JSON.stringify(expected.get(runId))} from ${JSON.stringify(lines)}` : ''}`;
          }
        }
      } catch (error) {
        wrong = `the sync failed: ${describeError(error)}`;
      }
      recordRefusal(figures, wrong === undefined, () => `damages ${short(damages)}: ${wrong}`);
      return true;
    }),
    { seed, numRuns: runs },
  );
  return figures;
};

/* ------------------------------------------------------------------ remote events */

const ACTIONS = ['run', 'list', 'version', 'data_collect', 'log_sync', 'manage_deployments', 'remove', 'run_deployment_migrator', 'internal_action'];

/**
 * Any event: the handler answers (200, or 400 with one line), never throws, and an action
 * it starts gets arguments of the types the application services take.
 */
export const remoteEventCampaign: Campaign = async ({ seed, runs }) => {
  const figures = emptyFigures();
  let badArguments: string | undefined;
  const checkId = (value: unknown) => {
    if (typeof value !== 'string' || value.length === 0) badArguments = `workflow id ${short(value)}`;
  };
  const actions: RemoteActions = {
    run: async (workflowId) => (checkId(workflowId), 'run-id'),
    list: async () => [],
    dataCollect: async (_collector, workflowId) => void (workflowId !== undefined && checkId(workflowId)),
    logSync: async () => undefined,
    manageDeployments: async () => undefined,
    remove: async (workflowId) => checkId(workflowId),
    runDeploymentMigrator: async () => undefined,
    syncWorkflow: async (workflowId) => checkId(workflowId),
    checkWorkflow: async (workflowId) => checkId(workflowId),
    runDeploymentAlgorithm: async (workflowId, _calculator, hours, tokens) => {
      checkId(workflowId);
      if (!Array.isArray(hours) || !hours.every((h) => typeof h === 'string') || typeof tokens !== 'number') badArguments = `hours ${short(hours)} tokens ${short(tokens)}`;
    },
    reDeployWorkflow: async (workflowId) => checkId(workflowId),
  };
  const handler = createRemoteHandler(() => actions, () => undefined);
  const field = fc.oneof(fc.jsonValue(), fc.constant(undefined));
  const event = fc.oneof(
    fc.anything(),
    fc.record(
      {
        action: fc.oneof(fc.constantFrom(...ACTIONS, 'bogus', ''), fc.jsonValue()),
        workflow_id: field,
        argument: field,
        collector: fc.oneof(fc.constantFrom('provider', 'carbon', 'performance', 'workflow', 'all'), fc.jsonValue()),
        deployment_metrics_calculator_type: fc.oneof(fc.constantFrom('simple', 'go', 'fast'), fc.jsonValue()),
        type: fc.oneof(fc.constantFrom('sync_workflow', 'check_workflow', 'run_deployment_algorithm', 're_deploy_workflow', 'bogus'), fc.jsonValue()),
        event: fc.oneof(fc.dictionary(fc.constantFrom('workflow_id', 'deployment_metrics_calculator_type', 'solve_hours', 'leftover_tokens'), fc.jsonValue()), fc.jsonValue()),
      },
      { requiredKeys: [] },
    ),
  );
  await fc.check(
    fc.asyncProperty(event, async (input) => {
      figures.inputsTried += 1;
      badArguments = undefined;
      try {
        const answer = await handler(input);
        if (answer.status === 400) {
          recordRefusal(figures, typeof answer.message === 'string' && isCleanMessage(answer.message), () => `event ${short(input)} → ${short(answer)}`);
        } else if (answer.status !== 200 || badArguments) {
          recordRefusal(figures, false, () => `event ${short(input)} → status ${answer.status}${badArguments ? `, started with ${badArguments}` : ''}`);
        }
      } catch (error) {
        recordRefusal(figures, false, () => `event ${short(input)} threw ${describeError(error)}`);
      }
      return true;
    }),
    { seed, numRuns: runs },
  );
  return figures;
};

/* ------------------------------------------------------------------ HTTP answers */

/** A well-formed answer of each data source, for the campaign to damage. */
const GOOD_ANSWERS = {
  'Electricity Maps': () => ({ zone: 'US-NY', history: [{ datetime: '2026-12-07T00:00:00.000Z', carbonIntensity: 310 }, { datetime: '2026-12-07T01:00:00.000Z', carbonIntensity: 298 }] }),
  'Google Geocoding': () => ({ status: 'OK', results: [{ geometry: { location: { lat: 45.65, lng: -73.38 } } }] }),
  cloudping: () => ({ data: { 'us-east-1': { 'us-east-1': 5.2, 'ca-central-1': 17.9 }, 'ca-central-1': { 'us-east-1': 18.3, 'ca-central-1': 4.8 } } }),
} as const;
type DataSourceName = keyof typeof GOOD_ANSWERS;

/** Every leaf path of a JSON value (object keys and array indices). */
function leafPaths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    return entries.flatMap(([key, child]) => [[...prefix, key], ...leafPaths(child, [...prefix, key])]);
  }
  return [];
}

const isIsoTime = (text: unknown): boolean => typeof text === 'string' && Number.isFinite(Date.parse(text));

/** What a data source gave back, checked for values the collectors can use; a description of the problem, or undefined. */
async function readFrom(source: DataSourceName, baseUrl: string): Promise<string | undefined> {
  const clock = manualClock(Date.UTC(2026, 11, 7, 12));
  const http = { now: clock.now, sleep: clock.sleep, baseUrl };
  if (source === 'Electricity Maps') {
    const reading = await new ElectricityMapsCarbonSource({ ...http, authToken: 'token' }).read({ code: 'us-east-1', latitude: 40.7, longitude: -74 } as never);
    if (reading === undefined) return undefined;
    if (reading.data.kind !== 'history') return `a reading of kind ${reading.data.kind}`;
    const bad = reading.data.points.find((p) => !isIsoTime(p.datetime) || (p.carbonIntensity !== null && !(p.carbonIntensity >= 0 && Number.isFinite(p.carbonIntensity))));
    return bad ? `a point ${short(bad)}` : undefined;
  }
  if (source === 'Google Geocoding') {
    const { latitude, longitude } = await new GoogleGeocoder({ ...http, apiKey: 'key' }).geocode('US East (N. Virginia)');
    return Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180 ? undefined : `coordinates ${latitude}, ${longitude}`;
  }
  const reading = await new CloudPingLatencySource({ ...http, percentiles: ['p_50'] }).read('us-east-1', 'ca-central-1');
  if (reading === undefined) return undefined;
  const millis = Object.values(reading.observation.kind === 'percentiles' ? reading.observation.millis : {});
  return millis.every((ms) => typeof ms === 'number' && ms > 0 && Number.isFinite(ms)) ? undefined : `latencies ${short(millis)}`;
}

/**
 * Any answer of Electricity Maps, Google Geocoding or cloudping — any status, a damaged,
 * truncated or foreign body — served by a real HTTP server on loopback: the adapter returns
 * values the collectors can use, or refuses with one line (never a raw TypeError, never NaN,
 * a negative intensity or a latitude off the globe). Retries wait on a manual clock.
 */
export const httpAnswerCampaign: Campaign = async ({ seed, runs }) => {
  const figures = emptyFigures();
  let current: RecordedResponse = { status: 200, body: '{}' };
  const server = await startRecordedHttpServer(() => current);
  const damage = (good: Record<string, unknown>) =>
    fc.oneof(
      fc.constant(JSON.stringify(good)),
      fc.constant(JSON.stringify(good)),
      fc.tuple(fc.constantFrom(...leafPaths(good)), fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.double(), fc.constantFrom(-1, 0, 1e308, -400, 91, '12'))).map(([path, value]) => {
        const copy = structuredClone(good);
        setPath(copy, path, value === undefined ? DELETE : value);
        return JSON.stringify(copy);
      }),
      fc.nat().map((cut) => JSON.stringify(good).slice(0, cut % JSON.stringify(good).length)),
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc.constantFrom('', '<html><body>502 Bad Gateway</body></html>', 'null', '[]', '{"status":"OVER_QUERY_LIMIT"}', '{"status":"REQUEST_DENIED","error_message":"bad key"}', '{"status":"ZERO_RESULTS","results":[]}'),
    );
  const answer = fc.constantFrom(...(Object.keys(GOOD_ANSWERS) as DataSourceName[])).chain((source) =>
    fc.record({
      source: fc.constant(source),
      // Final answers only: a 1xx is informational, never what a server ends with.
      status: fc.oneof({ arbitrary: fc.constant(200), weight: 4 }, fc.constantFrom(401, 403, 404, 429, 500, 502, 503), fc.integer({ min: 200, max: 599 })),
      retryAfter: fc.option(fc.oneof(fc.constantFrom('1', '3600', 'soon'), fc.nat().map(String)), { nil: undefined }),
      body: damage(GOOD_ANSWERS[source]()),
    }),
  );
  try {
    let n = 0;
    await fc.check(
      fc.asyncProperty(answer, async ({ source, status, retryAfter, body }) => {
        figures.inputsTried += 1;
        n += 1;
        current = { status, body, ...(retryAfter !== undefined ? { headers: { 'retry-after': retryAfter } } : {}) };
        const describe = () => `${source} answering HTTP ${status} ${short(body)}`;
        try {
          // Its own path per case: cloudping keeps a download per base URL for the whole process.
          const problem = await readFrom(source, `${server.baseUrl}/case-${n}`);
          if (problem) recordRefusal(figures, false, () => `${describe()} accepted with ${problem}`);
        } catch (error) {
          const clean = error instanceof CaribouError && isCleanMessage(error.message);
          if (process.env.FAULT_DEBUG) console.log(describe(), "→", describeError(error));
          recordRefusal(figures, clean, () => `${describe()} → ${describeError(error)}`);
        }
        return true;
      }),
      { seed, numRuns: runs },
    );
  } finally {
    await server.close();
  }
  return figures;
};

export const CAMPAIGNS: Array<{ name: string; run: Campaign }> = [
  { name: 'config.yml documents', run: configCampaign },
  { name: 'stored rows (show, run)', run: storedRowCampaign },
  { name: 'log lines (log sync)', run: logLineCampaign },
  { name: 'remote events (handler)', run: remoteEventCampaign },
  { name: 'HTTP answers (Electricity Maps, Google, cloudping)', run: httpAnswerCampaign },
];
