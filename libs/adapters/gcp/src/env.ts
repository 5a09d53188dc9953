import { WORKFLOW_FUNCTION_VARIABLE } from '@caribou/sdk/runtime';
import type { GcpAdapterConfig } from './config';

/** Environment variables that configure the gcp provider (CLI and function runtime alike). */
export const GcpEnvironment = {
  /** Google Cloud project id (falls back to GOOGLE_CLOUD_PROJECT; optional with the emulators). */
  project: 'CARIBOU_GCP_PROJECT',
  /** Region of the framework tables (default us-west1). Shared name with the aws provider. */
  systemRegion: 'CARIBOU_SYSTEM_REGION',
  /** Google's own variables, honoured by the client libraries and by us. */
  firestoreEmulatorHost: 'FIRESTORE_EMULATOR_HOST',
  pubsubEmulatorHost: 'PUBSUB_EMULATOR_HOST',
  /** Base URL of a local fake of the control-plane REST APIs (tests); unset: Google's hosts with Application Default Credentials. */
  apiEndpoint: 'CARIBOU_GCP_API_ENDPOINT',
} as const;

/** Set by the platform on every function copy for the functions-framework runtime. */
export const GcpFunctionEnvironment = {
  /** The workflow function (decorator name) this Cloud Run function runs. */
  workflowFunction: WORKFLOW_FUNCTION_VARIABLE,
  /** `true` on the entry point, `false` elsewhere. */
  entryPoint: 'CARIBOU_ENTRY_POINT',
  /** The region this copy runs in (Cloud Run sets no such variable). */
  region: 'CARIBOU_GCP_REGION',
} as const;

export function gcpConfigFromEnv(env: NodeJS.ProcessEnv = process.env): GcpAdapterConfig {
  const config: GcpAdapterConfig = {};
  const read = (name: string): string | undefined => env[name]?.trim() || undefined;
  const projectId = read(GcpEnvironment.project) ?? read('GOOGLE_CLOUD_PROJECT');
  if (projectId) config.projectId = projectId;
  const systemRegion = read(GcpEnvironment.systemRegion);
  if (systemRegion) config.systemRegion = systemRegion;
  const firestore = read(GcpEnvironment.firestoreEmulatorHost);
  if (firestore) config.firestoreEmulatorHost = firestore;
  const pubsub = read(GcpEnvironment.pubsubEmulatorHost);
  if (pubsub) config.pubsubEmulatorHost = pubsub;
  const apiEndpoint = read(GcpEnvironment.apiEndpoint);
  if (apiEndpoint) config.apiEndpoint = apiEndpoint;
  return config;
}
