import { describe, expect, it } from 'vitest';
import { MAX_STORED_VALUE_SIZE, MAX_TRANSFER_SIZE, utf8Length, type ProviderRegion } from '@caribou/domain-common';
import { measurePlan } from '@caribou/domain-routing';
import { parsePlacementDecision, serializePlacementDecision } from '@caribou/domain-workflow';
import { dayDecision } from '../workloads/wide-workflow';

const HOME: ProviderRegion = { provider: 'aws', region: 'us-east-1' };
/** 20 AWS regions: the plan may put any instance in any of them, any hour. */
const REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'ca-west-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1',
  'eu-north-1', 'eu-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-south-1', 'sa-east-1', 'me-south-1', 'af-south-1',
].map((region): ProviderRegion => ({ provider: 'aws', region }));

/**
 * Must show (issue 12): the decision's size for 10, 50 and 100 functions × 24 hours, each hour
 * a different placement scattering every instance over 20 regions (a worst case: up to 20
 * copies of each function), with Lambda ARNs as identifiers.
 */
describe('placement decision size, 24-hour plans', () => {
  it('prints the sizes for 10, 50 and 100 functions; at 100 functions a message carries under 64 KB of decision', () => {
    const rows = [10, 50, 100].map((functions) => {
      const wpd = dayDecision({ functions, home: HOME, regions: REGIONS });
      const size = measurePlan(wpd);
      // What the reference stores and sends with every message (its whole decision, one run's fields added).
      const referenceBytes = utf8Length(JSON.stringify({ ...wpd, run_id: 'f'.repeat(32), time_key: '0', send_to_home_region: false }));
      const placements = new Set(Object.values(wpd.workflow_placement.current_deployment!.instances).map((hour) => JSON.stringify(hour)));
      expect(placements.size).toBe(24);
      // Nothing is lost in the compact row.
      expect(parsePlacementDecision(serializePlacementDecision(wpd), 'row').workflow_placement).toEqual(wpd.workflow_placement);
      return { functions, message: size.largestMessage.bytes, stored: size.storedBytes, reference: referenceBytes };
    });
    console.log(
      [
        'placement decision, 24 hours (24 distinct placements over 20 regions):',
        'functions  largest message without payload (B)  stored row (B)  reference shape (B)',
        ...rows.map((r) => `${String(r.functions).padStart(9)}  ${String(r.message).padStart(35)}  ${String(r.stored).padStart(14)}  ${String(r.reference).padStart(19)}`),
      ].join('\n'),
    );
    const hundred = rows.find((r) => r.functions === 100)!;
    expect(hundred.message).toBeLessThan(64 * 1024);
    expect(hundred.stored).toBeLessThan(MAX_STORED_VALUE_SIZE);
    // The problem was real: the reference's shape passes the message limit already at 50 functions.
    expect(rows.find((r) => r.functions === 50)!.reference).toBeGreaterThan(MAX_TRANSFER_SIZE);
    // Messages grow with the workflow, not with the number of hours.
    for (const row of rows) expect(row.message).toBeLessThan(row.stored);
  });
});
