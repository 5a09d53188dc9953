import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaribouWorkflow } from '@caribou/sdk';
import { awsConfigFromEnv } from '../env';
import { createLambdaHandler, readCpuModel } from './lambda-runtime';

describe('the Lambda runtime', () => {
  it('reads the CPU model from cpuinfo, and says unknown without one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'caribou-cpuinfo-'));
    writeFileSync(join(dir, 'cpuinfo'), 'processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Processor @ 2.50GHz\nflags\t: fpu\n');
    expect(readCpuModel(join(dir, 'cpuinfo'))).toBe('Intel(R) Xeon(R) Processor @ 2.50GHz');
    writeFileSync(join(dir, 'arm'), 'processor\t: 0\nBogoMIPS\t: 243.75\n');
    expect(readCpuModel(join(dir, 'arm'))).toBe('unknown');
    expect(readCpuModel(join(dir, 'absent'))).toBe('unknown');
  });

  it('takes the endpoint and the system region from the environment', () => {
    expect(awsConfigFromEnv({})).toEqual({});
    expect(awsConfigFromEnv({ CARIBOU_AWS_ENDPOINT: 'http://127.0.0.1:5000', CARIBOU_SYSTEM_REGION: 'eu-west-1' })).toEqual({
      endpoint: 'http://127.0.0.1:5000',
      systemRegion: 'eu-west-1',
    });
  });

  it('names what is missing when it runs outside a deployed function', async () => {
    const workflow = new CaribouWorkflow({ name: 'wf', version: '0.0.1' });
    await expect(createLambdaHandler(workflow, { env: { CARIBOU_WORKFLOW_FUNCTION: 'f' } })({}, { awsRequestId: 'r' })).rejects.toThrow(/AWS_REGION is not set/);
    await expect(createLambdaHandler(workflow, { env: { AWS_REGION: 'us-east-1' } })({}, { awsRequestId: 'r' })).rejects.toThrow(
      'CARIBOU_WORKFLOW_FUNCTION is not set on this function; deploy the workflow again with caribou deploy',
    );
    await expect(createLambdaHandler(undefined as unknown as CaribouWorkflow, { env: { AWS_REGION: 'us-east-1' } })({})).rejects.toThrow(
      'The workflow app exports no workflow',
    );
  });
});
