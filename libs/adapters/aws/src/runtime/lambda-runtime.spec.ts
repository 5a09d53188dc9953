import { describe, expect, it } from 'vitest';
import { CaribouWorkflow } from '@caribou/sdk';
import { awsConfigFromEnv } from '../env';
import { createLambdaHandler } from './lambda-runtime';

describe('the Lambda runtime', () => {
  it('takes the endpoint and the system region from the environment', () => {
    expect(awsConfigFromEnv({})).toEqual({});
    expect(awsConfigFromEnv({ CARIBOU_AWS_ENDPOINT: 'http://127.0.0.1:5000', CARIBOU_SYSTEM_REGION: 'eu-west-1' })).toEqual({
      endpoint: 'http://127.0.0.1:5000',
      systemRegion: 'eu-west-1',
    });
  });

  it('refuses an endpoint that is not an http(s) URL, naming the variable (the SDK would only say "Invalid URL")', () => {
    for (const endpoint of ['localhost:5000', 'not a url', 'ftp://127.0.0.1:5000']) {
      expect(() => awsConfigFromEnv({ CARIBOU_AWS_ENDPOINT: endpoint })).toThrow(`CARIBOU_AWS_ENDPOINT=${endpoint} is not an http(s) URL`);
    }
    expect(awsConfigFromEnv({ CARIBOU_AWS_ENDPOINT: 'https://localstack.internal:4566' })).toEqual({ endpoint: 'https://localstack.internal:4566' });
  });

  it('refuses a system region that is not an AWS region code, naming the variable', () => {
    for (const region of ['nowhere', 'US-EAST-1', 'us-east']) {
      expect(() => awsConfigFromEnv({ CARIBOU_SYSTEM_REGION: region })).toThrow(`CARIBOU_SYSTEM_REGION=${region} is not an AWS region code`);
    }
    expect(awsConfigFromEnv({ CARIBOU_SYSTEM_REGION: 'ap-southeast-4' })).toEqual({ systemRegion: 'ap-southeast-4' });
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
