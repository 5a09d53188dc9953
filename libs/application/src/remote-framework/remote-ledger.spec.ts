import type { RemoteFrameworkResource } from '@caribou/ports';
import { describe, expect, it } from 'vitest';
import { RemoteFrameworkLedger } from './remote-ledger';
import { InMemoryKeyValueStore } from '../testing/in-memory-key-value-store';

const region = { provider: 'aws', region: 'us-west-2' };
const resources: RemoteFrameworkResource[] = [
  { kind: 'parameter', region, name: '/caribou/GOOGLE_API_KEY' },
  { kind: 'log-group', region, name: '/aws/lambda/caribou_cli' },
  { kind: 'role', region, name: 'caribou_deployment_policy' },
  { kind: 'function', region, name: 'caribou_cli' },
  { kind: 'rule', region, name: 'log_syncer' },
];

async function recorded(): Promise<RemoteFrameworkLedger> {
  const ledger = new RemoteFrameworkLedger(new InMemoryKeyValueStore());
  await ledger.prepare();
  for (const resource of resources) await ledger.record(resource, 'deploy_remote_cli');
  return ledger;
}

describe('the remote framework ledger', () => {
  it('has no row before anything is recorded (an install deployed before it: callers remove by name)', async () => {
    expect(await new RemoteFrameworkLedger(new InMemoryKeyValueStore()).entries()).toBeUndefined();
  });

  it('removes rules first, then the function, log group, role and parameters, and drops its row when empty', async () => {
    const ledger = await recorded();
    const order: string[] = [];
    const lines: string[] = [];
    await ledger.remove(() => true, async (resource) => void order.push(resource.kind), (line) => lines.push(line), 'remove_remote_cli');
    expect(order).toEqual(['rule', 'function', 'log-group', 'role', 'parameter']);
    expect(lines).toContain('Removed timer log_syncer');
    expect(lines).toContain('Deleted log group /aws/lambda/caribou_cli');
    expect(await ledger.entries()).toBeUndefined();
  });

  it('keeps what could not be removed, fails naming it and the command to retry, and a retry finishes', async () => {
    const ledger = await recorded();
    const failing = async (resource: RemoteFrameworkResource) => {
      if (resource.kind === 'role') throw new Error('AccessDenied');
    };
    await expect(ledger.remove(() => true, failing, () => undefined, 'remove_remote_cli')).rejects.toThrow(
      'Could not remove role caribou_deployment_policy in us-west-2: AccessDenied. Retry with caribou remove_remote_cli',
    );
    expect((await ledger.entries())?.map((entry) => entry.kind)).toEqual(['role']);
    await ledger.remove(() => true, async () => undefined, () => undefined, 'remove_remote_cli');
    expect(await ledger.entries()).toBeUndefined();
  });

  it('removes only what is selected (remove_timer of one rule), keeping the rest listed', async () => {
    const ledger = await recorded();
    await ledger.remove((resource) => resource.kind === 'rule', async () => undefined, () => undefined, 'remove_timer');
    expect((await ledger.entries())?.map((entry) => entry.kind).sort()).toEqual(['function', 'log-group', 'parameter', 'role']);
  });
});
