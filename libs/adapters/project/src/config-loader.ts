import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
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
  type ProjectConfigOptions,
} from '@caribou/domain-workflow';

export const CONFIG_FILE = '.caribou/config.yml';

/** Project files are small text files; anything larger is not one (and is not read into memory). */
export const MAX_PROJECT_FILE_BYTES = 1024 * 1024;

/**
 * Reads a project file that must be a regular file of at most `MAX_PROJECT_FILE_BYTES`:
 * a link to `/dev/zero`, a FIFO or a huge file is refused before it is read, naming the file.
 */
export function readProjectFile(path: string, failure: (reason: string) => string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CaribouError(failure(code === 'ENOENT' ? 'file not found' : (error as Error).message));
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new CaribouError(failure('not a regular file (a device, FIFO or directory); point it at a text file'));
    if (stat.size > MAX_PROJECT_FILE_BYTES) {
      throw new CaribouError(failure(`${stat.size} bytes, over the limit of ${MAX_PROJECT_FILE_BYTES} bytes for a project file`));
    }
    // Read at most one byte past the limit, whatever the size said (the file may grow meanwhile).
    const buffer = Buffer.alloc(MAX_PROJECT_FILE_BYTES + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read) read = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > MAX_PROJECT_FILE_BYTES) throw new CaribouError(failure(`over the limit of ${MAX_PROJECT_FILE_BYTES} bytes for a project file`));
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Reads and validates `.caribou/config.yml` (`Could not load project config` / `Unable to parse project config: …`). */
export function loadProjectConfig(projectDir: string, options: ProjectConfigOptions = {}): ProjectConfig {
  const text = readProjectFile(join(projectDir, CONFIG_FILE), (reason) => {
    const failure = `Could not load project config: ${CONFIG_FILE} in ${projectDir}: ${reason}`;
    // Most often the command ran outside a project: say how to point at one or make one.
    if (reason !== 'file not found') return failure;
    return existsSync(projectDir)
      ? `${failure}; run it in a Caribou project, pass its directory with -p, or create one with caribou new_workflow <name>`
      : `${failure} (no such directory); pass an existing project directory with -p`;
  });
  let document: unknown;
  try {
    document = YAML.parse(text, { prettyErrors: true });
  } catch (error) {
    // prettyErrors puts a code frame after the first line; the line and column are enough in one line.
    const message = (error as Error).message.split('\n')[0]!.replace(/:\s*$/, '');
    throw new CaribouError(`Unable to parse project config: ${CONFIG_FILE}: ${message}; fix the YAML there`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    // Said here, where the file is known: the domain's check only knows a document.
    const found = document === null || document === undefined ? 'is empty' : `holds ${Array.isArray(document) ? 'a list' : `a ${typeof document}`}`;
    throw new CaribouError(
      `project config must be a dictionary: ${CONFIG_FILE} in ${projectDir} ${found}; it needs workflow_name, workflow_version, home_region and the rest of the config caribou new_workflow writes`,
    );
  }
  return parseProjectConfig(document, options);
}

/** Reads `.caribou/<iam_policy_file>` and checks it has a policy for every provider in use. */
export function loadIamPolicy(
  projectDir: string,
  config: ProjectConfig,
  functionRegionsAndProviders: readonly FunctionRegionsAndProviders[],
): IamPolicyDocument {
  const label = `.caribou/${iamPolicyFileName(config)}`;
  // The policy is part of the project: a path out of .caribou/ would read (and quote, when it fails to parse) any file.
  const caribouDir = resolve(projectDir, '.caribou');
  const within = relative(caribouDir, resolve(projectDir, label));
  if (within === '' || within.startsWith('..') || isAbsolute(within)) {
    throw new CaribouError(`iam_policy_file in ${CONFIG_FILE} is ${JSON.stringify(config.iam_policy_file)}, which is not a file in .caribou/; name a file there, e.g. iam_policy.json`);
  }
  const text = readProjectFile(
    join(projectDir, label),
    (reason) => `Could not load the IAM policy file ${label} named by iam_policy_file in ${CONFIG_FILE}: ${reason}`,
  );
  return parseIamPolicy(text, label, providersInUse(config, functionRegionsAndProviders));
}
