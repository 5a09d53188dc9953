import type { Clock, StoredTimer, TimerStore } from '@caribou/ports';
import type { LocalDatabase } from './database';

interface TimerRow extends Record<string, unknown> {
  name: string;
  expression: string;
  payload: string;
  set_up_ms: number;
  anchor_ms: number;
}

/**
 * The local provider's timers, in `local.db` (`timers`): what EventBridge rules are on AWS,
 * read by `caribou serve`. Setting a timer up (again) restarts its count from now, as
 * EventBridge does when a rule is put.
 */
export class LocalTimerStore implements TimerStore {
  constructor(
    private readonly db: LocalDatabase,
    private readonly clock: Clock,
  ) {}

  async putTimer(name: string, scheduleExpression: string, payload: Record<string, unknown>): Promise<void> {
    const now = this.clock.now();
    this.db.run(
      `INSERT INTO timers (name, expression, payload, set_up_ms, anchor_ms) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET expression = excluded.expression, payload = excluded.payload,
         set_up_ms = excluded.set_up_ms, anchor_ms = excluded.anchor_ms`,
      name,
      scheduleExpression,
      JSON.stringify(payload),
      now,
      now,
    );
  }

  async removeTimer(name: string): Promise<void> {
    this.db.run('DELETE FROM timers WHERE name = ?', name);
  }

  async getTimer(name: string): Promise<string | undefined> {
    return this.db.get<{ expression: string }>('SELECT expression FROM timers WHERE name = ?', name)?.expression;
  }

  async list(): Promise<StoredTimer[]> {
    return this.db.all<TimerRow>('SELECT name, expression, payload, set_up_ms, anchor_ms FROM timers ORDER BY name').map((row) => ({
      name: row.name,
      expression: row.expression,
      payload: parsePayload(row.payload),
      setUpMs: Number(row.set_up_ms),
      anchorMs: Number(row.anchor_ms),
    }));
  }

  async recordTick(name: string, anchorMs: number): Promise<void> {
    this.db.run('UPDATE timers SET anchor_ms = ? WHERE name = ? AND anchor_ms < ?', anchorMs, name, anchorMs);
  }
}

/** A damaged payload reads as no event at all: the scheduler then reports it as a timer without an action. */
function parsePayload(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
