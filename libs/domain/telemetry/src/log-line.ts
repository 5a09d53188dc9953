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
}

const CARIBOU_TAG = '[CARIBOU]';
const REPORT_TAG = 'REPORT RequestId:';
const OTHER: OtherLogLine = { kind: 'other' };

/** Classifies and parses one raw line; never throws. */
export function parseLogLine(line: string): LogLine {
  if (line.startsWith(CARIBOU_TAG)) return parseCaribouLine(line);
  if (line.startsWith(REPORT_TAG)) return parseReportLine(line);
  return OTHER;
}

/**
 * Reads the header with indexOf rather than the reference's regex per field: the request
 * id is the third tab-separated field, then `TIME (`, ` RUN_ID (`, ` MESSAGE (` and the
 * first `) LOG_VERSION (` after it (the reference's lazy `MESSAGE \((.*?)\) LOG_VERSION`).
 */
export function parseCaribouLine(line: string): CaribouLogLine | MalformedLogLine {
  const tab1 = line.indexOf('\t');
  const tab2 = tab1 < 0 ? -1 : line.indexOf('\t', tab1 + 1);
  const tab3 = tab2 < 0 ? -1 : line.indexOf('\t', tab2 + 1);
  const runIdAt = line.indexOf(' RUN_ID (');
  const runIdEnd = runIdAt < 0 ? -1 : line.indexOf(')', runIdAt + 9);
  const runId = runIdEnd < 0 ? undefined : line.slice(runIdAt + 9, runIdEnd);
  const malformed = (reason: string): MalformedLogLine => (runId === undefined ? { kind: 'malformed', reason } : { kind: 'malformed', reason, runId });
  if (runId === undefined) return malformed('RUN_ID is missing');
  if (tab3 < 0) return malformed('fewer than four tab-separated fields (tag, time, request id, text)');
  const requestId = line.slice(tab2 + 1, tab3);
  if (requestId.length === 0) return malformed('the request id field is empty');

  const timeAt = line.startsWith('TIME (', tab3 + 1) ? tab3 + 1 : -1;
  const timeEnd = timeAt < 0 ? -1 : line.indexOf(')', timeAt + 6);
  if (timeEnd < 0) return malformed('TIME is missing');
  const timeUs = parseTimeMicros(line.slice(timeAt + 6, timeEnd));
  if (timeUs === undefined) return malformed(`TIME '${line.slice(timeAt + 6, timeEnd)}' is not %Y-%m-%d %H:%M:%S,%f%z`);

  const messageAt = line.indexOf(' MESSAGE (', runIdEnd);
  const messageEnd = messageAt < 0 ? -1 : line.indexOf(') LOG_VERSION (', messageAt + 10);
  if (messageEnd < 0) return malformed('MESSAGE (…) LOG_VERSION is missing');
  const versionEnd = line.indexOf(')', messageEnd + 15);
  const version = versionEnd < 0 ? '' : line.slice(messageEnd + 15, versionEnd);
  if (version !== LOG_VERSION) return malformed(`LOG_VERSION '${version}' is not ${LOG_VERSION}`);
  try {
    const message = parseCaribouMessage(line.slice(messageAt + 10, messageEnd));
    return { kind: 'caribou', requestId, runId, timeUs, message };
  } catch (error) {
    if (error instanceof MalformedLogError) return malformed(error.message);
    throw error;
  }
}

/**
 * `REPORT RequestId: <id>\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\t
 * Max Memory Used: 50 MB\t[Init Duration: 100.00 ms\t]`. Only the request id is required;
 * the numbers replace Lambda Insights when a request has no Insights record.
 */
export function parseReportLine(line: string): ReportLogLine | MalformedLogLine {
  const parts = line.trimEnd().split('\t');
  const requestId = parts[0]!.slice(REPORT_TAG.length).trim();
  if (requestId.length === 0) return { kind: 'malformed', reason: 'REPORT line without a request id' };
  const report: ReportLogLine = { kind: 'report', requestId };
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]!;
    const colon = part.indexOf(':');
    if (colon < 0) continue;
    const value = parsePythonFloat(part.slice(colon + 1).trim().split(' ')[0] ?? '');
    if (value === undefined) continue;
    switch (part.slice(0, colon).trim()) {
      case 'Duration':
        report.durationMs = value;
        break;
      case 'Memory Size':
        report.memorySizeMb = value;
        break;
      case 'Max Memory Used':
        report.maxMemoryUsedMb = value;
        break;
      case 'Init Duration':
        report.initDurationMs = value;
        break;
    }
  }
  return report;
}
