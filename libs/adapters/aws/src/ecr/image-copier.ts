import { createHash } from 'node:crypto';
import {
  BatchCheckLayerAvailabilityCommand,
  BatchGetImageCommand,
  CompleteLayerUploadCommand,
  CreateRepositoryCommand,
  GetDownloadUrlForLayerCommand,
  InitiateLayerUploadCommand,
  PutImageCommand,
  UploadLayerPartCommand,
} from '@aws-sdk/client-ecr';
import { CaribouError } from '@caribou/domain-common';
import type { AwsClients } from '../config';
import { tagList } from '../install/install-namespace';
import { describeError, isAwsError } from '../errors';
import { formatEcrImageUri, IMAGE_MANIFEST_TYPES, parseEcrImageUri, parseImageManifest, type EcrImageReference } from './image-reference';

export interface EcrImageCopierOptions {
  /** HTTP client for layer download URLs (proxies, tests). Default global fetch. */
  fetch?: typeof fetch;
  /** Upload part size when ECR does not say. Default 20 MiB. */
  partSizeBytes?: number;
}

export interface StoredManifest {
  manifest: string;
  mediaType: string;
}

/**
 * Copies a container image to another region with the ECR API only (no Docker, no crane,
 * so it also runs inside Lambda): read the manifest, upload the blobs the target lacks
 * (streamed from the source's presigned layer URLs, digest-checked), then put the
 * identical manifest under the same tag. The target repository is created when missing.
 */
export class EcrImageCopier {
  constructor(
    private readonly clients: AwsClients,
    private readonly options: EcrImageCopierOptions = {},
  ) {}

  /** The reference's naming: the target repository is the source one with the region replaced. */
  static targetRepository(source: EcrImageReference, targetRegion: string): string {
    return source.repository.split(source.region).join(targetRegion);
  }

  /** Creates the repository, tagged with `tags` (default: the install's), unless it exists. */
  async ensureRepository(region: string, repository: string, tags: Record<string, string> = this.clients.names.tags()): Promise<void> {
    try {
      await this.clients.ecr(region).send(new CreateRepositoryCommand({ repositoryName: repository, tags: tagList(tags) }));
    } catch (error) {
      if (isAwsError(error, 'RepositoryAlreadyExistsException')) return;
      throw new CaribouError(`Could not create ECR repository ${repository} in ${region}: ${describeError(error)}`, { cause: error });
    }
  }

  async readManifest(image: EcrImageReference): Promise<StoredManifest> {
    const imageId = image.digest ? { imageDigest: image.digest } : { imageTag: image.tag ?? 'latest' };
    let result;
    try {
      result = await this.clients.ecr(image.region).send(
        new BatchGetImageCommand({
          registryId: image.registryId,
          repositoryName: image.repository,
          imageIds: [imageId],
          acceptedMediaTypes: IMAGE_MANIFEST_TYPES,
        }),
      );
    } catch (error) {
      throw new CaribouError(`Could not read the manifest of ${formatEcrImageUri(image)}: ${describeError(error)}`, { cause: error });
    }
    const found = result.images?.[0];
    if (!found?.imageManifest) {
      const reason = result.failures?.[0]?.failureReason ?? 'not found';
      throw new CaribouError(`Image ${formatEcrImageUri(image)} cannot be copied: ${reason}; deploy the workflow again to push it`);
    }
    return { manifest: found.imageManifest, mediaType: found.imageManifestMediaType ?? parseImageManifest(found.imageManifest).mediaType };
  }

  async putManifest(target: EcrImageReference, stored: StoredManifest): Promise<void> {
    try {
      await this.clients.ecr(target.region).send(
        new PutImageCommand({
          registryId: target.registryId,
          repositoryName: target.repository,
          imageManifest: stored.manifest,
          imageManifestMediaType: stored.mediaType,
          ...(target.tag ? { imageTag: target.tag } : {}),
        }),
      );
    } catch (error) {
      // Same manifest under the same tag: a previous copy got there first.
      if (isAwsError(error, 'ImageAlreadyExistsException')) return;
      throw new CaribouError(`Could not put the manifest of ${formatEcrImageUri(target)}: ${describeError(error)}`, { cause: error });
    }
  }

  /** Uploads every blob of the manifest the target repository does not have yet; returns the digests uploaded. */
  async copyBlobs(source: EcrImageReference, target: EcrImageReference, stored: StoredManifest): Promise<string[]> {
    const { blobs } = parseImageManifest(stored.manifest, stored.mediaType);
    const targetEcr = this.clients.ecr(target.region);
    let availability;
    try {
      availability = await targetEcr.send(
        new BatchCheckLayerAvailabilityCommand({ registryId: target.registryId, repositoryName: target.repository, layerDigests: blobs.map((blob) => blob.digest) }),
      );
    } catch (error) {
      throw new CaribouError(`Could not check which layers ${target.repository} in ${target.region} has (BatchCheckLayerAvailability): ${describeError(error)}`, {
        cause: error,
      });
    }
    const present = new Set((availability.layers ?? []).filter((layer) => layer.layerAvailability === 'AVAILABLE').map((layer) => layer.layerDigest));
    const uploaded: string[] = [];
    for (const blob of blobs) {
      if (present.has(blob.digest)) continue;
      await this.copyBlob(source, target, blob.digest);
      uploaded.push(blob.digest);
    }
    return uploaded;
  }

  private async copyBlob(source: EcrImageReference, target: EcrImageReference, digest: string): Promise<void> {
    const where = `layer ${digest.slice(0, 19)} of ${source.repository} (${source.region} → ${target.region})`;
    const sourceEcr = this.clients.ecr(source.region);
    const targetEcr = this.clients.ecr(target.region);
    try {
      const { downloadUrl } = await sourceEcr.send(
        new GetDownloadUrlForLayerCommand({ registryId: source.registryId, repositoryName: source.repository, layerDigest: digest }),
      );
      if (!downloadUrl) throw new Error('ECR returned no download URL');
      const response = await (this.options.fetch ?? fetch)(downloadUrl);
      if (!response.ok || !response.body) throw new Error(`download answered HTTP ${response.status}`);
      const upload = await targetEcr.send(new InitiateLayerUploadCommand({ registryId: target.registryId, repositoryName: target.repository }));
      if (!upload.uploadId) throw new Error('ECR returned no upload id');
      const partSize = upload.partSize && upload.partSize > 0 ? upload.partSize : (this.options.partSizeBytes ?? 20 * 1024 * 1024);
      const hash = createHash('sha256');
      let offset = 0;
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      const flush = async (): Promise<void> => {
        if (pendingBytes === 0) return;
        const part = Buffer.concat(pending, pendingBytes);
        await targetEcr.send(
          new UploadLayerPartCommand({
            registryId: target.registryId,
            repositoryName: target.repository,
            uploadId: upload.uploadId,
            partFirstByte: offset,
            partLastByte: offset + part.byteLength - 1,
            layerPartBlob: part,
          }),
        );
        offset += part.byteLength;
        pending = [];
        pendingBytes = 0;
      };
      // Stream the layer: at most one part is held in memory (layers can be hundreds of MB).
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        hash.update(chunk);
        let rest = Buffer.from(chunk);
        while (pendingBytes + rest.byteLength >= partSize) {
          const take = partSize - pendingBytes;
          pending.push(rest.subarray(0, take));
          pendingBytes += take;
          rest = rest.subarray(take);
          await flush();
        }
        if (rest.byteLength > 0) {
          pending.push(rest);
          pendingBytes += rest.byteLength;
        }
      }
      await flush();
      const actual = `sha256:${hash.digest('hex')}`;
      if (actual !== digest) throw new Error(`downloaded bytes have digest ${actual}`);
      try {
        await targetEcr.send(
          new CompleteLayerUploadCommand({ registryId: target.registryId, repositoryName: target.repository, uploadId: upload.uploadId, layerDigests: [digest] }),
        );
      } catch (error) {
        if (!isAwsError(error, 'LayerAlreadyExistsException')) throw error;
      }
    } catch (error) {
      throw new CaribouError(`Could not copy ${where}: ${describeError(error)}`, { cause: error });
    }
  }

  /** Copies the image to `targetRegion` (same account and tag) and returns the new image URI. */
  async copyImage(sourceUri: string, targetRegion: string, targetRepository?: string): Promise<string> {
    const source = parseEcrImageUri(sourceUri);
    const target: EcrImageReference = {
      registryId: source.registryId,
      region: targetRegion,
      repository: targetRepository ?? EcrImageCopier.targetRepository(source, targetRegion),
      tag: source.tag ?? 'latest',
    };
    if (source.region === target.region && source.repository === target.repository) return formatEcrImageUri({ ...source });
    await this.ensureRepository(target.region, target.repository);
    const stored = await this.readManifest(source);
    await this.copyBlobs(source, target, stored);
    await this.putManifest(target, stored);
    return formatEcrImageUri(target);
  }
}
