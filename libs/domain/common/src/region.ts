/** A provider and a region code, e.g. `{provider: 'aws', region: 'us-east-1'}`. */
export interface ProviderRegion {
  provider: string;
  region: string;
}

/** The reference's region key `"<provider>:<region>"`. */
export function regionKey(pr: ProviderRegion): string {
  return `${pr.provider}:${pr.region}`;
}

export function parseRegionKey(key: string): ProviderRegion {
  const index = key.indexOf(':');
  if (index <= 0 || index === key.length - 1) throw new Error(`region key '${key}' is not of the form provider:region`);
  return { provider: key.slice(0, index), region: key.slice(index + 1) };
}

/** AWS-style region codes (`us-east-1`, `ap-southeast-4`); local regions carry them too. */
const AWS_REGION_CODE = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Whether `region` has the shape of an AWS region code. */
export function isAwsRegionCode(region: string): boolean {
  return AWS_REGION_CODE.test(region);
}
