import { readFile } from 'node:fs/promises';
import { CaribouError, checkGoogleRuntime, DEFAULT_GOOGLE_RUNTIME, type ProviderRegion } from '@caribou/domain-common';
import type { DeployedFunction, FunctionPlatform, FunctionSpec } from '@caribou/ports';
import type { GcpClients } from '../config';
import { gcpFunctionEnvironment } from '../function-environment';
import { functionResourceName, googleFunctionId, parseFunctionResourceName } from '../names';
import type { PubSubFunctionTopics } from '../pubsub/function-topics';
import { GCP_ENTRY_POINT } from '../runtime/entry';
import { isGoogleApiError, type GoogleRestClient } from './rest-client';

/** Set on every function copy: our physical name, which its (lossy) Cloud Run id cannot give back. */
export const FUNCTION_NAME_VARIABLE = 'CARIBOU_FUNCTION_NAME';

/** The Cloud Functions v2 `Function` fields the platform reads. */
export interface CloudFunction {
  name: string;
  buildConfig?: { runtime?: string; entryPoint?: string; source?: { storageSource?: { bucket: string; object: string } } };
  serviceConfig?: { uri?: string; availableMemory?: string; timeoutSeconds?: number; environmentVariables?: Record<string, string>; serviceAccountEmail?: string };
  state?: string;
}

/** The fields a deploy sets, as `updateMask` paths: an update replaces exactly these. */
const UPDATE_MASK = [
  'buildConfig.runtime',
  'buildConfig.entryPoint',
  'buildConfig.source',
  'serviceConfig.availableMemory',
  'serviceConfig.timeoutSeconds',
  'serviceConfig.environmentVariables',
  'serviceConfig.serviceAccountEmail',
].join(',');

/**
 * Cloud Run functions (the Cloud Functions v2 API): each copy is created from the esbuild
 * bundle's zip, uploaded to the URL `generateUploadUrl` signs, built with `nodejs22`/`nodejs24`
 * and run as the function's own service account. After the function, its Pub/Sub topic and
 * push subscription (to the function's URL) are created: that is how other functions call it.
 */
export class CloudRunFunctionPlatform implements FunctionPlatform {
  constructor(
    private readonly clients: Pick<GcpClients, 'projectId' | 'systemRegion'>,
    private readonly rest: GoogleRestClient,
    private readonly topics: PubSubFunctionTopics,
    private readonly clock: { now(): number },
  ) {}

  private parent(region: ProviderRegion): string {
    return `projects/${this.clients.projectId}/locations/${region.region}`;
  }

  private resourceName(region: ProviderRegion, functionName: string): string {
    return functionResourceName(this.clients.projectId, region.region, googleFunctionId(functionName));
  }

  /** The function as Cloud Functions describes it, undefined when it does not exist. */
  async describe(region: ProviderRegion, functionName: string): Promise<CloudFunction | undefined> {
    try {
      return await this.rest.request<CloudFunction>('functions', 'GET', `/v2/${this.resourceName(region, functionName)}`);
    } catch (error) {
      if (isGoogleApiError(error, 404)) return undefined;
      throw error;
    }
  }

  async createOrUpdate(spec: FunctionSpec): Promise<DeployedFunction> {
    if (spec.artifact.kind !== 'zip') {
      throw new CaribouError(`Cloud Run functions deploy zip packages of the bundle; got a ${spec.artifact.kind} package for ${spec.functionName} (packaging: image is for aws only)`);
    }
    const runtime = checkGoogleRuntime(spec.runtime ?? DEFAULT_GOOGLE_RUNTIME, this.clock.now(), `runtime of ${spec.functionName}`).runtime.id;
    const functionId = googleFunctionId(spec.functionName);
    const name = this.resourceName(spec.region, spec.functionName);
    const bytes = await readFile(spec.artifact.path);
    const upload = await this.rest.request<{ uploadUrl: string; storageSource: { bucket: string; object: string } }>(
      'functions',
      'POST',
      `/v2/${this.parent(spec.region)}/functions:generateUploadUrl`,
      {},
    );
    await this.rest.upload(upload.uploadUrl, bytes);
    const body = {
      buildConfig: { runtime, entryPoint: GCP_ENTRY_POINT, source: { storageSource: upload.storageSource } },
      serviceConfig: {
        availableMemory: `${spec.memoryMb}Mi`,
        timeoutSeconds: spec.timeoutSeconds,
        environmentVariables: { ...gcpFunctionEnvironment(spec, this.clients), [FUNCTION_NAME_VARIABLE]: spec.functionName },
        serviceAccountEmail: spec.roleIdentifier,
      },
    };
    const existing = await this.describe(spec.region, spec.functionName);
    const operation = existing
      ? await this.rest.request<{ name: string; done?: boolean }>('functions', 'PATCH', `/v2/${name}?updateMask=${encodeURIComponent(UPDATE_MASK)}`, body)
      : await this.rest.request<{ name: string; done?: boolean }>('functions', 'POST', `/v2/${this.parent(spec.region)}/functions?functionId=${functionId}`, body);
    const deployed = await this.rest.waitForOperation<CloudFunction>('functions', operation, `${existing ? 'Updating' : 'Creating'} Cloud Run function ${functionId} in ${spec.region.region}`);
    const uri = deployed.serviceConfig?.uri ?? (await this.describe(spec.region, spec.functionName))?.serviceConfig?.uri;
    if (!uri) throw new CaribouError(`Cloud Run function ${functionId} in ${spec.region.region} has no URL after its deploy; check it with gcloud functions describe`);
    await this.topics.ensure({
      functionIdentifier: name,
      pushEndpoint: uri,
      ackDeadlineSeconds: Math.min(600, Math.max(10, spec.timeoutSeconds)),
      pushServiceAccount: spec.roleIdentifier,
    });
    return { functionName: spec.functionName, region: spec.region, functionIdentifier: name };
  }

  async exists(region: ProviderRegion, functionName: string): Promise<boolean> {
    return (await this.describe(region, functionName)) !== undefined;
  }

  async remove(region: ProviderRegion, functionName: string): Promise<void> {
    const name = this.resourceName(region, functionName);
    try {
      const operation = await this.rest.request<{ name: string; done?: boolean }>('functions', 'DELETE', `/v2/${name}`);
      await this.rest.waitForOperation('functions', operation, `Deleting Cloud Run function ${parseFunctionResourceName(name)?.functionId} in ${region.region}`);
    } catch (error) {
      if (!isGoogleApiError(error, 404)) throw error;
    }
    await this.topics.remove(name);
  }

  /** Our functions in the region: those carrying CARIBOU_FUNCTION_NAME, by that name. */
  async list(region: ProviderRegion): Promise<string[]> {
    return (await this.listOurs(this.parent(region))).map((copy) => copy.functionName);
  }

  /** Our function copies in every region of the project (`locations/-`), by Cloud Run id. */
  async copies(): Promise<Map<string, { region: string; functionName: string }>> {
    const copies = await this.listOurs(`projects/${this.clients.projectId}/locations/-`);
    return new Map(copies.map((copy) => [copy.functionId, copy]));
  }

  private async listOurs(parent: string): Promise<Array<{ functionId: string; region: string; functionName: string }>> {
    const found: Array<{ functionId: string; region: string; functionName: string }> = [];
    let pageToken: string | undefined;
    do {
      const query = `pageSize=1000${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`;
      const page = await this.rest.request<{ functions?: CloudFunction[]; nextPageToken?: string }>('functions', 'GET', `/v2/${parent}/functions?${query}`);
      for (const fn of page.functions ?? []) {
        const ours = fn.serviceConfig?.environmentVariables?.[FUNCTION_NAME_VARIABLE];
        const parsed = parseFunctionResourceName(fn.name);
        if (ours && parsed) found.push({ functionId: parsed.functionId, region: parsed.region, functionName: ours });
      }
      pageToken = page.nextPageToken;
    } while (pageToken);
    return found;
  }
}
