import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteRepositoryCommand } from '@aws-sdk/client-ecr';
import { GetFunctionCommand, type GetFunctionCommandOutput } from '@aws-sdk/client-lambda';
import { CaribouError, type ProviderRegion } from '@caribou/domain-common';
import type { Artifact, ArtifactCopier } from '@caribou/ports';
import type { AwsClients } from '../config';
import type { EcrImageCopier } from '../ecr/image-copier';
import { parseEcrImageUri } from '../ecr/image-reference';
import { RELEASE_ALIAS } from './function-platform';
import { describeError, isAwsError } from '../errors';

export interface LambdaArtifactCopierOptions {
  /** Where downloaded packages are kept, named by their SHA-256. Default `<tmpdir>/caribou-artifacts`. */
  cacheDir?: string;
  /** HTTP client for the presigned code location (proxies, tests). Default global fetch. */
  fetch?: typeof fetch;
  /** Download timeout per attempt. Default 120 s. */
  downloadTimeoutMs?: number;
  /** Copies container images between regions; required only for image packages. */
  imageCopier?: EcrImageCopier;
}

const base64ToHex = (base64: string): string => Buffer.from(base64, 'base64').toString('hex');

/**
 * Makes a deployed function's code available for a deployment in another region.
 * Zip: Lambda's `GetFunction` code location (a presigned URL valid for 10 minutes) is
 * downloaded once per package and verified against Lambda's CodeSha256; every function
 * of a workflow shares one bundle, so the cache (and `registerLocalArtifact`, for the
 * package the deploy just built) usually makes this a lookup. Image: ECR API copy.
 */
export class LambdaArtifactCopier implements ArtifactCopier {
  private readonly cacheDir: string;
  private readonly known = new Map<string, string>();

  constructor(
    private readonly clients: AwsClients,
    private readonly options: LambdaArtifactCopierOptions = {},
  ) {
    this.cacheDir = options.cacheDir ?? join(tmpdir(), 'caribou-artifacts');
  }

  /** An image's ECR repository (its region and name); undefined for a zip, which Lambda keeps itself. */
  storeOf(artifact: Artifact): { region: ProviderRegion; name: string } | undefined {
    if (artifact.kind !== 'image') return undefined;
    const image = parseEcrImageUri(artifact.imageUri);
    return { region: { provider: 'aws', region: image.region }, name: image.repository };
  }

  /** Deletes an ECR repository with its images (`force`); a missing one is fine. */
  async removeStore(region: ProviderRegion, name: string): Promise<void> {
    try {
      await this.clients.ecr(region.region).send(new DeleteRepositoryCommand({ repositoryName: name, force: true }));
    } catch (error) {
      if (isAwsError(error, 'RepositoryNotFoundException')) return;
      throw new CaribouError(`Could not delete ECR repository ${name} in ${region.region}: ${describeError(error)}; check the credentials' ecr:DeleteRepository permission`, { cause: error });
    }
  }

  /**
   * A zip this machine already has (the deploy's own build): copies of the same code need no
   * download. It is also put in the cache directory, so a later process on this machine (a
   * `run_deployment_migrator` after `deploy`) finds it too.
   */
  registerLocalArtifact(artifact: Artifact): void {
    if (artifact.kind !== 'zip') return;
    const sha256 = artifact.sha256.toLowerCase();
    this.known.set(sha256, artifact.path);
    const cached = join(this.cacheDir, `${sha256}.zip`);
    if (existsSync(cached)) return;
    try {
      mkdirSync(this.cacheDir, { recursive: true });
      const staging = `${cached}.${process.pid}.tmp`;
      copyFileSync(artifact.path, staging);
      renameSync(staging, cached);
    } catch {
      // The cache only saves a download; the known path above serves this process either way.
    }
  }

  /** The live release (the alias' version: after a rollback $LATEST holds newer code), else $LATEST for a function without one. */
  private async getFunction(region: ProviderRegion, functionName: string): Promise<GetFunctionCommandOutput> {
    const client = this.clients.lambda(region.region);
    try {
      return await client.send(new GetFunctionCommand({ FunctionName: this.clients.names.functionName(functionName), Qualifier: RELEASE_ALIAS }));
    } catch (error) {
      if (!isAwsError(error, 'ResourceNotFoundException')) {
        throw new CaribouError(`Could not read Lambda function ${functionName} in ${region.region}: ${describeError(error)}`, { cause: error });
      }
    }
    try {
      return await client.send(new GetFunctionCommand({ FunctionName: this.clients.names.functionName(functionName) }));
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) {
        throw new CaribouError(`Cannot copy ${functionName}: it does not exist in ${region.region}; deploy the workflow again`, { cause: error });
      }
      throw new CaribouError(`Could not read Lambda function ${functionName} in ${region.region}: ${describeError(error)}`, { cause: error });
    }
  }

  async copyToRegion(source: { region: ProviderRegion; functionName: string }, target: ProviderRegion): Promise<Artifact> {
    const found = await this.getFunction(source.region, source.functionName);
    if (found.Configuration?.PackageType === 'Image') {
      const imageUri = found.Code?.ImageUri;
      if (!imageUri) throw new CaribouError(`Lambda reports no image URI for ${source.functionName} in ${source.region.region}`);
      if (!this.options.imageCopier) throw new CaribouError(`Copying the image package of ${source.functionName} needs an ECR image copier; configure packaging: image`);
      return { kind: 'image', imageUri: await this.options.imageCopier.copyImage(imageUri, target.region) };
    }
    const codeSha256 = found.Configuration?.CodeSha256;
    if (!codeSha256) throw new CaribouError(`Lambda reports no CodeSha256 for ${source.functionName} in ${source.region.region}`);
    const sha256 = base64ToHex(codeSha256);
    const local = await this.localCopy(sha256);
    if (local) return { kind: 'zip', path: local, sha256 };
    return { kind: 'zip', path: await this.download(source, found, sha256), sha256 };
  }

  private async localCopy(sha256: string): Promise<string | undefined> {
    for (const path of [this.known.get(sha256), join(this.cacheDir, `${sha256}.zip`)]) {
      if (!path || !existsSync(path)) continue;
      const bytes = await readFile(path);
      if (createHash('sha256').update(bytes).digest('hex') === sha256) return path;
    }
    return undefined;
  }

  private async download(source: { region: ProviderRegion; functionName: string }, found: GetFunctionCommandOutput, sha256: string): Promise<string> {
    const fetchImpl = this.options.fetch ?? fetch;
    let location = found.Code?.Location;
    let lastError = 'Lambda returned no code location';
    // Two attempts: a presigned URL may expire between GetFunction and the download; ask for a fresh one.
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      if (location) {
        try {
          const response = await fetchImpl(location, { signal: AbortSignal.timeout(this.options.downloadTimeoutMs ?? 120_000) });
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          const bytes = Buffer.from(await response.arrayBuffer());
          const actual = createHash('sha256').update(bytes).digest('hex');
          if (actual !== sha256) {
            throw new CaribouError(
              `The code downloaded for ${source.functionName} (${source.region.region}) has SHA-256 ${actual}, Lambda reports ${sha256}; deploy from the local package instead`,
            );
          }
          await mkdir(this.cacheDir, { recursive: true });
          const path = join(this.cacheDir, `${sha256}.zip`);
          const staging = `${path}.${process.pid}.tmp`;
          await writeFile(staging, bytes);
          await rename(staging, path);
          return path;
        } catch (error) {
          if (error instanceof CaribouError) throw error;
          lastError = describeError((error as { cause?: unknown }).cause ?? error);
        }
      }
      if (attempt === 1) location = (await this.getFunction(source.region, source.functionName)).Code?.Location;
    }
    throw new CaribouError(
      `Could not download the code of ${source.functionName} from its Lambda code location in ${source.region.region}: ${lastError}; deploy from the machine that holds the package`,
    );
  }
}
