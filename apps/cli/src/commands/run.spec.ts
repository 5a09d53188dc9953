import { describe, expect, it } from 'vitest';
import type { RunPlacementKind, RunStarted } from '@caribou/application';
import { summarizePlacements } from './run';

const started = (placement: RunPlacementKind, timeKey = placement === 'plan' ? '5' : 'N/A'): RunStarted => ({
  runId: 'f'.repeat(32),
  sentToHomeRegion: placement === 'home-sample',
  timeKey,
  placement,
  entryRegion: { provider: 'local', region: 'us-east-1' },
});

describe('caribou run: where the runs went, in words', () => {
  it('counts runs at home by why they are at home, and planned runs by their hours', () => {
    const text = summarizePlacements([started('home-sample'), started('plan', '5'), started('plan', '5'), started('plan', '12'), started('home-sample')]);
    expect(text).toBe('2 at home (the 10 % home sample), 3 placed by the plan (hours from 05:00 UTC, 12:00 UTC)');
  });

  it('says no plan is in force instead of a time key of N/A', () => {
    const text = summarizePlacements([started('no-plan'), started('no-plan')]);
    expect(text).toBe('2 at home (no placement plan in force)');
    expect(text).not.toMatch(/N\/A|False|True/);
  });
});
