import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BatchCheckLayerAvailabilityCommand,
  BatchGetImageCommand,
  CompleteLayerUploadCommand,
  CreateRepositoryCommand,
  ECRClient,
  GetDownloadUrlForLayerCommand,
  InitiateLayerUploadCommand,
  PutImageCommand,
  RepositoryAlreadyExistsException,
  UploadLayerPartCommand,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsClients } from '../config';
import { EcrImageCopier } from './image-copier';

// moto implements none of the ECR layer API (BatchCheckLayerAvailability, GetDownloadUrlForLayer,
// InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload) and there is no Docker engine for
// LocalStack here, so the layer transfer is checked against a scripted ECR; the layer bytes
// themselves come over real HTTP from 127.0.0.1.
const ecr = mockClient(ECRClient);
const clients = new AwsClients({ systemRegion: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });

const blob = (text: string) => {
  const bytes = Buffer.from(text);
  return { bytes, digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}` };
};
const config = blob('{"architecture":"amd64","os":"linux"}');
const base = blob('base layer '.repeat(40));
const app = blob('application layer '.repeat(150));
const manifest = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config.digest, size: config.bytes.length },
  layers: [base, app].map((layer) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layer.digest, size: layer.bytes.length })),
});
const sourceUri = '123456789012.dkr.ecr.us-east-1.amazonaws.com/wf-0_0_1-f_aws-us-east-1:v7';

describe('EcrImageCopier layer transfer', () => {
  let server: Server;
  let served = new Map<string, Buffer>();

  beforeAll(async () => {
    server = createServer((request, response) => {
      const body = served.get(request.url ?? '');
      if (!body) {
        response.statusCode = 404;
        response.end();
        return;
      }
      response.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    ecr.reset();
    served = new Map([config, base, app].map((item) => [`/${item.digest}`, item.bytes]));
    const port = (server.address() as AddressInfo).port;
    ecr.on(CreateRepositoryCommand).rejects(new RepositoryAlreadyExistsException({ message: 'exists', $metadata: {} }));
    ecr.on(BatchGetImageCommand).resolves({ images: [{ imageManifest: manifest, imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json' }] });
    // The target already has the base layer (shared by every workflow image).
    ecr.on(BatchCheckLayerAvailabilityCommand).resolves({
      layers: [
        { layerDigest: config.digest, layerAvailability: 'UNAVAILABLE' },
        { layerDigest: base.digest, layerAvailability: 'AVAILABLE' },
        { layerDigest: app.digest, layerAvailability: 'UNAVAILABLE' },
      ],
    });
    ecr.on(GetDownloadUrlForLayerCommand).callsFake((input: { layerDigest: string }) => ({ downloadUrl: `http://127.0.0.1:${port}/${input.layerDigest}`, layerDigest: input.layerDigest }));
    ecr.on(InitiateLayerUploadCommand).resolves({ uploadId: 'upload-1', partSize: 1000 });
    ecr.on(UploadLayerPartCommand).resolves({});
    ecr.on(CompleteLayerUploadCommand).resolves({});
    ecr.on(PutImageCommand).resolves({});
  });

  it('uploads only the missing blobs, in parts of the size ECR asks for, then puts the same manifest and tag', async () => {
    const copied = await new EcrImageCopier(clients).copyImage(sourceUri, 'eu-west-1');
    expect(copied).toBe('123456789012.dkr.ecr.eu-west-1.amazonaws.com/wf-0_0_1-f_aws-eu-west-1:v7');

    const downloads = ecr.commandCalls(GetDownloadUrlForLayerCommand).map((call) => call.args[0].input.layerDigest);
    expect(downloads).toEqual([config.digest, app.digest]);
    const parts = ecr.commandCalls(UploadLayerPartCommand).map((call) => call.args[0].input);
    expect(parts.map((part) => [part.partFirstByte, part.partLastByte])).toEqual([
      [0, config.bytes.length - 1],
      [0, 999],
      [1000, 1999],
      [2000, app.bytes.length - 1],
    ]);
    expect(Buffer.concat(parts.slice(1).map((part) => Buffer.from(part.layerPartBlob!)))).toEqual(app.bytes);
    expect(ecr.commandCalls(CompleteLayerUploadCommand).map((call) => call.args[0].input.layerDigests)).toEqual([[config.digest], [app.digest]]);
    const put = ecr.commandCalls(PutImageCommand)[0]!.args[0].input;
    expect(put).toMatchObject({ repositoryName: 'wf-0_0_1-f_aws-eu-west-1', imageManifest: manifest, imageTag: 'v7', imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json' });
    // The target region's client did the writes, the source region's client the reads.
    expect(await ecr.commandCalls(PutImageCommand)[0]!.thisValue.config.region()).toBe('eu-west-1');
    expect(await ecr.commandCalls(GetDownloadUrlForLayerCommand)[0]!.thisValue.config.region()).toBe('us-east-1');
  });

  it('refuses a layer whose downloaded bytes do not match its digest, and puts no manifest', async () => {
    served.set(`/${app.digest}`, Buffer.from('corrupted'));
    await expect(new EcrImageCopier(clients).copyImage(sourceUri, 'eu-west-1')).rejects.toThrow(
      new RegExp(`Could not copy layer ${app.digest.slice(0, 19)} of wf-0_0_1-f_aws-us-east-1 \\(us-east-1 → eu-west-1\\): .*downloaded bytes have digest sha256:`),
    );
    expect(ecr.commandCalls(PutImageCommand)).toHaveLength(0);
  });
});
