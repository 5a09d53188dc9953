import { CaribouError } from '@caribou/domain-common';

/** `<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:<tag>|@<digest>]`, parsed. */
export interface EcrImageReference {
  registryId: string;
  region: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9._\/-]+?)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[0-9a-f]{64}))?$/;

export function parseEcrImageUri(uri: string): EcrImageReference {
  const match = ECR_IMAGE.exec(uri);
  if (!match) throw new CaribouError(`'${uri}' is not an ECR image URI (<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>)`);
  const reference: EcrImageReference = { registryId: match[1]!, region: match[2]!, repository: match[3]! };
  if (match[4]) reference.tag = match[4];
  if (match[5]) reference.digest = match[5];
  if (!reference.tag && !reference.digest) reference.tag = 'latest';
  return reference;
}

export function formatEcrImageUri(reference: EcrImageReference): string {
  const base = `${reference.registryId}.dkr.ecr.${reference.region}.amazonaws.com/${reference.repository}`;
  if (reference.tag) return `${base}:${reference.tag}`;
  return `${base}@${reference.digest}`;
}

/** Media types of single-platform manifests Lambda runs. */
export const IMAGE_MANIFEST_TYPES = ['application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.oci.image.manifest.v1+json'];
const INDEX_TYPES = ['application/vnd.docker.distribution.manifest.list.v2+json', 'application/vnd.oci.image.index.v1+json'];

export interface ImageManifest {
  mediaType: string;
  /** Digests of the config blob and every layer, config first. */
  blobs: Array<{ digest: string; size: number }>;
}

/** Reads the blobs an image manifest references; an index (multi-platform image) is refused, as Lambda refuses it. */
export function parseImageManifest(manifestJson: string, declaredMediaType?: string): ImageManifest {
  let manifest: { mediaType?: string; schemaVersion?: number; config?: { digest?: string; size?: number }; layers?: Array<{ digest?: string; size?: number }>; manifests?: unknown };
  try {
    manifest = JSON.parse(manifestJson);
  } catch {
    throw new CaribouError('The image manifest is not JSON; push the image again');
  }
  const mediaType = declaredMediaType ?? manifest.mediaType ?? IMAGE_MANIFEST_TYPES[1]!;
  if (INDEX_TYPES.includes(mediaType) || manifest.manifests !== undefined) {
    throw new CaribouError('The image is a multi-platform index, which Lambda cannot run; build it with --platform linux/amd64 --provenance=false');
  }
  if (manifest.schemaVersion !== 2 || !manifest.config?.digest || !Array.isArray(manifest.layers)) {
    throw new CaribouError(`Unsupported image manifest (schemaVersion ${manifest.schemaVersion}, media type ${mediaType}); push a Docker v2 or OCI image`);
  }
  const blobs = [manifest.config, ...manifest.layers].map((blob) => {
    if (!blob.digest || !/^sha256:[0-9a-f]{64}$/.test(blob.digest)) throw new CaribouError(`The image manifest names a blob without a sha256 digest (${blob.digest})`);
    return { digest: blob.digest, size: blob.size ?? 0 };
  });
  return { mediaType, blobs };
}
