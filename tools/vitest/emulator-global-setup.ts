import type { TestProject } from 'vitest/node';
import { startAwsEmulator, type RunningEmulator } from '../emulator/aws-emulator';

declare module 'vitest' {
  export interface ProvidedContext {
    awsEndpoint: string;
    awsEmulatorKind: 'moto' | 'localstack';
  }
}

let emulator: RunningEmulator | undefined;

/** Starts one AWS emulator for the whole integration project and shares its endpoint. */
export async function setup(project: TestProject): Promise<void> {
  emulator = await startAwsEmulator();
  project.provide('awsEndpoint', emulator.endpoint);
  project.provide('awsEmulatorKind', emulator.kind);
}

export async function teardown(): Promise<void> {
  await emulator?.stop();
}
