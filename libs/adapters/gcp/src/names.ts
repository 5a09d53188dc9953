import { createHash } from 'node:crypto';
import { CaribouError } from '@caribou/domain-common';

/** Cloud Run function ids: 4–63 characters of `[a-z0-9-]`, starting with a letter, not ending with a hyphen. */
export const MAX_FUNCTION_ID_LENGTH = 63;
const FUNCTION_ID = /^[a-z][a-z0-9-]{2,61}[a-z0-9]$/;

/**
 * Our physical function names (`<wf>-<ver_>-<fn>_gcp-<region>`) carry underscores and
 * capitals that Google's ids refuse. The id keeps the readable part (lowercased, other
 * characters as hyphens) and, whenever that lost information, adds 8 hex digits of the
 * name's SHA-256 so that two names never map to one id.
 */
export function googleFunctionId(name: string): string {
  if (!name) throw new CaribouError('A function name is needed to derive its Google Cloud id');
  let readable = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(readable)) readable = `f-${readable}`.replace(/-+$/, '');
  if (readable === name && FUNCTION_ID.test(readable)) return readable;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  const body = readable.slice(0, MAX_FUNCTION_ID_LENGTH - hash.length - 1).replace(/-+$/, '');
  return `${body}-${hash}`;
}

export function functionResourceName(projectId: string, region: string, functionId: string): string {
  return `projects/${projectId}/locations/${region}/functions/${functionId}`;
}

const FUNCTION_RESOURCE = /^projects\/([^/]+)\/locations\/([^/]+)\/functions\/([^/]+)$/;
const TOPIC_RESOURCE = /^projects\/([^/]+)\/topics\/([^/]+)$/;

/** Project, region and id of a Cloud Run function resource name. */
export function parseFunctionResourceName(identifier: string): { projectId: string; region: string; functionId: string } | undefined {
  const match = FUNCTION_RESOURCE.exec(identifier);
  return match ? { projectId: match[1]!, region: match[2]!, functionId: match[3]! } : undefined;
}

/**
 * The topic that feeds a function copy: one topic per copy, named like the function
 * (`projects/<p>/topics/<function id>`). A topic name is accepted as it is.
 */
export function topicOfFunction(identifier: string): string {
  if (TOPIC_RESOURCE.test(identifier)) return identifier;
  const parsed = parseFunctionResourceName(identifier);
  if (!parsed) {
    throw new CaribouError(
      `${identifier} is neither a Cloud Run function (projects/<project>/locations/<region>/functions/<id>) nor a Pub/Sub topic (projects/<project>/topics/<id>); deploy the workflow again`,
    );
  }
  return `projects/${parsed.projectId}/topics/${parsed.functionId}`;
}

/** The push subscription of a function copy's topic carries the same id. */
export function pushSubscriptionOfTopic(topic: string): string {
  const match = TOPIC_RESOURCE.exec(topic);
  if (!match) throw new CaribouError(`${topic} is not a Pub/Sub topic name (projects/<project>/topics/<id>)`);
  return `projects/${match[1]}/subscriptions/${match[2]}`;
}

/** IAM service account ids: 6–30 characters, `[a-z]([-a-z0-9]*[a-z0-9])`. */
export const MAX_SERVICE_ACCOUNT_ID_LENGTH = 30;
const SERVICE_ACCOUNT_ID = /^[a-z]([-a-z0-9]*[a-z0-9])$/;

/**
 * Our role names (`<wf>-<ver_>-<fn>-role`) are usually longer than IAM's 30 characters and
 * carry underscores. The id keeps what fits of the readable part and, whenever that lost
 * information, ends in 8 hex digits of the name's SHA-256, so two roles never share an account.
 */
export function serviceAccountId(roleName: string): string {
  if (!roleName) throw new CaribouError('A role name is needed to derive its service account id');
  let readable = roleName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(readable)) readable = `sa-${readable}`.replace(/-+$/, '');
  if (readable === roleName && readable.length >= 6 && readable.length <= MAX_SERVICE_ACCOUNT_ID_LENGTH && SERVICE_ACCOUNT_ID.test(readable)) return readable;
  const hash = createHash('sha256').update(roleName).digest('hex').slice(0, 8);
  const body = readable.slice(0, MAX_SERVICE_ACCOUNT_ID_LENGTH - hash.length - 1).replace(/-+$/, '');
  return `${body}-${hash}`;
}

/** The e-mail of a user-managed service account: `<id>@<project>.iam.gserviceaccount.com`. */
export function serviceAccountEmail(projectId: string, accountId: string): string {
  return `${accountId}@${projectId}.iam.gserviceaccount.com`;
}
