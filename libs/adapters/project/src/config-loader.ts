import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { CaribouError } from '@caribou/domain-common';
import {
  iamPolicyFileName,
  parseIamPolicy,
  parseProjectConfig,
  providersInUse,
  type FunctionRegionsAndProviders,
  type IamPolicyDocument,
  type ProjectConfig,
} from '@caribou/domain-workflow';

export const CONFIG_FILE = '.caribou/config.yml';

function readText(path: string, failure: (reason: string) => string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CaribouError(failure(code === 'ENOENT' ? 'file not found' : (error as Error).message));
  }
}

/** Reads and validates `.caribou/config.yml` (`Could not load project config` / `Unable to parse project config: …`). */
export function loadProjectConfig(projectDir: string): ProjectConfig {
  const text = readText(
    join(projectDir, CONFIG_FILE),
    (reason) => `Could not load project config: ${CONFIG_FILE} in ${projectDir}: ${reason}`,
  );
  let document: unknown;
  try {
    document = YAML.parse(text, { prettyErrors: true });
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    throw new CaribouError(`Unable to parse project config: ${CONFIG_FILE}: ${message}`);
  }
  return parseProjectConfig(document);
}

/** Reads `.caribou/<iam_policy_file>` and checks it has a policy for every provider in use. */
export function loadIamPolicy(
  projectDir: string,
  config: ProjectConfig,
  functionRegionsAndProviders: readonly FunctionRegionsAndProviders[],
): IamPolicyDocument {
  const label = `.caribou/${iamPolicyFileName(config)}`;
  const text = readText(
    join(projectDir, label),
    (reason) => `Could not load the IAM policy file ${label} named by iam_policy_file in ${CONFIG_FILE}: ${reason}`,
  );
  return parseIamPolicy(text, label, providersInUse(config, functionRegionsAndProviders));
}
