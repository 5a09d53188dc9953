import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { CaribouError } from '@caribou/domain-common';
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
