import type { ProviderRegion } from '@caribou/domain-common';

/**
 * One line of a function's log as `caribou logs` shows it: the user's own output (console.log,
 * console.error, an uncaught error) tied to its execution — region, instance, run — or a
 * system line (`[CARIBOU]`, the platform's START/END/REPORT) shown only with --system.
 */
export interface ExecutionLogEntry {
  /** Epoch ms; a line without its own time (REPORT, raw stdout) takes the one before it. */
  timeMs: number;
  region: ProviderRegion;
  /** The workflow's function name (`first_function`), from the deployed copy's name. */
  functionName: string;
  /** The instance the execution ran (from its `[CARIBOU]` lines), when they say it. */
  instance?: string;
  /** The run the execution belongs to, when one of its `[CARIBOU]` lines says it. */
  runId?: string;
  requestId?: string;
  /** INFO, WARN, ERROR, DEBUG… as the platform wrote it; absent for raw output and system lines. */
  level?: string;
  message: string;
  system: boolean;
}

export interface DeployedCopy {
  /** The platform's function name (`wf-0_0_1-first_function_aws-us-east-1`). */
  physicalName: string;
  functionName: string;
  region: ProviderRegion;
}

/**
 * The workflow's function name in a deployed copy's name: `<workflow id, dots as _>-<function>_<provider>-<region>`
 * (naming.ts). A name in another form (renamed by hand) is kept whole.
 */
export function functionNameOfCopy(physicalName: string, workflowId: string, region: ProviderRegion): string {
  const prefix = `${workflowId.replace(/\./g, '_')}-`;
  const suffix = `_${region.provider}-${region.region}`.replace(/\./g, '_');
  if (!physicalName.startsWith(prefix) || !physicalName.endsWith(suffix)) return physicalName;
  return physicalName.slice(prefix.length, physicalName.length - suffix.length);
}

/** Lambda's Node runtime (and the local engine) write console output as `<ISO time>\t<request id>\t<LEVEL>\t<text>`. */
const USER_LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)\t([^\t]+)\t([A-Z]+)\t([\s\S]*)$/;
/** `[CARIBOU]\t<ISO time>\t<request id>\tTIME (…) RUN_ID (<run>) MESSAGE (…)`. */
const CARIBOU_LINE = /^\[CARIBOU\]\t(\S+)\t([^\t]+)\t[\s\S]*? RUN_ID \(([^)]*)\)/;
/** The markers naming the instance the invocation itself executes (not a successor it calls). */
const OWN_INSTANCE = /MESSAGE \((?:INVOKED|EXECUTED|USED_CPU_MODEL|CLIENT_CODE_EXCEPTION): [^(]*?INSTANCE \(([^)]*)\)/;
/** The platform's own lines: START/END/REPORT RequestId, INIT_START, extension lines. */
const PLATFORM_LINE = /^(?:START|END|REPORT) RequestId: ([^\s]+)|^(?:INIT_START|INIT_REPORT|EXTENSION|TELEMETRY)\b/;
/** What the framework writes raw besides `[CARIBOU]` lines (a skipped duplicate delivery). */
const FRAMEWORK_RAW = /^Caribou skipped a duplicate delivery/;

/**
 * Reads one copy's raw log lines (in time order) into entries: a first pass learns which run and
 * instance each request id executed (from its `[CARIBOU]` lines, which the user's lines lack),
 * the second ties every line to it. Pure: no clock, no I/O.
 */
export function readExecutionLogs(copy: DeployedCopy, lines: readonly string[]): ExecutionLogEntry[] {
  const executions = new Map<string, { runId: string; instance?: string }>();
  for (const line of lines) {
    const caribou = CARIBOU_LINE.exec(line);
    if (!caribou) continue;
    const known = executions.get(caribou[2]!) ?? { runId: caribou[3]! };
    const instance = OWN_INSTANCE.exec(line)?.[1];
    if (instance !== undefined && known.instance === undefined) known.instance = instance;
    executions.set(caribou[2]!, known);
  }
  const entries: ExecutionLogEntry[] = [];
  let lastTimeMs = 0;
  for (const raw of lines) {
    const line = raw.replace(/\n$/, '');
    let timeMs: number | undefined;
    let requestId: string | undefined;
    let level: string | undefined;
    let message = line;
    let system = false;
    const caribou = CARIBOU_LINE.exec(line);
    const user = caribou ? null : USER_LINE.exec(line);
    const platform = caribou || user ? null : PLATFORM_LINE.exec(line);
    if (caribou) {
      timeMs = Date.parse(caribou[1]!);
      requestId = caribou[2]!;
      system = true;
    } else if (user) {
      timeMs = Date.parse(user[1]!);
      requestId = user[2] === 'undefined' ? undefined : user[2]!;
      level = user[3]!;
      message = user[4]!;
    } else if (platform) {
      requestId = platform[1];
      system = true;
    } else if (FRAMEWORK_RAW.test(line)) {
      system = true;
    }
    if (timeMs !== undefined && !Number.isNaN(timeMs)) lastTimeMs = timeMs;
    const execution = requestId === undefined ? undefined : executions.get(requestId);
    entries.push({
      timeMs: lastTimeMs,
      region: copy.region,
      functionName: copy.functionName,
      ...(execution?.instance !== undefined ? { instance: execution.instance } : {}),
      ...(execution ? { runId: execution.runId } : {}),
      ...(requestId !== undefined ? { requestId } : {}),
      ...(level !== undefined ? { level } : {}),
      message,
      system,
    });
  }
  return entries;
}
