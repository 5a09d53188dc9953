import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { CaribouError } from '@caribou/domain-common';
import type { EnabledRegions } from '@caribou/ports';
import { PRICING_API_REGION, type AwsClients } from '../config';
import { describeError } from '../errors';

/** Region codes enabled for the account (EC2 DescribeRegions, opt-in regions only when opted in), sorted. */
export async function listEnabledRegions(clients: AwsClients): Promise<string[]> {
  try {
    const result = await clients.ec2(PRICING_API_REGION).send(new DescribeRegionsCommand({ AllRegions: false }));
    return (result.Regions ?? [])
      .filter((region) => region.OptInStatus !== 'not-opted-in')
      .map((region) => region.RegionName)
      .filter((name): name is string => Boolean(name))
      .sort();
  } catch (error) {
    throw new CaribouError(`Could not list the account's AWS regions (EC2 DescribeRegions): ${describeError(error)}; check the credentials`, { cause: error });
  }
}

/**
 * The account's enabled regions, read once per process (EC2 DescribeRegions answers the same
 * until someone opts a region in or out, which a deploy or a migration need not see at once)
 * and shared by every reader: deploy, planning and migration each ask before placing anything.
 */
export class AwsEnabledRegions implements EnabledRegions {
  readonly provider = 'aws';
  private cached: Promise<ReadonlySet<string>> | undefined;

  constructor(private readonly clients: AwsClients) {}

  list(): Promise<ReadonlySet<string>> {
    this.cached ??= listEnabledRegions(this.clients)
      .then((codes) => new Set(codes))
      .catch((error: unknown) => {
        // A failed read is not remembered: the next caller asks again.
        this.cached = undefined;
        throw error;
      });
    return this.cached;
  }
}
