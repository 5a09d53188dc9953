import { utf8Length, type ProviderRegion } from '@caribou/domain-common';
import { measurePlan } from '@caribou/domain-routing';
import { dayDecision } from '../../workloads/wide-workflow';
import type { BenchLine, BenchSuite } from '../bench';

const HOME: ProviderRegion = { provider: 'aws', region: 'us-east-1' };
const REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'ca-west-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1',
  'eu-north-1', 'eu-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-south-1', 'sa-east-1', 'me-south-1', 'af-south-1',
].map((region): ProviderRegion => ({ provider: 'aws', region }));

/**
 * Bytes, not time: the placement decision of a generated workflow under a 24-hour plan (24
 * distinct placements scattering every instance over 20 regions, Lambda ARNs). The figure is
 * the largest message of a run without payload; the baseline is the reference's shape, which
 * stores and sends the whole decision, measured on the same decision in the same run.
 */
const suite: BenchSuite = {
  name: 'placement decision size',
  async run() {
    const lines: BenchLine[] = [];
    for (const functions of [10, 50, 100]) {
      const wpd = dayDecision({ functions, home: HOME, regions: REGIONS });
      const reference = utf8Length(JSON.stringify({ ...wpd, run_id: 'f'.repeat(32), time_key: '0', send_to_home_region: false }));
      const size = measurePlan(wpd);
      lines.push({
        label: `placement decision, ${functions} functions x 24 hours`,
        value: size.largestMessage.bytes,
        unit: 'B',
        baseline: { label: 'reference shape', value: reference },
        ...(functions === 100 ? { goal: '< 65536 B (limit 256000 B)' } : {}),
      });
      lines.push({ label: `  stored row, ${functions} functions x 24 hours`, value: size.storedBytes, unit: 'B', baseline: { label: 'reference shape', value: reference } });
    }
    return lines;
  },
};

export default suite;
