import { readFile } from 'node:fs/promises';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  GetAliasCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionEventInvokeConfigCommand,
  PutFunctionEventInvokeConfigCommand,
  UpdateFunctionCodeCommand,
  paginateListFunctions,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  type Architecture,
  type FunctionCode,
  type GetFunctionCommandOutput,
  type LambdaClient,
  type Runtime,
} from '@aws-sdk/client-lambda';
import { CaribouError, DEFAULT_LAMBDA_RUNTIME, regionKey, type ProviderRegion } from '@caribou/domain-common';
import type { Artifact, AsyncInvocationConfig, DeployedFunction, FunctionPlatform, FunctionReleases, FunctionSpec } from '@caribou/ports';
import type { AwsClients } from '../config';
import { describeError, isAwsError } from '../errors';
import { isRolePropagationError } from './retry-strategy';
import { LambdaEnvironment } from './environment';
import { workflowOfPhysicalName } from '../install/install-namespace';

export { LambdaEnvironment };

/** The alias every Caribou function copy is invoked through; its version is the live release. */
export const RELEASE_ALIAS = 'caribou';

/** Lambda rejects direct uploads above 50 MB zipped; larger bundles need image packaging. */
export const MAX_DIRECT_ZIP_BYTES = 50 * 1024 * 1024;

export interface LambdaFunctionPlatformOptions {
  /** Runtime of zip packages a definition does not name. Default DEFAULT_LAMBDA_RUNTIME (`nodejs24.x`). */
  runtime?: string;
  /** Handler of zip packages: `<file without extension>.<export>`. Default `index.handler` (index.mjs exports handler). */
  handler?: string;
  architecture?: Architecture;
  /** Functions per ListFunctions page (max 50). */
  listPageSize?: number;
  /** Waiter bounds in seconds for Active / update Successful. */
  waiter?: { minDelay: number; maxDelay: number; maxWaitTime: number };
}

const DEFAULT_WAITER = { minDelay: 1, maxDelay: 5, maxWaitTime: 300 };

/** A function as Lambda receives it: a FunctionSpec with its final environment, or the remote framework's own function. */
export interface LambdaFunctionDefinition {
  functionName: string;
  region: ProviderRegion;
  artifact: Artifact;
  roleIdentifier: string;
  environment: Record<string, string>;
  memoryMb: number;
  timeoutSeconds: number;
  /** Size of /tmp in MB (512–10240). Unset: Lambda's default (512). */
  ephemeralStorageMb?: number;
  /** Runtime of a zip package (`nodejs24.x`); unset: the platform's. */
  runtime?: string;
  /** Set when the function is created (install, managed-by, and workflow/version where it has one). */
  tags?: Record<string, string>;
}

export interface LambdaFunctionConfiguration {
  functionArn: string;
  packageType: 'Zip' | 'Image';
  environment: Record<string, string>;
  memoryMb: number;
  timeoutSeconds: number;
  role: string;
  runtime?: string;
  handler?: string;
  imageUri?: string;
  codeSha256?: string;
  ephemeralStorageMb?: number;
}

/**
 * Functions on AWS Lambda: zip packages on a Node.js runtime by default, container images
 * when the artifact is one. Create when missing, otherwise new code then new configuration,
 * each followed by the SDK waiter, so the function is invokable when this returns.
 */
export class LambdaFunctionPlatform implements FunctionPlatform, FunctionReleases {
  private readonly runtime: string;
  private readonly handler: string;
  private readonly waiter: { minDelay: number; maxDelay: number; maxWaitTime: number };

  constructor(
    private readonly clients: AwsClients,
    private readonly options: LambdaFunctionPlatformOptions = {},
  ) {
    this.runtime = options.runtime ?? DEFAULT_LAMBDA_RUNTIME;
    this.handler = options.handler ?? 'index.handler';
    this.waiter = options.waiter ?? DEFAULT_WAITER;
  }

  private lambda(region: ProviderRegion): LambdaClient {
    return this.clients.lambda(region.region);
  }

  private async getFunction(region: ProviderRegion, functionName: string): Promise<GetFunctionCommandOutput | undefined> {
    try {
      return await this.lambda(region).send(new GetFunctionCommand({ FunctionName: functionName }));
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
      throw new CaribouError(`Could not read Lambda function ${functionName} in ${region.region}: ${describeError(error)}`, { cause: error });
    }
  }

  /** The stored configuration of this install's copy of a physical name, or undefined when it does not exist. */
  async getConfiguration(region: ProviderRegion, physicalName: string): Promise<LambdaFunctionConfiguration | undefined> {
    return this.getLambdaConfiguration(region, this.clients.names.functionName(physicalName));
  }

  /** The stored configuration of a Lambda function by its AWS name (the remote framework's), or undefined when it does not exist. */
  async getLambdaConfiguration(region: ProviderRegion, lambdaName: string): Promise<LambdaFunctionConfiguration | undefined> {
    const found = await this.getFunction(region, lambdaName);
    const configuration = found?.Configuration;
    if (!configuration) return undefined;
    const result: LambdaFunctionConfiguration = {
      functionArn: configuration.FunctionArn ?? '',
      packageType: configuration.PackageType === 'Image' ? 'Image' : 'Zip',
      environment: configuration.Environment?.Variables ?? {},
      memoryMb: configuration.MemorySize ?? 128,
      timeoutSeconds: configuration.Timeout ?? 3,
      role: configuration.Role ?? '',
    };
    if (configuration.Runtime) result.runtime = configuration.Runtime;
    if (configuration.Handler) result.handler = configuration.Handler;
    if (found.Code?.ImageUri) result.imageUri = found.Code.ImageUri;
    if (configuration.CodeSha256) result.codeSha256 = configuration.CodeSha256;
    if (configuration.EphemeralStorage?.Size) result.ephemeralStorageMb = configuration.EphemeralStorage.Size;
    return result;
  }

  /** Whether this install's copy of a physical name exists. */
  async exists(region: ProviderRegion, physicalName: string): Promise<boolean> {
    return (await this.getFunction(region, this.clients.names.functionName(physicalName))) !== undefined;
  }

  private async code(spec: LambdaFunctionDefinition): Promise<{ packageType: 'Zip' | 'Image'; code: FunctionCode }> {
    const artifact: Artifact = spec.artifact;
    if (artifact.kind === 'image') return { packageType: 'Image', code: { ImageUri: artifact.imageUri } };
    if (artifact.kind === 'directory') {
      throw new CaribouError(`Lambda needs a zip or image package for ${spec.functionName}, got the directory ${artifact.path}; build with zip packaging`);
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(artifact.path);
    } catch (error) {
      throw new CaribouError(`Could not read the package ${artifact.path} for ${spec.functionName}: ${describeError(error)}; build the workflow again`, { cause: error });
    }
    if (bytes.byteLength > MAX_DIRECT_ZIP_BYTES) {
      throw new CaribouError(
        `The package ${artifact.path} is ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB; Lambda takes at most 50 MB as a direct zip upload — use packaging: image`,
      );
    }
    return { packageType: 'Zip', code: { ZipFile: bytes } };
  }

  private environment(spec: FunctionSpec): Record<string, string> {
    return {
      ...spec.environment,
      [LambdaEnvironment.workflowFunction]: spec.handler,
      [LambdaEnvironment.entryPoint]: spec.entryPoint ? 'true' : 'false',
      [LambdaEnvironment.systemRegion]: this.clients.systemRegion,
      [LambdaEnvironment.install]: this.clients.names.install,
    };
  }

  private async waitFor(kind: 'active' | 'updated', region: ProviderRegion, functionName: string): Promise<void> {
    const waitUntil = kind === 'active' ? waitUntilFunctionActiveV2 : waitUntilFunctionUpdatedV2;
    try {
      await waitUntil({ client: this.lambda(region), ...this.waiter }, { FunctionName: functionName });
    } catch (error) {
      const state = await this.getFunction(region, functionName).catch(() => undefined);
      const reason = state?.Configuration?.StateReason ?? state?.Configuration?.LastUpdateStatusReason ?? describeError(error);
      throw new CaribouError(
        `Lambda function ${functionName} in ${region.region} did not become ${kind === 'active' ? 'active' : 'updated'}: ${reason}`,
        { cause: error },
      );
    }
  }

  /** `spec.functionName` is the physical name; the Lambda function is this install's (`<install>_<physical name>`). */
  async createOrUpdate(spec: FunctionSpec): Promise<DeployedFunction> {
    const workflow = workflowOfPhysicalName(spec.functionName);
    const functionArn = await this.deploy({
      functionName: this.clients.names.functionName(spec.functionName),
      tags: this.clients.names.tags(workflow),
      region: spec.region,
      artifact: spec.artifact,
      roleIdentifier: spec.roleIdentifier,
      environment: this.environment(spec),
      memoryMb: spec.memoryMb,
      timeoutSeconds: spec.timeoutSeconds,
      ...(spec.runtime ? { runtime: spec.runtime } : {}),
    });
    if (spec.asyncInvocation) await this.configureAsyncInvocation(spec.region, this.clients.names.functionName(spec.functionName), spec.asyncInvocation);
    return { functionName: spec.functionName, region: spec.region, functionIdentifier: functionArn };
  }

  /**
   * Bounded retries and an on-failure destination for asynchronous invocations, so an event
   * Lambda gives up on lands in the region's queue instead of vanishing. Lambda checks that the
   * function's role may send to the queue: the generated function policy grants it
   * (iam/policies.ts), so nothing here writes IAM — the remote framework's role may not.
   */
  private async configureAsyncInvocation(region: ProviderRegion, functionName: string, config: AsyncInvocationConfig): Promise<void> {
    try {
      await this.lambda(region).send(
        new PutFunctionEventInvokeConfigCommand({
          FunctionName: functionName,
          MaximumRetryAttempts: config.retryAttempts,
          MaximumEventAgeInSeconds: config.maximumEventAgeSeconds,
          DestinationConfig: { OnFailure: { Destination: config.onFailureDestination } },
        }),
      );
    } catch (error) {
      throw new CaribouError(
        `Could not set the asynchronous invocation config of ${functionName} in ${region.region} (retries, on-failure queue ${config.onFailureDestination}): ${describeError(error)}`,
        { cause: error },
      );
    }
  }

  /** Creates the function, or updates its code then its configuration; returns its ARN once it is ready. */
  async deploy(spec: LambdaFunctionDefinition): Promise<string> {
    const { packageType, code } = await this.code(spec);
    const existing = await this.getFunction(spec.region, spec.functionName);
    let functionArn: string | undefined;
    try {
      if (!existing) functionArn = await this.create(spec, packageType, code);
      else functionArn = await this.update(spec, existing, packageType, code);
    } catch (error) {
      if (error instanceof CaribouError) throw error;
      throw new CaribouError(
        `Could not deploy Lambda function ${spec.functionName} in ${spec.region.region}: ${describeError(error)}`,
        { cause: error },
      );
    }
    return functionArn;
  }

  private async create(spec: LambdaFunctionDefinition, packageType: 'Zip' | 'Image', code: FunctionCode): Promise<string> {
    const client = this.lambda(spec.region);
    let created;
    try {
      // A role IAM has not propagated yet is waited out by the client's retry strategy (LambdaRetryStrategy).
      created = await client.send(
        new CreateFunctionCommand({
          FunctionName: spec.functionName,
          Role: spec.roleIdentifier,
          Code: code,
          PackageType: packageType,
          ...(packageType === 'Zip' ? { Runtime: (spec.runtime ?? this.runtime) as Runtime, Handler: this.handler } : {}),
          ...(this.options.architecture ? { Architectures: [this.options.architecture] } : {}),
          Environment: { Variables: spec.environment },
          ...(spec.ephemeralStorageMb ? { EphemeralStorage: { Size: spec.ephemeralStorageMb } } : {}),
          MemorySize: spec.memoryMb,
          ...(spec.timeoutSeconds >= 1 ? { Timeout: spec.timeoutSeconds } : {}),
          ...(spec.tags ? { Tags: spec.tags } : {}),
        }),
      );
    } catch (error) {
      if (isRolePropagationError(error)) {
        throw new CaribouError(
          `Lambda cannot assume role ${spec.roleIdentifier} for ${spec.functionName} in ${spec.region.region}; check the role's trust policy allows lambda.amazonaws.com`,
          { cause: error },
        );
      }
      // Created by a concurrent deploy between our GetFunction and CreateFunction: update it instead.
      if (isAwsError(error, 'ResourceConflictException')) {
        const existing = await this.getFunction(spec.region, spec.functionName);
        if (existing) return this.update(spec, existing, packageType, code);
      }
      throw error;
    }
    await this.waitFor('active', spec.region, spec.functionName);
    return created.FunctionArn ?? '';
  }

  private async update(spec: LambdaFunctionDefinition, existing: GetFunctionCommandOutput, packageType: 'Zip' | 'Image', code: FunctionCode): Promise<string> {
    const currentType = existing.Configuration?.PackageType ?? 'Zip';
    if (currentType !== packageType) {
      throw new CaribouError(
        `Lambda function ${spec.functionName} in ${spec.region.region} is a ${currentType} package and cannot become ${packageType}; remove the workflow and deploy again`,
      );
    }
    const client = this.lambda(spec.region);
    // A function still being created refuses changes; "update in progress" conflicts are waited
    // out by the client's retry strategy (LambdaRetryStrategy).
    await this.waitFor('active', spec.region, spec.functionName);
    await client.send(
      new UpdateFunctionCodeCommand({
        FunctionName: spec.functionName,
        ...(code.ZipFile ? { ZipFile: code.ZipFile } : { ImageUri: code.ImageUri }),
        ...(this.options.architecture ? { Architectures: [this.options.architecture] } : {}),
      }),
    );
    await this.waitFor('updated', spec.region, spec.functionName);
    const updated = await client.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: spec.functionName,
        Role: spec.roleIdentifier,
        ...(packageType === 'Zip' ? { Runtime: (spec.runtime ?? this.runtime) as Runtime, Handler: this.handler } : {}),
        Environment: { Variables: spec.environment },
        ...(spec.ephemeralStorageMb ? { EphemeralStorage: { Size: spec.ephemeralStorageMb } } : {}),
        MemorySize: spec.memoryMb,
        ...(spec.timeoutSeconds >= 1 ? { Timeout: spec.timeoutSeconds } : {}),
      }),
    );
    await this.waitFor('updated', spec.region, spec.functionName);
    return updated.FunctionArn ?? existing.Configuration?.FunctionArn ?? '';
  }

  /**
   * PublishVersion of what `createOrUpdate` left in $LATEST (Lambda returns the existing version
   * when nothing changed), and the alias on the first release. Waits until the version is active.
   */
  async publish(region: ProviderRegion, physicalName: string): Promise<{ version: string; identifier: string }> {
    const functionName = this.clients.names.functionName(physicalName);
    const client = this.lambda(region);
    try {
      const published = await client.send(new PublishVersionCommand({ FunctionName: functionName }));
      const version = published.Version;
      if (!version) throw new CaribouError(`Lambda published no version of ${functionName} in ${region.region}`);
      await this.waitFor('active', region, `${functionName}:${version}`);
      const alias = await this.getAlias(region, physicalName);
      const aliasArn = alias?.AliasArn ?? (await client.send(new CreateAliasCommand({ FunctionName: functionName, Name: RELEASE_ALIAS, FunctionVersion: version }))).AliasArn;
      if (!aliasArn) throw new CaribouError(`Lambda returned no alias ARN for ${functionName} in ${region.region}`);
      await this.copyEventInvokeConfigToAlias(region, functionName);
      return { version, identifier: aliasArn };
    } catch (error) {
      if (error instanceof CaribouError) throw error;
      throw new CaribouError(`Could not publish a version of ${functionName} in ${region.region}: ${describeError(error)}`, { cause: error });
    }
  }

  /**
   * Asynchronous invocations of the alias follow the alias' own event-invoke config, not the
   * function's: the retries and the on-failure destination set on the function are repeated on it.
   */
  private async copyEventInvokeConfigToAlias(region: ProviderRegion, functionName: string): Promise<void> {
    const client = this.lambda(region);
    let config;
    try {
      config = await client.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: functionName }));
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) return;
      throw error;
    }
    await client.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: functionName,
        Qualifier: RELEASE_ALIAS,
        ...(config.MaximumRetryAttempts !== undefined ? { MaximumRetryAttempts: config.MaximumRetryAttempts } : {}),
        ...(config.MaximumEventAgeInSeconds !== undefined ? { MaximumEventAgeInSeconds: config.MaximumEventAgeInSeconds } : {}),
        ...(config.DestinationConfig ? { DestinationConfig: config.DestinationConfig } : {}),
      }),
    );
  }

  async activate(region: ProviderRegion, physicalName: string, version: string): Promise<void> {
    const functionName = this.clients.names.functionName(physicalName);
    try {
      await this.lambda(region).send(new UpdateAliasCommand({ FunctionName: functionName, Name: RELEASE_ALIAS, FunctionVersion: version }));
    } catch (error) {
      throw new CaribouError(`Could not point ${functionName} in ${region.region} at version ${version}: ${describeError(error)}`, { cause: error });
    }
  }

  async active(region: ProviderRegion, physicalName: string): Promise<string | undefined> {
    return (await this.getAlias(region, physicalName))?.FunctionVersion;
  }

  private async getAlias(region: ProviderRegion, physicalName: string): Promise<{ AliasArn?: string; FunctionVersion?: string } | undefined> {
    const functionName = this.clients.names.functionName(physicalName);
    try {
      return await this.lambda(region).send(new GetAliasCommand({ FunctionName: functionName, Name: RELEASE_ALIAS }));
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
      throw new CaribouError(`Could not read the alias of ${functionName} in ${region.region}: ${describeError(error)}`, { cause: error });
    }
  }

  /** The code the alias runs (CodeSha256 of its version), undefined without an alias. */
  async activeCodeSha256(region: ProviderRegion, physicalName: string): Promise<string | undefined> {
    const functionName = this.clients.names.functionName(physicalName);
    try {
      const found = await this.lambda(region).send(new GetFunctionCommand({ FunctionName: functionName, Qualifier: RELEASE_ALIAS }));
      return found.Configuration?.CodeSha256;
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
      throw new CaribouError(`Could not read ${functionName}:${RELEASE_ALIAS} in ${region.region}: ${describeError(error)}`, { cause: error });
    }
  }

  /** Deletes this install's copy of a physical name. */
  async remove(region: ProviderRegion, physicalName: string): Promise<void> {
    await this.removeFunction(region, this.clients.names.functionName(physicalName));
  }

  /** Deletes a Lambda function by its AWS name; a missing one is fine. */
  async removeFunction(region: ProviderRegion, functionName: string): Promise<void> {
    try {
      await this.lambda(region).send(new DeleteFunctionCommand({ FunctionName: functionName }));
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) return;
      throw new CaribouError(`Could not delete Lambda function ${functionName} in ${region.region}: ${describeError(error)}`, { cause: error });
    }
  }

  /** Physical names of this install's functions in a region (other installs' functions are not listed). */
  async list(region: ProviderRegion): Promise<string[]> {
    const names: string[] = [];
    try {
      for await (const page of paginateListFunctions({ client: this.lambda(region), pageSize: this.options.listPageSize }, {})) {
        for (const fn of page.Functions ?? []) {
          const physical = fn.FunctionName ? this.clients.names.physicalName(fn.FunctionName) : undefined;
          if (physical) names.push(physical);
        }
      }
    } catch (error) {
      throw new CaribouError(`Could not list Lambda functions in ${regionKey(region)}: ${describeError(error)}`, { cause: error });
    }
    return names;
  }
}
