import { describe, expect, it } from 'vitest';
import { snakeCaseKeys } from './json-output';

describe('--json keys in snake_case', () => {
  it('converts the keys of reports, deeply and in arrays, and leaves values alone', () => {
    expect(snakeCaseKeys({ checkedAt: 'x', workflows: [{ workflowId: 'wf-0.0.1', runsSynced: 3, changePercent: { carbon: -5 } }] })).toEqual({
      checked_at: 'x',
      workflows: [{ workflow_id: 'wf-0.0.1', runs_synced: 3, change_percent: { carbon: -5 } }],
    });
  });

  it('keeps the instance names that key a placement, as the user wrote them', () => {
    const placement = { 'wf-0_0_1-secondSyncFunction:sync:': 'local:ca-central-1' };
    expect(snakeCaseKeys({ hoursPlanned: [{ timeKey: '0', placement }] })).toEqual({ hours_planned: [{ time_key: '0', placement }] });
  });
});
