import { afterEach, describe, expect, it, vi } from 'vitest';
import { AwsClients } from './config';

describe('AwsClients', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('defaults the system region to us-west-2 and points every client at the configured endpoint', async () => {
    const clients = new AwsClients({ endpoint: 'http://127.0.0.1:5000', accountId: '123456789012' });
    expect(clients.systemRegion).toBe('us-west-2');
    expect(await clients.dynamodb().config.region()).toBe('us-west-2');
    expect(await clients.lambda('eu-west-1').config.region()).toBe('eu-west-1');
    expect(await clients.pricing().config.region()).toBe('us-east-1');
    const endpoint = await clients.lambda('eu-west-1').config.endpoint!();
    expect(`${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`).toBe('http://127.0.0.1:5000');
    expect(clients.lambda('eu-west-1')).toBe(clients.lambda('eu-west-1'));
    expect(await clients.accountId()).toBe('123456789012');
    clients.destroy();
  });

  it('gives a local emulator dummy credentials, but never a remote endpoint', () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    expect(new AwsClients({ endpoint: 'http://localhost:4566' }).clientOptions('us-east-1').credentials).toBeDefined();
    expect(new AwsClients({ endpoint: 'https://vpce-123.lambda.us-east-1.vpce.amazonaws.com' }).clientOptions('us-east-1').credentials).toBeUndefined();
    expect(new AwsClients({}).clientOptions('us-east-1').credentials).toBeUndefined();
  });
});
