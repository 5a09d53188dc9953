import { DeleteRepositoryCommand, DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { CaribouError, type ProviderRegion } from '@caribou/domain-common';
import { DEFAULT_LOG_RETENTION_DAYS } from '@caribou/domain-workflow';
import { DeleteLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DeleteParameterCommand } from '@aws-sdk/client-ssm';
import type { RemoteFramework, RemoteFrameworkDeployment, RemoteFrameworkPackage, RemoteFrameworkResource } from '@caribou/ports';
import { REMOTE_FRAMEWORK_TIMEOUT_VARIABLE, REMOTE_SECRET_NAMES, validateRemoteFrameworkSettings } from './settings';
import type { AwsClients } from '../config';
import { describeError, isAwsError } from '../errors';
import { IamIdentityManager } from '../iam/identity-manager';
import { LambdaEnvironment } from '../lambda/environment';
import { CloudWatchLogGroups } from '../logs/log-groups';
import { lambdaLogGroup } from '../logs/log-source';
import { LambdaFunctionPlatform } from '../lambda/function-platform';
import { remoteFrameworkPolicy } from '../iam/policies';
import { InstallNamespace } from '../install/install-namespace';
import { SsmSecretParameters } from '../ssm/secret-parameters';

/** The remote framework's role in the default install (`<install>_deployment_policy`: the reference's name). */
export const REMOTE_FRAMEWORK_ROLE = new InstallNamespace().remoteRole;

export interface LambdaRemoteFrameworkOptions {
  functionName?: string;
  roleName?: string;
  /** Image packaging also needs the ECR repository (named like the function). */
  packaging?: 'zip' | 'image';
  repositoryName?: string;
}

export { REMOTE_FRAMEWORK_DEFAULTS, REMOTE_FRAMEWORK_TIMEOUT_VARIABLE, remoteTimeBudgetSeconds, validateRemoteFrameworkSettings } from './settings';
export type { RemoteFrameworkSettings } from './settings';
export type { RemoteFrameworkPackage } from '@caribou/ports';

/** The remote framework: the `caribou_cli` Lambda in the system region, its role and, for images, its repository. */
export class LambdaRemoteFramework implements RemoteFramework {
  private readonly functionName: string;
  private readonly roleName: string;
  private readonly repositoryName: string | undefined;
  private readonly regionName: string;

  constructor(
    private readonly clients: AwsClients,
    options: LambdaRemoteFrameworkOptions = {},
  ) {
    this.functionName = options.functionName ?? clients.names.remoteFunction;
    this.roleName = options.roleName ?? clients.names.remoteRole;
    this.repositoryName = options.packaging === 'image' ? (options.repositoryName ?? this.functionName) : undefined;
    this.regionName = clients.systemRegion;
  }

  get region(): ProviderRegion {
    return this.systemRegion;
  }

  private get systemRegion(): ProviderRegion {
    return { provider: 'aws', region: this.regionName };
  }

  /** The function's name without the install prefix (`cli`), as the log groups adapter takes names. */
  private get unprefixedName(): string {
    const { prefix } = this.clients.names;
    if (!this.functionName.startsWith(prefix)) throw new CaribouError(`The remote framework's function ${this.functionName} is not named with the install prefix ${prefix}`);
    return this.functionName.slice(prefix.length);
  }

  /** The role the function runs as, with the framework's policy. */
  get role(): string {
    return this.roleName;
  }

  get function(): string {
    return this.functionName;
  }

  /**
   * Stores the API keys given as SecureString parameters (keys not given keep what is stored),
   * creates the role (or replaces its policy) and creates the function (or updates its code
   * and configuration in place: the reference deleted and recreated it, which also dropped
   * the permissions the timers' rules need to invoke it). The function's variables name the
   * system region and the install, never a key: the handler reads the keys when it starts.
   */
  async deploy(input: RemoteFrameworkPackage, record: (resource: RemoteFrameworkResource) => Promise<void> = async () => undefined): Promise<RemoteFrameworkDeployment> {
    validateRemoteFrameworkSettings(input);
    const unknown = Object.keys(input.secrets).filter((name) => !(REMOTE_SECRET_NAMES as readonly string[]).includes(name));
    if (unknown.length > 0) throw new CaribouError(`The remote framework stores only ${REMOTE_SECRET_NAMES.join(' and ')}, not ${unknown.join(', ')}`);
    const { names } = this.clients;
    const region = this.systemRegion;
    const parameters = new SsmSecretParameters(this.clients);
    // Each resource is recorded before it is created; the parameters kept from an earlier deploy too (adopted).
    const stored = await parameters.storedNames();
    for (const name of REMOTE_SECRET_NAMES) {
      if (input.secrets[name] !== undefined || stored.has(name)) await record({ kind: 'parameter', region, name: parameters.parameterName(name) });
    }
    const secrets = await parameters.write(input.secrets);
    // Its log group before the function, tagged and with a retention: Lambda would create one untagged that keeps every line forever.
    await record({ kind: 'log-group', region, name: lambdaLogGroup(this.functionName) });
    await new CloudWatchLogGroups(this.clients).ensure(region, this.unprefixedName, DEFAULT_LOG_RETENTION_DAYS);
    const policy = remoteFrameworkPolicy({ names, accountId: await this.clients.accountId(), systemRegion: this.regionName });
    // The role's policy is inline: it goes with the role.
    await record({ kind: 'role', region, name: this.roleName });
    const { roleIdentifier } = await new IamIdentityManager(this.clients).ensureNamedRole(this.roleName, JSON.stringify(policy), names.tags());
    // The image's repository exists by now (the package was pushed to it): recorded so removal finds it.
    if (this.repositoryName) await record({ kind: 'repository', region, name: this.repositoryName });
    await record({ kind: 'function', region, name: this.functionName });
    const functionArn = await new LambdaFunctionPlatform(this.clients).deploy({
      functionName: this.functionName,
      region: this.systemRegion,
      artifact: input.artifact,
      roleIdentifier,
      tags: names.tags(),
      environment: {
        [LambdaEnvironment.systemRegion]: this.regionName,
        [LambdaEnvironment.install]: names.install,
        // Lambda tells a function no timeout of its own before an invocation: the budgets come from this.
        [REMOTE_FRAMEWORK_TIMEOUT_VARIABLE]: String(input.timeoutSeconds),
      },
      memoryMb: input.memoryMb,
      timeoutSeconds: input.timeoutSeconds,
      ephemeralStorageMb: input.ephemeralStorageMb,
      ...(input.runtime ? { runtime: input.runtime } : {}),
    });
    return { functionArn, roleArn: roleIdentifier, secrets };
  }

  /** The API keys stored for this install, decrypted: what the handler reads when it starts. */
  readSecrets(): Promise<Record<string, string>> {
    return new SsmSecretParameters(this.clients).read();
  }

  /** Deletes the function, then its role, its API key parameters, its log group (and the image repository for image packaging); missing ones are skipped. */
  async remove(report: (line: string) => void = () => undefined): Promise<void> {
    const present = await this.isDeployed();
    const missing = new Set(present.missing);
    const lambdaName = `Lambda function ${this.functionName} (${this.regionName})`;
    if (!missing.has(lambdaName)) {
      report(`Deleting function ${this.functionName}`);
      await new LambdaFunctionPlatform(this.clients).removeFunction(this.systemRegion, this.functionName);
    }
    if (!missing.has(`IAM role ${this.roleName}`)) {
      report(`Deleting role ${this.roleName}`);
      await new IamIdentityManager(this.clients).removeNamedRole(this.roleName);
    }
    for (const parameter of await new SsmSecretParameters(this.clients).remove()) report(`Deleted parameter ${parameter}`);
    // Reported only when it was there: teardown runs this on installs that never had a framework.
    if (await new CloudWatchLogGroups(this.clients).removeIfPresent(this.systemRegion, this.unprefixedName)) report(`Deleted log group /aws/lambda/${this.functionName}`);
    if (this.repositoryName && !missing.has(`ECR repository ${this.repositoryName} (${this.regionName})`)) {
      report(`Deleting ECR repository ${this.repositoryName}`);
      try {
        await this.clients.ecr(this.regionName).send(new DeleteRepositoryCommand({ repositoryName: this.repositoryName, force: true }));
      } catch (error) {
        if (!isAwsError(error, 'RepositoryNotFoundException')) {
          throw new CaribouError(`Could not delete ECR repository ${this.repositoryName} in ${this.regionName}: ${describeError(error)}`, { cause: error });
        }
      }
    }
  }

  /** Deletes one resource its ledger lists; a missing one is no error. */
  async removeResource(resource: RemoteFrameworkResource): Promise<void> {
    const { region } = resource.region;
    const gone = (error: unknown, ...codes: string[]) => {
      if (!isAwsError(error, ...codes)) throw new CaribouError(`Could not delete ${resource.kind} ${resource.name} in ${region}: ${describeError(error)}`, { cause: error });
    };
    switch (resource.kind) {
      case 'function':
        return new LambdaFunctionPlatform(this.clients).removeFunction(resource.region, resource.name);
      case 'role':
        return new IamIdentityManager(this.clients).removeNamedRole(resource.name);
      case 'log-group':
        await this.clients.logs(region).send(new DeleteLogGroupCommand({ logGroupName: resource.name })).catch((error: unknown) => gone(error, 'ResourceNotFoundException'));
        return;
      case 'repository':
        await this.clients.ecr(region).send(new DeleteRepositoryCommand({ repositoryName: resource.name, force: true })).catch((error: unknown) => gone(error, 'RepositoryNotFoundException'));
        return;
      case 'parameter':
        await this.clients.ssm(region).send(new DeleteParameterCommand({ Name: resource.name })).catch((error: unknown) => gone(error, 'ParameterNotFound'));
        return;
      case 'rule':
        throw new CaribouError(`Timer rule ${resource.name} is removed by the scheduler, not the remote framework`);
    }
  }

  private async present(check: () => Promise<unknown>, ...missingErrors: string[]): Promise<boolean> {
    try {
      await check();
      return true;
    } catch (error) {
      if (isAwsError(error, ...missingErrors)) return false;
      throw new CaribouError(`Could not check the remote framework in ${this.regionName}: ${describeError(error)}`, { cause: error });
    }
  }

  async isDeployed(): Promise<{ deployed: boolean; missing: string[] }> {
    const checks: Array<[string, Promise<boolean>]> = [
      [`IAM role ${this.roleName}`, this.present(() => this.clients.iam().send(new GetRoleCommand({ RoleName: this.roleName })), 'NoSuchEntityException', 'NoSuchEntity')],
      [
        `Lambda function ${this.functionName} (${this.regionName})`,
        this.present(() => this.clients.lambda(this.regionName).send(new GetFunctionCommand({ FunctionName: this.functionName })), 'ResourceNotFoundException'),
      ],
    ];
    if (this.repositoryName) {
      const repositoryName = this.repositoryName;
      checks.push([
        `ECR repository ${repositoryName} (${this.regionName})`,
        this.present(() => this.clients.ecr(this.regionName).send(new DescribeRepositoriesCommand({ repositoryNames: [repositoryName] })), 'RepositoryNotFoundException'),
      ]);
    }
    // Awaited together: awaiting one by one would leave a second failure unhandled (and crash the CLI after its one-line error).
    const present = await Promise.all(checks.map(([, check]) => check));
    const missing = checks.filter((_, index) => !present[index]).map(([name]) => name);
    return { deployed: missing.length === 0, missing };
  }

  async invoke(payload: Record<string, unknown>, mode: 'event' | 'request'): Promise<unknown> {
    let response;
    try {
      response = await this.clients.lambda(this.regionName).send(
        new InvokeCommand({
          FunctionName: this.functionName,
          InvocationType: mode === 'event' ? 'Event' : 'RequestResponse',
          Payload: Buffer.from(JSON.stringify(payload), 'utf8'),
        }),
      );
    } catch (error) {
      const hint = isAwsError(error, 'ResourceNotFoundException') ? '; run `caribou deploy_remote_cli` first' : '';
      throw new CaribouError(`Could not invoke the remote framework ${this.functionName} in ${this.regionName}: ${describeError(error)}${hint}`, { cause: error });
    }
    if (mode === 'event') return undefined;
    const text = response.Payload ? Buffer.from(response.Payload).toString('utf8') : '';
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: return the raw text */
    }
    if (response.FunctionError) {
      const message = (body as { errorMessage?: string } | undefined)?.errorMessage ?? text;
      throw new CaribouError(`The remote framework ${this.functionName} failed: ${String(message).split('\n')[0]}`);
    }
    return body;
  }
}
