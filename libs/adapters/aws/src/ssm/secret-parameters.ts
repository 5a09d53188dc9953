import { AddTagsToResourceCommand, DeleteParametersCommand, GetParametersCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { CaribouError } from '@caribou/domain-common';
import type { RemoteFrameworkSecret } from '@caribou/ports';
import { AwsClients } from '../config';
import { awsConfigFromEnv } from '../env';
import { describeError } from '../errors';
import { tagList } from '../install/install-namespace';
import { REMOTE_SECRET_NAMES, type RemoteSecretName } from '../remote/settings';



/**
 * The install's API keys (REMOTE_SECRET_NAMES) as SecureString parameters `/<install>/<NAME>`
 * in its system region: write, read (decrypted), delete.
 */
export class SsmSecretParameters {
  constructor(private readonly clients: Pick<AwsClients, 'ssm' | 'names' | 'systemRegion'>) {}

  parameterName(name: RemoteSecretName): string {
    return this.clients.names.parameter(name);
  }

  /** Every parameter name this install may hold (for removal and inventories). */
  get parameterNames(): string[] {
    return REMOTE_SECRET_NAMES.map((name) => this.parameterName(name));
  }

  /**
   * Writes the secrets given (SecureString, overwriting, tagged with the install's tags); the
   * ones not given are left as they are, so a deploy from a shell without a key keeps it.
   */
  async write(secrets: Readonly<Record<string, string>>): Promise<RemoteFrameworkSecret[]> {
    const ssm = this.clients.ssm();
    const stored = await this.storedNames();
    const states: RemoteFrameworkSecret[] = [];
    for (const name of REMOTE_SECRET_NAMES) {
      const parameter = this.parameterName(name);
      const value = secrets[name];
      if (value === undefined) {
        states.push({ name, location: parameter, state: stored.has(name) ? 'kept' : 'absent' });
        continue;
      }
      try {
        // PutParameter refuses Tags together with Overwrite: tag in a second call (idempotent).
        await ssm.send(new PutParameterCommand({ Name: parameter, Value: value, Type: 'SecureString', Overwrite: true, Description: `Caribou ${name} of install ${this.clients.names.install}` }));
        await ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: parameter, Tags: tagList(this.clients.names.tags()) }));
      } catch (error) {
        throw new CaribouError(`Could not store ${name} as SSM parameter ${parameter} in ${this.clients.systemRegion}: ${describeError(error)}; check the credentials' ssm:PutParameter permission`, {
          cause: error,
        });
      }
      states.push({ name, location: parameter, state: 'stored' });
    }
    return states;
  }

  /** The secrets stored for this install, decrypted; missing ones are left out. */
  async read(): Promise<Partial<Record<RemoteSecretName, string>>> {
    const byParameter = new Map(REMOTE_SECRET_NAMES.map((name) => [this.parameterName(name), name] as const));
    let answer;
    try {
      answer = await this.clients.ssm().send(new GetParametersCommand({ Names: [...byParameter.keys()], WithDecryption: true }));
    } catch (error) {
      throw new CaribouError(`Could not read the API keys from SSM (${[...byParameter.keys()].join(', ')}) in ${this.clients.systemRegion}: ${describeError(error)}`, { cause: error });
    }
    const secrets: Partial<Record<RemoteSecretName, string>> = {};
    for (const parameter of answer.Parameters ?? []) {
      const name = parameter.Name ? byParameter.get(parameter.Name) : undefined;
      if (name && parameter.Value) secrets[name] = parameter.Value;
    }
    return secrets;
  }

  /** Names of the secrets stored, without decrypting them. */
  async storedNames(): Promise<Set<RemoteSecretName>> {
    const byParameter = new Map(REMOTE_SECRET_NAMES.map((name) => [this.parameterName(name), name] as const));
    try {
      const answer = await this.clients.ssm().send(new GetParametersCommand({ Names: [...byParameter.keys()], WithDecryption: false }));
      return new Set((answer.Parameters ?? []).flatMap((parameter) => (parameter.Name && byParameter.has(parameter.Name) ? [byParameter.get(parameter.Name)!] : [])));
    } catch (error) {
      throw new CaribouError(`Could not look up the SSM parameters ${[...byParameter.keys()].join(', ')} in ${this.clients.systemRegion}: ${describeError(error)}`, { cause: error });
    }
  }

  /** Deletes the install's secret parameters; returns the ones that existed (missing ones are not an error). */
  async remove(): Promise<string[]> {
    try {
      const answer = await this.clients.ssm().send(new DeleteParametersCommand({ Names: this.parameterNames }));
      return [...(answer.DeletedParameters ?? [])].sort();
    } catch (error) {
      throw new CaribouError(`Could not delete the SSM parameters ${this.parameterNames.join(', ')} in ${this.clients.systemRegion}: ${describeError(error)}`, { cause: error });
    }
  }
}

/**
 * The remote framework's API keys, read when its handler starts (before the container is
 * composed, whose live collectors need them): the parameters of the install named by
 * CARIBOU_INSTALL in CARIBOU_SYSTEM_REGION (else `defaultSystemRegion`, Lambda's AWS_REGION).
 * Returned, never written to `process.env`.
 */
export async function readRemoteFrameworkSecrets(env: Record<string, string | undefined>, options: { defaultSystemRegion?: string } = {}): Promise<Record<string, string>> {
  const clients = new AwsClients({ ...(options.defaultSystemRegion ? { systemRegion: options.defaultSystemRegion } : {}), ...awsConfigFromEnv(env) });
  try {
    return await new SsmSecretParameters(clients).read();
  } finally {
    clients.destroy();
  }
}
