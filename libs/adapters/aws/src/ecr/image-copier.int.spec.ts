import { BatchGetImageCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorClients, notMoto, uniqueSuffix } from '../testing/emulator';
import { EcrImageCopier } from './image-copier';
import { parseEcrImageUri } from './image-reference';

const digest = (char: string) => `sha256:${char.repeat(64)}`;
const manifest = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
  config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 1470, digest: digest('c') },
  layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 2811478, digest: digest('1') }],
});

describe('EcrImageCopier on moto', () => {
  const clients = emulatorClients();
  const copier = new EcrImageCopier(clients);
  const suffix = uniqueSuffix();
  const repository = `wf-${suffix}-fn_aws-us-east-1`;
  // The emulator's account, from STS (moto's and LocalStack's differ).
  let account: string;
  let sourceUri: string;

  beforeAll(async () => {
    account = await clients.accountId();
    sourceUri = `${account}.dkr.ecr.us-east-1.amazonaws.com/${repository}:v1`;
  });

  afterAll(() => clients.destroy());

  it('reads a manifest and puts it, byte for byte and under the same tag, into a repository it creates in the target region', async () => {
    await copier.ensureRepository('us-east-1', repository);
    await copier.ensureRepository('us-east-1', repository);
    await clients.ecr('us-east-1').send(new PutImageCommand({ repositoryName: repository, imageManifest: manifest, imageTag: 'v1' }));

    const source = parseEcrImageUri(sourceUri);
    const stored = await copier.readManifest(source);
    expect(stored).toEqual({ manifest, mediaType: 'application/vnd.docker.distribution.manifest.v2+json' });

    const targetRepository = EcrImageCopier.targetRepository(source, 'eu-central-1');
    expect(targetRepository).toBe(`wf-${suffix}-fn_aws-eu-central-1`);
    await copier.ensureRepository('eu-central-1', targetRepository);
    const target = { ...source, region: 'eu-central-1', repository: targetRepository };
    await copier.putManifest(target, stored);
    await copier.putManifest(target, stored);
    const copied = await clients
      .ecr('eu-central-1')
      .send(new BatchGetImageCommand({ repositoryName: targetRepository, imageIds: [{ imageTag: 'v1' }] }));
    expect(copied.images?.[0]?.imageManifest).toBe(manifest);
  });

  it('names the image when the source does not exist', async () => {
    await expect(copier.readManifest(parseEcrImageUri(`${account}.dkr.ecr.us-east-1.amazonaws.com/${repository}:missing`))).rejects.toThrow(
      new RegExp(`Image ${account}.dkr.ecr.us-east-1.amazonaws.com/${repository}:missing cannot be copied: .*deploy the workflow again to push it`),
    );
  });

  it.skipIf(notMoto())('moto-only: reports the layer API call that failed (moto implements no layer upload API)', async () => {
    await expect(copier.copyImage(sourceUri, 'ap-northeast-1')).rejects.toThrow(
      /Could not check which layers .*ap-northeast-1 has \(BatchCheckLayerAvailability\)/,
    );
  });
});
