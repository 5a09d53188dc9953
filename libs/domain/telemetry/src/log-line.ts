import { LOG_VERSION } from '@caribou/domain-common';
import { parseCaribouMessage, type CaribouMessage } from './caribou-message';
import { MalformedLogError } from './malformed-log-error';
import { parsePythonFloat } from './message-fields';
import { parseTimeMicros } from './time-micros';

/**
 * One line of a function's log, classified:
 * - `caribou`: `[CARIBOU]\t<iso>\t<request id>\tTIME (…) RUN_ID (…) MESSAGE (…) LOG_VERSION (0.0.4)`;
 * - `report`: the platform's per-invocation `REPORT RequestId: …` line;
 * - `other`: anything else (START/END lines, user prints) — read past, not an error;
 * - `malformed`: a `[CARIBOU]`/`REPORT` line without the fields it must have. Whatever could
 *   still be read (run id, request id, time) is kept so the run can be marked.
 */
export type LogLine = CaribouLogLine | ReportLogLine | OtherLogLine | MalformedLogLine;

export interface CaribouLogLine {
  kind: 'caribou';
  requestId: string;
  runId: string;
  /** The TIME field in epoch microseconds. */
  timeUs: number;
  message: CaribouMessage;
}

export interface ReportLogLine {
  kind: 'report';
  requestId: string;
  durationMs?: number;
  memorySizeMb?: number;
  maxMemoryUsedMb?: number;
  /** Present only when the invocation met a cold start. */
  initDurationMs?: number;
}

export interface OtherLogLine {
  kind: 'other';
}

export interface MalformedLogLine {
  kind: 'malformed';
  reason: string;
  runId?: string;
  /** When the run id cannot be read, the request id still ties the line to its run (through the run's other lines). */
  requestId?: string;
}

const CARIBOU_TAG = '[CARIBOU]';
const REPORT_TAG = 'REPORT RequestId:';

/**
 * What every line a log sync uses contains (`[CARIBOU]` and REPORT lines): a log source may
 * read only those (a CloudWatch filter pattern), which skips the user's own output.
 */
export const SYNCED_LINE_MARKERS: readonly string[] = [CARIBOU_TAG, REPORT_TAG];
const OTHER: OtherLogLine = { kind: 'other' };

/** Classifies and parses one raw line; never throws. */
export function parseLogLine(line: string): LogLine {
  if (line.startsWith(CARIBOU_TAG)) return parseCaribouLine(line);
  if (line.startsWith(REPORT_TAG)) return parseReportLine(line);
  return OTHER;
}

function malformedLine(reason: string, runId: string | undefined, requestId?: string): MalformedLogLine {
  const line: MalformedLogLine = { kind: 'malformed', reason };
  if (runId !== undefined) line.runId = runId;
  if (requestId !== undefined && requestId.length > 0) line.requestId = requestId;
  return line;
}

/** The header of a `[CARIBOU]` line: who and when, and where its message lies in the line. */
export interface CaribouLineHeader {
  kind: 'header';
  requestId: string;
  runId: string;
  timeUs: number;
  /** The message is `line.slice(messageStart, messageEnd)`. */
  messageStart: number;
  messageEnd: number;
}

/**
 * Reads the header with indexOf rather than the reference's regex per field: the request
 * id is the third tab-separated field, then `TIME (`, ` RUN_ID (`, ` MESSAGE (` and the
 * `) LOG_VERSION (` closing the message (the reference's lazy `MESSAGE \((.*?)\) LOG_VERSION`).
 */
export function parseCaribouHeader(line: string): CaribouLineHeader | MalformedLogLine {
  const tab1 = line.indexOf('\t');
  const tab2 = tab1 < 0 ? -1 : line.indexOf('\t', tab1 + 1);
  const tab3 = tab2 < 0 ? -1 : line.indexOf('\t', tab2 + 1);
  const runIdAt = line.indexOf(' RUN_ID (', tab3 < 0 ? 0 : tab3);
  const runIdEnd = runIdAt < 0 ? -1 : line.indexOf(')', runIdAt + 9);
  const runId = runIdEnd < 0 ? undefined : line.slice(runIdAt + 9, runIdEnd);
  if (runId === undefined) return malformedLine('RUN_ID is missing', undefined, tab3 < 0 ? undefined : line.slice(tab2 + 1, tab3));
  if (tab3 < 0) return malformedLine('fewer than four tab-separated fields (tag, time, request id, text)', runId);
  if (tab3 === tab2 + 1) return malformedLine('the request id field is empty', runId);

  const timeAt = line.startsWith('TIME (', tab3 + 1) ? tab3 + 7 : -1;
  const timeEnd = timeAt < 0 ? -1 : line.indexOf(')', timeAt);
  if (timeEnd < 0) return malformedLine('TIME is missing', runId);
  const timeUs = parseTimeMicros(line, timeAt, timeEnd);
  if (timeUs === undefined) return malformedLine(`TIME '${line.slice(timeAt, timeEnd)}' is not %Y-%m-%d %H:%M:%S,%f%z`, runId);

  const messageAt = line.indexOf(' MESSAGE (', runIdEnd);
  // The reference's lazy regex stops at the first `) LOG_VERSION (`; values never hold `)`, so
  // the first is also the last, and searching from the end reads 20 characters instead of 300.
  const messageEnd = messageAt < 0 ? -1 : line.lastIndexOf(') LOG_VERSION (');
  if (messageEnd < messageAt + 10) return malformedLine('MESSAGE (…) LOG_VERSION is missing', runId);
  const versionAt = messageEnd + 15;
  // Only our format version is read; the reference parsed any version and crashed on missing fields.
  if (!line.startsWith(LOG_VERSION_CLOSED, versionAt)) {
    const versionEnd = line.indexOf(')', versionAt);
    return malformedLine(`LOG_VERSION '${versionEnd < 0 ? line.slice(versionAt) : line.slice(versionAt, versionEnd)}' is not ${LOG_VERSION}`, runId);
  }
  return { kind: 'header', requestId: line.slice(tab2 + 1, tab3), runId, timeUs, messageStart: messageAt + 10, messageEnd };
}

/** The message of a line whose header was read; malformed when a field its marker needs is bad. */
export function parseCaribouBody(line: string, header: CaribouLineHeader): CaribouLogLine | MalformedLogLine {
  try {
    const message = parseCaribouMessage(line.slice(header.messageStart, header.messageEnd));
    return { kind: 'caribou', requestId: header.requestId, runId: header.runId, timeUs: header.timeUs, message };
  } catch (error) {
    if (error instanceof MalformedLogError) return malformedLine(error.message, header.runId);
    throw error;
  }
}

export function parseCaribouLine(line: string): CaribouLogLine | MalformedLogLine {
  const header = parseCaribouHeader(line);
  return header.kind === 'header' ? parseCaribouBody(line, header) : header;
}

const LOG_VERSION_CLOSED = `${LOG_VERSION})`;

/**
 * `REPORT RequestId: <id>\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\t
 * Max Memory Used: 50 MB\t[Init Duration: 100.00 ms\t]`. Only the request id is required;
 * the numbers replace Lambda Insights when a request has no Insights record.
 */
export function parseReportLine(line: string): ReportLogLine | MalformedLogLine {
  let idEnd = line.indexOf('\t', REPORT_TAG.length);
  if (idEnd < 0) idEnd = line.length;
  const requestId = line.slice(REPORT_TAG.length, idEnd).trim();
  if (requestId.length === 0) return { kind: 'malformed', reason: 'REPORT line without a request id' };
  // Ours: a line cut short would give a wrong number (61.00 ms read as 6): each value the
  // platform always writes must be there with its unit.
  for (const [label, unit] of REPORT_FIELDS) {
    const at = line.indexOf(label, idEnd);
    const valueEnd = at < 0 ? -1 : line.indexOf(' ', at + label.length);
    if (valueEnd < 0 || !line.startsWith(unit, valueEnd)) {
      return { kind: 'malformed', reason: `REPORT line without ${label.trim()} <value>${unit}`, requestId };
    }
  }
  const report: ReportLogLine = { kind: 'report', requestId };
  const durationMs = numberAfter(line, '\tDuration: ', idEnd);
  if (durationMs !== undefined) report.durationMs = durationMs;
  const memorySizeMb = numberAfter(line, '\tMemory Size: ', idEnd);
  if (memorySizeMb !== undefined) report.memorySizeMb = memorySizeMb;
  const maxMemoryUsedMb = numberAfter(line, '\tMax Memory Used: ', idEnd);
  if (maxMemoryUsedMb !== undefined) report.maxMemoryUsedMb = maxMemoryUsedMb;
  const initDurationMs = numberAfter(line, '\tInit Duration: ', idEnd);
  if (initDurationMs !== undefined) report.initDurationMs = initDurationMs;
  return report;
}

/** Values every REPORT line carries, with the unit that must follow each. */
const REPORT_FIELDS = [
  ['\tDuration: ', ' ms'],
  ['\tMemory Size: ', ' MB'],
  ['\tMax Memory Used: ', ' MB'],
] as const;

/** The number after `label` (up to the next space or tab), or undefined. */
function numberAfter(line: string, label: string, from: number): number | undefined {
  const at = line.indexOf(label, from);
  if (at < 0) return undefined;
  const start = at + label.length;
  let end = start;
  while (end < line.length) {
    const c = line.charCodeAt(end);
    if (c === 32 || c === 9 || c === 10 || c === 13) break;
    end++;
  }
  return parsePythonFloat(line.slice(start, end));
}
