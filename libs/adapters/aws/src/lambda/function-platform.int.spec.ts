import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import type { Artifact } from '@caribou/ports';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IamIdentityManager } from '../iam/identity-manager';
import { describeFunctionPlatformContract } from '../testing/contracts';
import { emulatorClients, uniqueSuffix } from '../testing/emulator';
import { handlerZipArtifact } from '../testing/zip';
import { LambdaArtifactCopier } from './artifact-copier';
import { LambdaFunctionInvoker } from './function-invoker';
import { LambdaEnvironment, LambdaFunctionPlatform } from './function-platform';

const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }] });

describeFunctionPlatformContract('AWS Lambda (zip)', async () => {
  const clients = emulatorClients();
  const platform = new LambdaFunctionPlatform(clients, { listPageSize: 2 });
  const roleName = `contract-role-${uniqueSuffix()}`;
  const identity = new IamIdentityManager(clients);
  const region = { provider: 'aws', region: 'eu-west-1' };
  return {
    platform,
    region,
    artifact: async () => handlerZipArtifact(),
    roleIdentifier: async () => (await identity.ensureRole(region, roleName, policy)).roleIdentifier,
    describe: async (r, name) => {
      const configuration = await platform.getConfiguration(r, name);
      if (!configuration) throw new Error(`${name} missing`);
      return configuration;
    },
    cleanup: async () => {
      await identity.removeRole(region, roleName);
      clients.destroy();
    },
  };
});

describe('LambdaFunctionPlatform on moto', () => {
  const clients = emulatorClients();
  const region = { provider: 'aws', region: 'us-east-2' };
  const identity = new IamIdentityManager(clients);
  const suffix = uniqueSuffix();
  const roleName = `platform-role-${suffix}`;
  let role: string;
  const spec = (functionName: string, artifact: Artifact = handlerZipArtifact()) => ({
    functionName,
    region,
    artifact,
    handler: 'first_function',
    entryPoint: true,
    environment: { USER_SETTING: 'x' },
    memoryMb: 1024,
    timeoutSeconds: 120,
    roleIdentifier: role,
  });

  beforeAll(async () => {
    role = (await identity.ensureRole(region, roleName, policy)).roleIdentifier;
  });

  afterAll(async () => {
    await identity.removeRole(region, roleName);
    clients.destroy();
  });

  it('creates a zip function on the Node.js runtime with the workflow function and entry flag in its environment', async () => {
    const platform = new LambdaFunctionPlatform(clients);
    const deployed = await platform.createOrUpdate(spec(`zip-${suffix}`));
    expect(deployed.functionIdentifier).toBe(`arn:aws:lambda:us-east-2:${await clients.accountId()}:function:caribou_zip-${suffix}`);
    const stored = await platform.getConfiguration(region, `zip-${suffix}`);
    expect(stored).toMatchObject({
      packageType: 'Zip',
      runtime: 'nodejs24.x',
      handler: 'index.handler',
      memoryMb: 1024,
      timeoutSeconds: 120,
      role,
      environment: { USER_SETTING: 'x', [LambdaEnvironment.workflowFunction]: 'first_function', [LambdaEnvironment.entryPoint]: 'true', [LambdaEnvironment.systemRegion]: 'us-west-2', [LambdaEnvironment.install]: 'caribou' },
    });
  });

  it('uses the configured runtime and handler file, and replaces code and configuration on update', async () => {
    const platform = new LambdaFunctionPlatform(clients, { runtime: 'nodejs22.x', handler: 'bundle.main' });
    const name = `custom-${suffix}`;
    await platform.createOrUpdate(spec(name));
    const before = await platform.getConfiguration(region, name);
    const newCode = handlerZipArtifact('export const main = async () => "v2";');
    await platform.createOrUpdate({ ...spec(name, newCode), entryPoint: false, memoryMb: 2048 });
    const after = await platform.getConfiguration(region, name);
    expect(after).toMatchObject({ runtime: 'nodejs22.x', handler: 'bundle.main', memoryMb: 2048 });
    expect(after?.environment[LambdaEnvironment.entryPoint]).toBe('false');
    expect(after?.codeSha256).toBe(Buffer.from(newCode.sha256, 'hex').toString('base64'));
    expect(after?.codeSha256).not.toBe(before?.codeSha256);
  });

  it('creates image functions as PackageType Image and refuses to switch package type', async () => {
    const platform = new LambdaFunctionPlatform(clients);
    const name = `image-${suffix}`;
    const imageUri = `${await clients.accountId()}.dkr.ecr.us-east-2.amazonaws.com/wf-0_0_1:abc`;
    await platform.createOrUpdate(spec(name, { kind: 'image', imageUri }));
    expect(await platform.getConfiguration(region, name)).toMatchObject({ packageType: 'Image', imageUri });
    await expect(platform.createOrUpdate(spec(name))).rejects.toThrow(`Lambda function caribou_${name} in us-east-2 is a Image package and cannot become Zip`);
  });

  it('refuses directory artifacts and missing zip files with the fix in the message', async () => {
    const platform = new LambdaFunctionPlatform(clients);
    await expect(platform.createOrUpdate(spec(`dir-${suffix}`, { kind: 'directory', path: '/tmp/bundle', sha256: 'x' }))).rejects.toThrow(
      /needs a zip or image package .* build with zip packaging/,
    );
    await expect(platform.createOrUpdate(spec(`nozip-${suffix}`, { kind: 'zip', path: '/nonexistent/function.zip', sha256: 'x' }))).rejects.toThrow(
      /Could not read the package \/nonexistent\/function.zip .* build the workflow again/,
    );
  });

  it('invokes functions asynchronously by name and by ARN', async () => {
    const platform = new LambdaFunctionPlatform(clients);
    const deployed = await platform.createOrUpdate(spec(`invoked-${suffix}`));
    const invoker = new LambdaFunctionInvoker(clients);
    await expect(invoker.invokeAsync(region, deployed.functionName, '{"payload":"hi"}')).resolves.toBeUndefined();
    await expect(invoker.invokeAsync(region, deployed.functionIdentifier, '{"payload":"hi"}')).resolves.toBeUndefined();
  });

  describe('LambdaArtifactCopier', () => {
    let server: Server;
    let served: Buffer;
    let requests = 0;
    const source = { region, functionName: `source-${suffix}` };
    let artifact: ReturnType<typeof handlerZipArtifact>;

    beforeAll(async () => {
      artifact = handlerZipArtifact('export const handler = async () => "copied";');
      served = readFileSync(artifact.path);
      await new LambdaFunctionPlatform(clients).createOrUpdate({ ...spec(source.functionName, artifact) });
      server = createServer((_request, response) => {
        requests += 1;
        response.end(served);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });

    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    // moto answers GetFunction with a code location on a host that does not exist
    // (awslambda-<region>-tasks.s3...), so the bytes are served from 127.0.0.1 instead.
    const toLocalServer: typeof fetch = (input, init) => {
      const url = new URL(String(input));
      expect(url.hostname).toContain('awslambda-us-east-2-tasks');
      return fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${url.pathname}`, init);
    };

    it('downloads the code from its Lambda code location, verifies it and caches it by hash', async () => {
      const cacheDir = mkdtempSync(join(tmpdir(), 'caribou-copier-'));
      const copier = new LambdaArtifactCopier(clients, { cacheDir, fetch: toLocalServer });
      requests = 0;
      const copied = await copier.copyToRegion(source, { provider: 'aws', region: 'eu-north-1' });
      expect(copied).toEqual({ kind: 'zip', path: join(cacheDir, `${artifact.sha256}.zip`), sha256: artifact.sha256 });
      expect(readFileSync((copied as { path: string }).path)).toEqual(served);
      await copier.copyToRegion(source, { provider: 'aws', region: 'eu-west-3' });
      expect(requests).toBe(1);

      const target = { provider: 'aws', region: 'eu-north-1' };
      const deployed = await new LambdaFunctionPlatform(clients).createOrUpdate({ ...spec(`copy-${suffix}`, copied), region: target });
      const inTarget = await clients.lambda('eu-north-1').send(new GetFunctionCommand({ FunctionName: clients.names.functionName(deployed.functionName) }));
      expect(inTarget.Configuration?.CodeSha256).toBe(Buffer.from(artifact.sha256, 'hex').toString('base64'));
    });

    it('uses a registered local package without downloading, in this process and in a later one on the same machine', async () => {
      const cacheDir = mkdtempSync(join(tmpdir(), 'caribou-copier-'));
      const copier = new LambdaArtifactCopier(clients, { cacheDir, fetch: toLocalServer });
      copier.registerLocalArtifact(artifact);
      requests = 0;
      expect(await copier.copyToRegion(source, { provider: 'aws', region: 'eu-north-1' })).toEqual(artifact);
      // A new copier (a later CLI process, e.g. run_deployment_migrator after deploy) finds it in the cache.
      const later = new LambdaArtifactCopier(clients, { cacheDir, fetch: toLocalServer });
      expect(await later.copyToRegion(source, { provider: 'aws', region: 'eu-north-1' })).toEqual({ ...artifact, path: join(cacheDir, `${artifact.sha256}.zip`) });
      expect(requests).toBe(0);
    });

    it('rejects downloaded bytes whose hash differs from what Lambda reports', async () => {
      const copier = new LambdaArtifactCopier(clients, { cacheDir: mkdtempSync(join(tmpdir(), 'caribou-copier-')), fetch: toLocalServer });
      const original = served;
      served = Buffer.from('tampered');
      try {
        await expect(copier.copyToRegion(source, { provider: 'aws', region: 'eu-north-1' })).rejects.toThrow(
          new RegExp(`has SHA-256 [0-9a-f]{64}, Lambda reports ${artifact.sha256}`),
        );
      } finally {
        served = original;
      }
    });

    it('names the function and region when the code location cannot be reached, after asking for a fresh URL', async () => {
      let attempts = 0;
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const closedPort = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const refused: typeof fetch = async () => {
        attempts += 1;
        return fetch(`http://127.0.0.1:${closedPort}/`);
      };
      const copier = new LambdaArtifactCopier(clients, { cacheDir: mkdtempSync(join(tmpdir(), 'caribou-copier-')), fetch: refused });
      await expect(copier.copyToRegion(source, { provider: 'aws', region: 'eu-north-1' })).rejects.toThrow(
        new RegExp(`Could not download the code of ${source.functionName} from its Lambda code location in us-east-2: .*ECONNREFUSED`),
      );
      expect(attempts).toBe(2);
    });

    it('says which function is missing', async () => {
      const copier = new LambdaArtifactCopier(clients);
      await expect(copier.copyToRegion({ region, functionName: `absent-${suffix}` }, { provider: 'aws', region: 'eu-north-1' })).rejects.toThrow(
        `Cannot copy absent-${suffix}: it does not exist in us-east-2; deploy the workflow again`,
      );
    });
  });
});
