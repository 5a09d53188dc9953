import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaribouError, type ProviderRegion } from '@caribou/domain-common';
import type { Artifact, ArtifactCopier } from '@caribou/ports';
import type { GcpClients } from '../config';
import { functionResourceName, googleFunctionId } from '../names';
import { isGoogleApiError, type GoogleRestClient } from './rest-client';

/**
 * A copy in another region is a new Cloud Run function built from the same source: the
 * stored source archive of the deployed copy (Cloud Functions' `generateDownloadUrl`) is
 * downloaded once per content and given to the platform, which uploads it in the target
 * region (upload buckets are regional).
 */
export class CloudRunArtifactCopier implements ArtifactCopier {
  private readonly cacheDir: string;

  constructor(
    private readonly clients: Pick<GcpClients, 'projectId'>,
    private readonly rest: GoogleRestClient,
    options: { cacheDir?: string } = {},
  ) {
    this.cacheDir = options.cacheDir ?? join(tmpdir(), 'caribou-gcp-artifacts');
  }

  async copyToRegion(source: { region: ProviderRegion; functionName: string }, _target: ProviderRegion): Promise<Artifact> {
    const name = functionResourceName(this.clients.projectId, source.region.region, googleFunctionId(source.functionName));
    let downloadUrl: string | undefined;
    try {
      ({ downloadUrl } = await this.rest.request<{ downloadUrl?: string }>('functions', 'POST', `/v2/${name}:generateDownloadUrl`, {}));
    } catch (error) {
      if (isGoogleApiError(error, 404)) throw new CaribouError(`Cannot copy ${source.functionName}: it does not exist in ${source.region.region}; deploy the workflow again`, { cause: error });
      throw error;
    }
    if (!downloadUrl) throw new CaribouError(`Cloud Functions gave no download URL for the source of ${source.functionName} in ${source.region.region}`);
    const bytes = await this.rest.download(downloadUrl);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const path = join(this.cacheDir, `${sha256}.zip`);
    if (!existsSync(path)) {
      await mkdir(this.cacheDir, { recursive: true });
      const staging = `${path}.${process.pid}.tmp`;
      await writeFile(staging, bytes);
      await rename(staging, path);
    }
    return { kind: 'zip', path, sha256 };
  }
}
