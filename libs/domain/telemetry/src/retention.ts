import { FORGETTING_NUMBER, FORGETTING_TIME_DAYS, KEEP_ALIVE_DATA_COUNT } from '@caribou/domain-common';
import type { RunLog } from './summary-types';
import { MICROS_PER_DAY, parseTimeMicros } from './time-micros';

const SEPARATOR = '\u0000';

/**
 * How often each combination the solver learns from appears in the retained runs: an
 * instance executed in a region, and a message from one instance×region to another.
 */
export class CombinationCounter {
  private readonly executions = new Map<string, number>();
  private readonly transmissions = new Map<string, number>();

  constructor(private readonly keepAliveCount = KEEP_ALIVE_DATA_COUNT) {}

  executionCount(instance: string, region: string): number {
    return this.executions.get(instance + SEPARATOR + region) ?? 0;
  }

  transmissionCount(fromInstance: string, toInstance: string, fromRegion: string, toRegion: string): number {
    return this.transmissions.get(transmissionKey(fromInstance, toInstance, fromRegion, toRegion)) ?? 0;
  }

  /**
   * A run of this sync. Executions count once each; a transmission counts only when it is a
   * direct call that reached its successor — the only kind with a latency — while other
   * transmissions register their combination at 0 (reference §11.2 counters).
   */
  countNewLog(log: RunLog): void {
    for (const execution of log.execution_data) {
      const key = execution.instance_name + SEPARATOR + (execution.provider_region ?? '');
      this.executions.set(key, (this.executions.get(key) ?? 0) + 1);
    }
    for (const t of log.transmission_data) {
      const key = transmissionKey(t.from_instance ?? '', t.to_instance ?? '', t.from_region ?? '', t.to_region ?? '');
      const increment = t.from_direct_successor && t.successor_invoked ? 1 : 0;
      this.transmissions.set(key, (this.transmissions.get(key) ?? 0) + increment);
    }
  }

  /**
   * An older run being retained: counts its combinations and says whether any of them is
   * still rare (seen fewer than the keep-alive count, this run included). The reference
   * indexed `execution_data` as a dict here, a list since LOG_VERSION 0.0.4, and crashed
   * as soon as a workflow passed 5000 runs; this reads the list.
   */
  countRetainedLog(log: RunLog): boolean {
    let rare = false;
    for (const execution of asArray(log.execution_data)) {
      const key = String(execution?.instance_name) + SEPARATOR + String(execution?.provider_region ?? '');
      const count = (this.executions.get(key) ?? 0) + 1;
      this.executions.set(key, count);
      if (count < this.keepAliveCount) rare = true;
    }
    for (const t of asArray(log.transmission_data)) {
      const key = transmissionKey(String(t?.from_instance), String(t?.to_instance), String(t?.from_region), String(t?.to_region));
      const count = (this.transmissions.get(key) ?? 0) + 1;
      this.transmissions.set(key, count);
      if (count < this.keepAliveCount) rare = true;
    }
    return rare;
  }
}

function transmissionKey(fromInstance: string, toInstance: string, fromRegion: string, toRegion: string): string {
  return fromInstance + SEPARATOR + toInstance + SEPARATOR + fromRegion + SEPARATOR + toRegion;
}

const asArray = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : []);

export interface RetentionOptions {
  maxLogs?: number;
  keepAliveCount?: number;
  retentionDays?: number;
}

export interface RetentionResult {
  /** Retained previous runs followed by the new ones, oldest first. */
  logs: RunLog[];
  previousKept: number;
  /** Previous runs kept beyond `maxLogs` because they cover a rare combination. */
  previousKeptForRareCombinations: number;
  previousDropped: number;
}

/**
 * Which runs the summary keeps (reference-system §8.6): all new runs, then previous runs
 * newest first until `maxLogs` (5000); beyond that a previous run is kept only if it covers
 * a combination seen fewer than `keepAliveCount` (10) times, so that rarely used regions
 * keep their data. No run older than `retentionDays` (30) is kept, on either path.
 *
 * Deviations: the reference crashed on the rare-combination path (see countRetainedLog),
 * let runs older than 30 days back in on that path, and counted only the new runs'
 * combinations, so the previous runs it had just kept did not make a combination common.
 */
export function retainLogs(newLogs: RunLog[], previousLogs: RunLog[], nowUs: number, options: RetentionOptions = {}): RetentionResult {
  const maxLogs = options.maxLogs ?? FORGETTING_NUMBER;
  const oldestUs = nowUs - (options.retentionDays ?? FORGETTING_TIME_DAYS) * MICROS_PER_DAY;
  const counter = new CombinationCounter(options.keepAliveCount ?? KEEP_ALIVE_DATA_COUNT);
  for (const log of newLogs) counter.countNewLog(log);

  const keptNewestFirst: RunLog[] = [];
  let total = newLogs.length;
  let keptForRare = 0;
  let index = previousLogs.length - 1;
  for (; index >= 0; index--) {
    const log = previousLogs[index]!;
    const startUs = typeof log?.start_time === 'string' ? parseTimeMicros(log.start_time) : undefined;
    if (startUs === undefined) continue;
    if (startUs <= oldestUs) break;
    const rare = counter.countRetainedLog(log);
    if (total < maxLogs || rare) {
      if (total >= maxLogs) keptForRare++;
      keptNewestFirst.push(log);
      total++;
    }
  }
  keptNewestFirst.reverse();
  return {
    logs: keptNewestFirst.concat(newLogs),
    previousKept: keptNewestFirst.length,
    previousKeptForRareCombinations: keptForRare,
    previousDropped: previousLogs.length - keptNewestFirst.length,
  };
}
