import { CaribouError, isAwsRegionCode } from '@caribou/domain-common';
import type { AwsAdapterConfig } from './client-cache';
import { checkInstallName, INSTALL_VARIABLE } from './install/install-namespace';

/** Environment variables that configure the AWS provider (CLI, remote framework and function runtime alike). */
export const AwsEnvironment = {
  /** Endpoint of an emulator (moto, LocalStack) for every service. */
  endpoint: 'CARIBOU_AWS_ENDPOINT',
  /** Region of the framework tables, the remote framework and its timers (default us-west-2). */
  systemRegion: 'CARIBOU_SYSTEM_REGION',
  /** The install every resource belongs to (default `caribou`): its names' prefix and its tags. */
  install: INSTALL_VARIABLE,
} as const;

/** The adapter configuration the environment asks for; unset variables keep the defaults. */
export function awsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AwsAdapterConfig {
  const config: AwsAdapterConfig = {};
  const endpoint = env[AwsEnvironment.endpoint]?.trim();
  if (endpoint) config.endpoint = checkEndpoint(endpoint);
  const systemRegion = env[AwsEnvironment.systemRegion]?.trim();
  if (systemRegion) config.systemRegion = checkSystemRegion(systemRegion);
  const install = env[AwsEnvironment.install]?.trim();
  if (install) config.install = checkInstallName(install);
  return config;
}

/** The SDK fails on a malformed endpoint with a bare "Invalid URL" at the first request: say which variable, and how it should look. */
function checkEndpoint(endpoint: string): string {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new CaribouError(`${AwsEnvironment.endpoint}=${endpoint} is not an http(s) URL: set it to the emulator's address (e.g. http://127.0.0.1:5000), or unset it for AWS itself`);
  }
  return endpoint;
}

/** A region the SDK would turn into a host name that does not resolve (or, on an emulator, quietly accept): say so first. */
function checkSystemRegion(region: string): string {
  if (!isAwsRegionCode(region)) {
    throw new CaribouError(`${AwsEnvironment.systemRegion}=${region} is not an AWS region code: set it to the region of the framework tables, e.g. us-west-2 (the default), or unset it`);
  }
  return region;
}
