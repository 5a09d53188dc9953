import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { CaribouError } from '@caribou/domain-common';
import type { RemoteFramework } from '@caribou/ports';
import type { AwsClients } from '../config';
import { describeError, isAwsError } from '../errors';
import { REMOTE_FRAMEWORK_FUNCTION } from '../events/scheduler';

export const REMOTE_FRAMEWORK_ROLE = 'caribou_deployment_policy';

export interface LambdaRemoteFrameworkOptions {
  functionName?: string;
  roleName?: string;
  /** Image packaging also needs the ECR repository (named like the function). */
  packaging?: 'zip' | 'image';
  repositoryName?: string;
}

/** The remote framework: the `caribou_cli` Lambda in the system region, its role and, for images, its repository. */
export class LambdaRemoteFramework implements RemoteFramework {
  private readonly functionName: string;
  private readonly roleName: string;
  private readonly repositoryName: string | undefined;
  private readonly region: string;

  constructor(
    private readonly clients: AwsClients,
    options: LambdaRemoteFrameworkOptions = {},
  ) {
    this.functionName = options.functionName ?? REMOTE_FRAMEWORK_FUNCTION;
    this.roleName = options.roleName ?? REMOTE_FRAMEWORK_ROLE;
    this.repositoryName = options.packaging === 'image' ? (options.repositoryName ?? this.functionName) : undefined;
    this.region = clients.systemRegion;
  }

  private async present(check: () => Promise<unknown>, ...missingErrors: string[]): Promise<boolean> {
    try {
      await check();
      return true;
    } catch (error) {
      if (isAwsError(error, ...missingErrors)) return false;
      throw new CaribouError(`Could not check the remote framework in ${this.region}: ${describeError(error)}`, { cause: error });
    }
  }

  async isDeployed(): Promise<{ deployed: boolean; missing: string[] }> {
    const checks: Array<[string, Promise<boolean>]> = [
      [`IAM role ${this.roleName}`, this.present(() => this.clients.iam().send(new GetRoleCommand({ RoleName: this.roleName })), 'NoSuchEntityException', 'NoSuchEntity')],
      [
        `Lambda function ${this.functionName} (${this.region})`,
        this.present(() => this.clients.lambda(this.region).send(new GetFunctionCommand({ FunctionName: this.functionName })), 'ResourceNotFoundException'),
      ],
    ];
    if (this.repositoryName) {
      const repositoryName = this.repositoryName;
      checks.push([
        `ECR repository ${repositoryName} (${this.region})`,
        this.present(() => this.clients.ecr(this.region).send(new DescribeRepositoriesCommand({ repositoryNames: [repositoryName] })), 'RepositoryNotFoundException'),
      ]);
    }
    const missing: string[] = [];
    for (const [name, check] of checks) if (!(await check)) missing.push(name);
    return { deployed: missing.length === 0, missing };
  }

  async invoke(payload: Record<string, unknown>, mode: 'event' | 'request'): Promise<unknown> {
    let response;
    try {
      response = await this.clients.lambda(this.region).send(
        new InvokeCommand({
          FunctionName: this.functionName,
          InvocationType: mode === 'event' ? 'Event' : 'RequestResponse',
          Payload: Buffer.from(JSON.stringify(payload), 'utf8'),
        }),
      );
    } catch (error) {
      const hint = isAwsError(error, 'ResourceNotFoundException') ? '; run `caribou deploy_remote_cli` first' : '';
      throw new CaribouError(`Could not invoke the remote framework ${this.functionName} in ${this.region}: ${describeError(error)}${hint}`, { cause: error });
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
