import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { CaribouError } from '@caribou/domain-common';
import type { Artifact, PackageBuilder, PackageRequest } from '@caribou/ports';
import type { AwsClients } from '../config';
import { describeError } from '../errors';
import { EcrImageCopier } from './image-copier';
import { formatEcrImageUri } from './image-reference';

export const NO_DOCKER_ENGINE_MESSAGE = 'packaging: image needs a running Docker engine (docker info failed); use packaging: zip or start Docker';

/** docker/function/Dockerfile of this repository. */
export const DEFAULT_FUNCTION_DOCKERFILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../docker/function/Dockerfile');

export interface ImagePackageBuilderOptions {
  /** Builds the bundle directory (index.mjs) the image copies in. */
  bundler: PackageBuilder;
  /** Region of the repository the image is pushed to. Default: the system region. */
  region?: string;
  dockerfile?: string;
  /** The docker CLI. Default `docker`. */
  dockerCommand?: string;
  /** Repository per workflow. Default `<workflow>-<version with _>` lower-cased. */
  repositoryName?: (request: PackageRequest) => string;
}

interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<CommandResult> {
  return new Promise((resolvePromise) => {
    const child = execFile(command, args, { timeout: options.timeoutMs ?? 0, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : 1) : 0;
      resolvePromise({ code, stdout: String(stdout), stderr: String(stderr) || (error && code !== 0 ? error.message : '') });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/**
 * Optional container-image packaging (DESIGN.md §4.2): bundle with the zip builder's
 * esbuild step, `docker build` with docker/function/Dockerfile, push to ECR. Needs a
 * Docker engine on the deploying machine; migrations copy the pushed image with the
 * ECR API, so no engine is needed afterwards.
 */
export class ImagePackageBuilder implements PackageBuilder {
  private readonly docker: string;

  constructor(
    private readonly clients: AwsClients,
    private readonly options: ImagePackageBuilderOptions,
  ) {
    this.docker = options.dockerCommand ?? 'docker';
  }

  /** Fails with NO_DOCKER_ENGINE_MESSAGE unless `docker info` reaches an engine. */
  async assertDockerEngine(): Promise<void> {
    const info = await run(this.docker, ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 15_000 });
    if (info.code !== 0 || info.stdout.trim() === '') throw new CaribouError(NO_DOCKER_ENGINE_MESSAGE);
  }

  private async runDocker(args: string[], what: string, input?: string): Promise<void> {
    const result = await run(this.docker, args, input === undefined ? {} : { input });
    if (result.code !== 0) {
      const detail = result.stderr.trim().split('\n').filter(Boolean).pop() ?? `exit ${result.code}`;
      throw new CaribouError(`docker ${what} failed: ${detail}`);
    }
  }

  async build(request: PackageRequest): Promise<Artifact> {
    await this.assertDockerEngine();
    const dockerfile = this.options.dockerfile ?? DEFAULT_FUNCTION_DOCKERFILE;
    if (!existsSync(dockerfile)) throw new CaribouError(`The function Dockerfile ${dockerfile} does not exist; set the image builder's dockerfile option`);
    const bundle = await this.options.bundler.build(request);
    if (bundle.kind !== 'directory') {
      throw new CaribouError(`Image packaging needs the bundle as a directory, the bundler produced a ${bundle.kind}; configure the bundler without zip output for image packaging`);
    }
    const region = this.options.region ?? this.clients.systemRegion;
    const repository = this.options.repositoryName?.(request) ?? this.clients.names.repository(defaultRepositoryName(request));
    const registryId = await this.clients.accountId();
    const imageUri = formatEcrImageUri({ registryId, region, repository, tag: bundle.sha256.slice(0, 16) });

    // The base image is the Lambda runtime the config names (node24 → public.ecr.aws/lambda/nodejs:24).
    const nodeMajor = /^node(\d+)$/.exec(request.nodeTarget ?? '')?.[1];
    const baseImage = nodeMajor ? ['--build-arg', `NODE_BASE=public.ecr.aws/lambda/nodejs:${nodeMajor}`] : [];
    await this.runDocker(['build', '--platform', 'linux/amd64', '--provenance=false', ...baseImage, '-f', dockerfile, '-t', imageUri, bundle.path], 'build');
    await new EcrImageCopier(this.clients).ensureRepository(region, repository, this.clients.names.tags({ workflowName: request.workflowName, workflowVersion: request.workflowVersion }));
    let token;
    try {
      token = (await this.clients.ecr(region).send(new GetAuthorizationTokenCommand({}))).authorizationData?.[0];
    } catch (error) {
      throw new CaribouError(`Could not get an ECR login for ${region}: ${describeError(error)}`, { cause: error });
    }
    if (!token?.authorizationToken || !token.proxyEndpoint) throw new CaribouError(`ECR returned no login token for ${region}`);
    const [user, password] = Buffer.from(token.authorizationToken, 'base64').toString('utf8').split(':');
    await this.runDocker(['login', '--username', user ?? 'AWS', '--password-stdin', token.proxyEndpoint], 'login', password ?? '');
    await this.runDocker(['push', imageUri], 'push');
    return { kind: 'image', imageUri };
  }
}

function defaultRepositoryName(request: PackageRequest): string {
  return `${request.workflowName}-${request.workflowVersion.replace(/\./g, '_')}`.toLowerCase().replace(/[^a-z0-9._/-]/g, '-');
}
