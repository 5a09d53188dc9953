import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalDatabase } from './database';
import { LocalRunJournal, processAlive, processToken } from './run-journal';

describe('LocalRunJournal', () => {
  let dir: string;
  let db: LocalDatabase;
  let journal: LocalRunJournal;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'caribou-journal-'));
    db = new LocalDatabase(join(dir, 'local.db'));
    journal = new LocalRunJournal(db);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const deadToken = () => `${Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString())}:0`;

  it('logs are settled up to now when nothing runs, and up to the start of the earliest run still executing', () => {
    expect(journal.settledUntil(1_000)).toBe(1_000);
    journal.started('a', 1_100);
    journal.started('b', 1_200);
    expect(journal.settledUntil(5_000)).toBe(1_100);
    journal.finished('a', 1_150, false);
    expect(journal.settledUntil(5_000)).toBe(1_200);
    journal.finished('b', 1_300, false);
    expect(journal.settledUntil(5_000)).toBe(5_000);
  });

  it('never cuts a finished run in two: the settled time moves before any run that spans it, transitively', () => {
    journal.started('long', 100);
    journal.started('overlaps-long', 150);
    journal.started('running', 300);
    journal.finished('long', 400, false); // spans 300
    journal.finished('overlaps-long', 200, false);
    // 300 (start of the running run) is inside [100, 400]: back to 100; nothing spans 100.
    expect(journal.settledUntil(1_000)).toBe(100);
    journal.finished('running', 350, false);
    // 1000 is past every end.
    expect(journal.settledUntil(1_000)).toBe(1_000);
    // With nothing running, every line is written: settled just after the last end, even past
    // the wall clock (runs are simulated faster than they take, so their time runs ahead).
    journal.started('edge', 1_500);
    journal.finished('edge', 2_000, false);
    expect(journal.settledUntil(2_000)).toBe(2_001);
    expect(journal.settledUntil(1_800)).toBe(2_001);
    // While a run executes, a finished run ending exactly at the candidate has its last line there: it is cut off too.
    journal.started('edge-2', 2_500);
    journal.started('still-running', 2_900);
    journal.finished('edge-2', 2_900, false);
    expect(journal.settledUntil(5_000)).toBe(2_500);
  });

  it('a run prepared before a sync settled a later time starts after that time', () => {
    expect(journal.settledUntil(10_000)).toBe(10_000);
    expect(journal.started('late', 9_000)).toBe(10_001);
    expect(journal.settledUntil(20_000)).toBe(10_001);
  });

  it("runs of a killed process become interrupted, no longer hold logs back, and are reported once", () => {
    journal.started('mine', 500);
    journal.started('orphan-1', 100);
    journal.started('orphan-2', 200);
    db.run("UPDATE runs SET owner = ? WHERE run_id LIKE 'orphan-%'", deadToken());
    expect(journal.settledUntil(1_000)).toBe(500);
    expect(journal.unreportedInterrupted()).toEqual([
      { runId: 'orphan-1', startedAtMs: 100 },
      { runId: 'orphan-2', startedAtMs: 200 },
    ]);
    journal.acknowledge(['orphan-1', 'orphan-2']);
    expect(journal.unreportedInterrupted()).toEqual([]);
    expect(journal.running()).toBe(1);
  });

  it('tells a live process from a dead one and from a later process that reuses its pid', () => {
    expect(processAlive(processToken())).toBe(true);
    expect(processAlive(deadToken())).toBe(false);
    expect(processAlive(`${process.pid}:not-my-start-time`)).toBe(false);
    expect(processAlive('garbage')).toBe(false);
  });
});
