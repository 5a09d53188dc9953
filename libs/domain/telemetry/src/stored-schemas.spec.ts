import { describe, expect, it } from 'vitest';
import { summarizeWorkflow } from './collector/summarize-workflow';
import { fixtureA } from './golden/fixture-a';
import { workflowInstanceDataSchema, workflowSummarySchema } from './stored-schemas';

const firstIssue = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }) => result.error?.issues[0]?.path.join('.');

describe('stored telemetry row schemas', () => {
  it('read the reference’s workflow_summary_table value whole, unknown keys kept', () => {
    const stored = { ...fixtureA.expectedSummary, written_by: 'a later version' };
    expect(workflowSummarySchema.parse(JSON.parse(JSON.stringify(stored)))).toEqual(stored);
  });

  it('read the workflow collector’s workflow_instance_table value (the reference’s rows: solver fixture spec)', () => {
    const stored = JSON.parse(JSON.stringify(summarizeWorkflow(fixtureA.expectedSummary))) as unknown;
    expect(workflowInstanceDataSchema.safeParse(stored).error).toBeUndefined();
  });

  it('point at the damaged field', () => {
    const summary = JSON.parse(JSON.stringify(fixtureA.expectedSummary)) as { logs: Array<Record<string, unknown>> };
    summary.logs[0]!['runtime_s'] = 'slow';
    expect(firstIssue(workflowSummarySchema.safeParse(summary))).toBe('logs.0.runtime_s');
    const instance = JSON.parse(JSON.stringify(summarizeWorkflow(fixtureA.expectedSummary))) as { instance_summary: Record<string, { to_instance?: unknown }> };
    Object.values(instance.instance_summary)[0]!.to_instance = [];
    expect(firstIssue(workflowInstanceDataSchema.safeParse(instance))).toMatch(/^instance_summary\..+\.to_instance$/);
  });
});
