import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaribouWorkflow } from '../workflow';
import { createPlatformInvocation, readCpuModel, type PlatformBinding } from './platform';

describe('the shared platform entry', () => {
  it('reads the CPU model from cpuinfo, and says unknown without one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'caribou-cpuinfo-'));
    writeFileSync(join(dir, 'cpuinfo'), 'processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Processor @ 2.50GHz\nflags\t: fpu\n');
    expect(readCpuModel(join(dir, 'cpuinfo'))).toBe('Intel(R) Xeon(R) Processor @ 2.50GHz');
    writeFileSync(join(dir, 'arm'), 'processor\t: 0\nBogoMIPS\t: 243.75\n');
    expect(readCpuModel(join(dir, 'arm'))).toBe('unknown');
    expect(readCpuModel(join(dir, 'absent'))).toBe('unknown');
  });

  it('refuses a bundle without a workflow before binding the platform', async () => {
    let binds = 0;
    const invoke = createPlatformInvocation(undefined as unknown as CaribouWorkflow, () => {
      binds += 1;
      throw new Error('not reached');
    });
    await expect(invoke({}, 'r')).rejects.toThrow('The workflow app exports no workflow');
    expect(binds).toBe(0);
  });

  it('binds the platform once and runs each invocation with its own request id', async () => {
    const workflow = new CaribouWorkflow({ name: 'wf', version: '0.0.1' });
    // Not the entry point: the placement decision comes with the message, as for every successor.
    workflow.serverlessFunction({ name: 'only' }, (payload: unknown) => ({ echoed: payload }));
    const lines: string[] = [];
    let binds = 0;
    const binding: PlatformBinding = {
      workflowFunction: 'only',
      region: { provider: 'gcp', region: 'us-east4' },
      store: undefined as never,
      syncStore: () => undefined as never,
      invoker: { invokeAsync: async () => undefined },
      // Not what is tested here (the contract suites run the real stores): every delivery may run.
      markers: { acquire: async () => ({ status: 'acquired', completedSends: [] }), recordSend: async () => undefined, finish: async () => undefined, release: async () => undefined },
      clock: { now: () => 1_700_000_000_000 },
      random: { random: () => 0.5, uuid: () => 'run' },
      log: (line) => lines.push(line),
      cpuModel: 'test-cpu',
    };
    const invoke = createPlatformInvocation(workflow, () => {
      binds += 1;
      return binding;
    });
    const wpd = {
      instances: {},
      current_instance_name: 'wf-0_0_1-only:entry_point_0_0:1',
      workflow_placement: { home_deployment: {} },
      run_id: 'run-1',
    };
    expect(await invoke({ payload: 'a', workflow_placement_decision: wpd }, 'request-1')).toEqual({ echoed: 'a' });
    expect(await invoke({ payload: 'b', workflow_placement_decision: { ...wpd, run_id: 'run-2' } }, 'request-2')).toEqual({ echoed: 'b' });
    expect(binds).toBe(1);
    expect(lines.some((line) => line.includes('request-1'))).toBe(true);
    expect(lines.some((line) => line.includes('request-2'))).toBe(true);
  });
});
