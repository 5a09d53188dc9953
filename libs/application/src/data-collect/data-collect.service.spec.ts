import { describe, expect, it } from 'vitest';
import { CaribouError } from '@caribou/domain-common';
import type { CollectorReport, RegionCollectorName } from './collection-report';
import { DataCollectService, type DataCollectTarget, type RegionCollector } from './data-collect.service';

/** Records the order collectors run in; the real services are exercised in the acceptance spec. */
function recordingCollectors() {
  const calls: string[] = [];
  const collector = (name: RegionCollectorName): RegionCollector => ({
    async collect(): Promise<CollectorReport> {
      calls.push(name);
      return { collector: name, provider: 'local', regions: [], warnings: [], notes: [] };
    },
  });
  return { calls, provider: collector('provider'), carbon: collector('carbon'), performance: collector('performance') };
}

describe('DataCollectService', () => {
  it("runs provider, carbon and performance in that order for 'all'", async () => {
    const collectors = recordingCollectors();
    const report = await new DataCollectService(collectors).collect('all');
    expect(collectors.calls).toEqual(['provider', 'carbon', 'performance']);
    expect(report.collectors.map((c) => c.collector)).toEqual(['provider', 'carbon', 'performance']);
  });

  it.each(['provider', 'carbon', 'performance'] as const)('runs only the %s collector when asked', async (name) => {
    const collectors = recordingCollectors();
    await new DataCollectService(collectors).collect(name);
    expect(collectors.calls).toEqual([name]);
  });

  it('runs the injected workflow collector for a workflow id', async () => {
    const collectors = recordingCollectors();
    const workflows: string[] = [];
    const report = await new DataCollectService({ ...collectors, collectWorkflow: async (id) => void workflows.push(id) }).collect('workflow', { workflowId: 'wf-0.0.1' });
    expect(workflows).toEqual(['wf-0.0.1']);
    expect(report.workflows).toEqual(['wf-0.0.1']);
    expect(collectors.calls).toEqual([]);
  });

  it('rejects a workflow run without id or without a workflow collector, and unknown collectors', async () => {
    const collectors = recordingCollectors();
    const withWorkflow = new DataCollectService({ ...collectors, collectWorkflow: async () => undefined });
    await expect(withWorkflow.collect('workflow')).rejects.toThrow('Workflow_id must be provided for the workflow collector.');
    await expect(new DataCollectService(collectors).collect('workflow', { workflowId: 'x' })).rejects.toBeInstanceOf(CaribouError);
    await expect(withWorkflow.collect('weather' as DataCollectTarget)).rejects.toThrow(/Allowed values are provider, carbon, performance, workflow, all/);
  });
});
