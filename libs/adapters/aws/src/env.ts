import type { AwsAdapterConfig } from './client-cache';

/** Environment variables that configure the AWS provider (CLI, remote framework and function runtime alike). */
export const AwsEnvironment = {
  /** Endpoint of an emulator (moto, LocalStack) for every service. */
  endpoint: 'CARIBOU_AWS_ENDPOINT',
  /** Region of the framework tables, the remote framework and its timers (default us-west-2). */
  systemRegion: 'CARIBOU_SYSTEM_REGION',
} as const;

/** The adapter configuration the environment asks for; unset variables keep the defaults. */
export function awsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AwsAdapterConfig {
  const config: AwsAdapterConfig = {};
  const endpoint = env[AwsEnvironment.endpoint]?.trim();
  if (endpoint) config.endpoint = endpoint;
  const systemRegion = env[AwsEnvironment.systemRegion]?.trim();
  if (systemRegion) config.systemRegion = systemRegion;
  return config;
}
