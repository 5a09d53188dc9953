import { inject } from 'vitest';
import { AwsClients, type AwsAdapterConfig } from '../config';

/** Test support: clients for the integration project's emulator (moto or LocalStack); the account id comes from STS, as on AWS. */
export function emulatorConfig(overrides: AwsAdapterConfig = {}): AwsAdapterConfig {
  return {
    endpoint: inject('awsEndpoint'),
    credentials: { accessKeyId: 'caribou-test', secretAccessKey: 'caribou-test' },
    ...overrides,
  };
}

export function emulatorClients(overrides: AwsAdapterConfig = {}): AwsClients {
  return new AwsClients(emulatorConfig(overrides));
}

/** Unique, valid resource-name suffix for one test file run. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}
