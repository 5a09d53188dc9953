import type { Artifact, PackageBuilder, PackageRequest } from '@caribou/ports';
import type { ImagePackageBuilder } from '../ecr/image-package-builder';
import type { LambdaArtifactCopier } from './artifact-copier';

/**
 * How `deploy` packages a workflow for Lambda: a zip by default (no Docker needed), the same
 * bundle in a container image pushed to ECR for `packaging: image` (needs a Docker engine).
 * A zip is also registered with the copier, so migrations upload that file instead of
 * downloading the code again.
 */
export class LambdaPackageBuilder implements PackageBuilder {
  constructor(
    private readonly zips: PackageBuilder,
    private readonly images: ImagePackageBuilder,
    private readonly copier: LambdaArtifactCopier,
  ) {}

  async build(request: PackageRequest): Promise<Artifact> {
    if (request.packaging === 'image') return this.images.build({ ...request, packaging: 'zip' });
    const artifact = await this.zips.build(request);
    this.copier.registerLocalArtifact(artifact);
    return artifact;
  }
}
