import { describe, expect, it } from 'vitest';
import { formatEcrImageUri, parseEcrImageUri, parseImageManifest } from './image-reference';

const digest = (char: string) => `sha256:${char.repeat(64)}`;

describe('ECR image references', () => {
  it('parses tags, digests and the implicit latest tag', () => {
    expect(parseEcrImageUri('123456789012.dkr.ecr.us-east-1.amazonaws.com/wf-0_0_1:abc123')).toEqual({
      registryId: '123456789012',
      region: 'us-east-1',
      repository: 'wf-0_0_1',
      tag: 'abc123',
    });
    expect(parseEcrImageUri(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app@${digest('a')}`)).toEqual({
      registryId: '123456789012',
      region: 'eu-west-1',
      repository: 'team/app',
      digest: digest('a'),
    });
    expect(parseEcrImageUri('123456789012.dkr.ecr.eu-west-1.amazonaws.com/app').tag).toBe('latest');
    expect(formatEcrImageUri(parseEcrImageUri('123456789012.dkr.ecr.us-east-1.amazonaws.com/wf:v1'))).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com/wf:v1');
  });

  it('rejects URIs of other registries', () => {
    expect(() => parseEcrImageUri('docker.io/library/node:20')).toThrow("'docker.io/library/node:20' is not an ECR image URI");
  });

  it('lists config and layer blobs of Docker v2 and OCI manifests, config first', () => {
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digest('c'), size: 10 },
      layers: [
        { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: digest('1'), size: 100 },
        { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: digest('2'), size: 200 },
      ],
    });
    expect(parseImageManifest(manifest)).toEqual({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      blobs: [
        { digest: digest('c'), size: 10 },
        { digest: digest('1'), size: 100 },
        { digest: digest('2'), size: 200 },
      ],
    });
  });

  it('refuses multi-platform indexes with the build flags that avoid them', () => {
    const index = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] });
    expect(() => parseImageManifest(index)).toThrow('build it with --platform linux/amd64 --provenance=false');
  });
});
