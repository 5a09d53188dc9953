import { describe, expect, it } from 'vitest';
import type { RemoteFramework, Scheduler } from '@caribou/ports';
import { remoteCommandPayload } from './remote-commands';
import { describeSchedule } from './schedule-description';
import { TIMERS } from './timer-definitions';
import { checkScheduleExpression, FRAMEWORK_NOT_DEPLOYED, RemoteFrameworkTimers } from './timers';

/** A remote framework that is (or is not) deployed; nothing else is called. */
function remoteFramework(deployed: boolean): RemoteFramework {
  const unused = async (): Promise<never> => {
    throw new Error('not called by the timers');
  };
  return {
    function: 'caribou_cli',
    role: 'caribou_deployment_policy',
    region: { provider: 'aws', region: 'us-east-1' },
    isDeployed: async () => ({ deployed, missing: deployed ? [] : ['x'] }),
    invoke: unused,
    deploy: unused,
    remove: unused,
    removeResource: unused,
  };
}

describe('timers (spec §1.2)', () => {
  it('are the reference six, in its order, with its default schedules and payloads', () => {
    expect(TIMERS.map((t) => [t.name, t.schedule, t.payload])).toEqual([
      ['provider_collector', 'cron(5 0 1 * ? *)', { action: 'data_collect', collector: 'provider' }],
      ['carbon_collector', 'cron(30 0 * * ? *)', { action: 'data_collect', collector: 'carbon' }],
      ['performance_collector', 'cron(30 0 * * ? *)', { action: 'data_collect', collector: 'performance' }],
      ['log_syncer', 'cron(5 0 * * ? *)', { action: 'log_sync' }],
      ['deployment_manager', 'cron(0 1 * * ? *)', { action: 'manage_deployments', deployment_metrics_calculator_type: 'simple' }],
      ['deployment_migrator', 'cron(0 2 * * ? *)', { action: 'run_deployment_migrator' }],
    ]);
  });

  it.each([
    [undefined, 'Not Configured'],
    ['cron(5 0 1 * ? *)', 'At 00:05, on day 1 of the month (UTC; Cron Expression: cron(5 0 1 * ? *))'],
    ['cron(30 0 * * ? *)', 'At 00:30 (UTC; Cron Expression: cron(30 0 * * ? *))'],
    ['cron(0 18 ? * MON-FRI *)', 'At 18:00, Monday through Friday (UTC; Cron Expression: cron(0 18 ? * MON-FRI *))'],
    ['cron(0/15 * * * ? *)', 'Every 15 minutes (UTC; Cron Expression: cron(0/15 * * * ? *))'],
    ['cron(0 8 1 6 ? 2030)', 'At 08:00, on day 1 of the month, only in June, only in 2030 (UTC; Cron Expression: cron(0 8 1 6 ? 2030))'],
    ['cron(0 8 L * ? *)', 'At 08:00, on the last day of the month (UTC; Cron Expression: cron(0 8 L * ? *))'],
    // Day-of-week counts from 1 = Sunday, as in EventBridge.
    ['cron(0 12 ? * 2 *)', 'At 12:00, only on Monday (UTC; Cron Expression: cron(0 12 ? * 2 *))'],
    ['cron(1 2 3)', 'cron(1 2 3)'],
    ['rate(12 hours)', 'Every 12 hours (Rate Expression: rate(12 hours))'],
  ])('describes %s as %s', (expression, text) => {
    expect(describeSchedule(expression)).toBe(text);
  });

  it('refuses expressions EventBridge would refuse, before any call', async () => {
    await expect(checkScheduleExpression('cron(0 1 * * ? *)')).resolves.toBeUndefined();
    await expect(checkScheduleExpression('rate(1 day)')).resolves.toBeUndefined();
    await expect(checkScheduleExpression('cron(0 1 * * ?)')).rejects.toThrow('must have six fields');
    await expect(checkScheduleExpression('every day')).rejects.toThrow('is neither cron(...) nor rate(');
  });

  it('reports and skips the setup when the framework is not deployed', async () => {
    const calls: string[] = [];
    const scheduler: Scheduler = {
      putTimer: async (name) => void calls.push(name),
      removeTimer: async () => undefined,
      getTimer: async () => undefined,
    };
    const remote = remoteFramework(false);
    const lines: string[] = [];
    const result = await new RemoteFrameworkTimers(scheduler, remote).setup((line) => lines.push(line));
    expect(result).toEqual({ deployed: false, failed: [] });
    expect(lines).toEqual([FRAMEWORK_NOT_DEPLOYED]);
    expect(calls).toEqual([]);
  });

  it('lists the timers it removed; with reportAbsent false (teardown) not those that were never set up', async () => {
    const set = new Map([['log_syncer', 'cron(5 0 * * ? *)']]);
    const scheduler: Scheduler = {
      putTimer: async (name, expression) => void set.set(name, expression),
      removeTimer: async (name) => void set.delete(name),
      getTimer: async (name) => set.get(name),
    };
    const timers = new RemoteFrameworkTimers(scheduler, null);
    const quiet: string[] = [];
    await timers.remove((line) => quiet.push(line), undefined, { reportAbsent: false });
    expect(quiet).toEqual(['Removed timer log_syncer']);
    const told: string[] = [];
    await timers.remove((line) => told.push(line), ['log_syncer']);
    expect(told).toEqual(['Timer log_syncer is not configured']);
  });

  it('goes on with the other timers when one cannot be set up', async () => {
    const scheduler: Scheduler = {
      putTimer: async (name) => {
        if (name === 'carbon_collector') throw new Error('throttled');
      },
      removeTimer: async () => undefined,
      getTimer: async () => undefined,
    };
    const remote = remoteFramework(true);
    const lines: string[] = [];
    const result = await new RemoteFrameworkTimers(scheduler, remote).setup((line) => lines.push(line));
    expect(result.failed).toEqual(['carbon_collector']);
    expect(lines).toHaveLength(6);
    expect(lines[1]).toBe('Could not create timer rule for carbon_collector: throttled');
    expect(lines[5]).toBe('Successfully created timer rule for deployment_migrator, schedule expression: cron(0 2 * * ? *) - At 02:00 (UTC; Cron Expression: cron(0 2 * * ? *))');
  });
});

describe('setup_all_timers with per-timer schedules (-prc, -cac, … in the reference)', () => {
  function recordingScheduler(): { scheduler: Scheduler; put: Array<[string, string]> } {
    const put: Array<[string, string]> = [];
    return { put, scheduler: { putTimer: async (name, expression) => void put.push([name, expression]), removeTimer: async () => undefined, getTimer: async () => undefined } };
  }

  it('gives the named timer its schedule and every other timer its default', async () => {
    const { scheduler, put } = recordingScheduler();
    await new RemoteFrameworkTimers(scheduler, null).setup(() => undefined, undefined, { provider_collector: 'cron(0 3 1 * ? *)' });
    expect(put).toEqual(TIMERS.map((t) => [t.name, t.name === 'provider_collector' ? 'cron(0 3 1 * ? *)' : t.schedule]));
  });

  it('checks every schedule before the first timer is touched', async () => {
    const { scheduler, put } = recordingScheduler();
    const setup = new RemoteFrameworkTimers(scheduler, null).setup(() => undefined, undefined, { provider_collector: 'cron(0 3 1 * ? *)', log_syncer: 'cron(0 25 * * ? *)' });
    await expect(setup).rejects.toThrow('Schedule expression cron(0 25 * * ? *)');
    expect(put).toEqual([]);
  });

  it('refuses a schedule for a timer that is not set up', async () => {
    const { scheduler, put } = recordingScheduler();
    await expect(new RemoteFrameworkTimers(scheduler, null).setup(() => undefined, ['log_syncer'], { carbon_collector: 'rate(1 day)' })).rejects.toThrow(
      'A schedule for carbon_collector was given, but carbon_collector is not among the timers to set up',
    );
    expect(put).toEqual([]);
  });
});

describe('-r/--remote payloads (spec §1.3)', () => {
  it.each([
    ['log_sync', {}, { action: 'log_sync' }],
    ['manage_deployments', {}, { action: 'manage_deployments', deployment_metrics_calculator_type: 'simple' }],
    ['run_deployment_migrator', {}, { action: 'run_deployment_migrator' }],
    ['data_collect', { collector: 'carbon', workflow_id: undefined }, { action: 'data_collect', collector: 'carbon' }],
    ['data_collect', { collector: 'workflow', workflow_id: 'wf-0.0.1' }, { action: 'data_collect', collector: 'workflow', workflow_id: 'wf-0.0.1' }],
    ['remove', { workflow_id: 'wf-0.0.1' }, { action: 'remove', workflow_id: 'wf-0.0.1' }],
  ])('%s %j → %j', (command, extra, payload) => {
    expect(remoteCommandPayload(command, extra)).toEqual(payload);
  });

  it('refuses a workflow collector or a removal without a workflow id, and unknown commands', () => {
    expect(() => remoteCommandPayload('data_collect', { collector: 'workflow' })).toThrow('Workflow ID must be provided for this command.');
    expect(() => remoteCommandPayload('remove', {})).toThrow('Workflow ID must be provided for this command.');
    expect(() => remoteCommandPayload('deploy', {})).toThrow('Invalid or no directly translation action type: deploy');
  });
});
