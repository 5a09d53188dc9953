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

/**
 * True unless the suite runs on moto: for `it.skipIf(notMoto())` on a test that shows one of
 * moto's gaps (it runs no Lambda code, implements no ECR layer upload), which another emulator
 * (LocalStack) does not have. Such tests say "moto-only" in their name.
 */
export function notMoto(): boolean {
  return inject('awsEmulatorKind') !== 'moto';
}

/** Unique, valid resource-name suffix for one test file run. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}
