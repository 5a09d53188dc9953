import { describe, expect, it } from 'vitest';
import { CaribouWorkflow } from './workflow';

describe('serverlessFunction: where its data lives', () => {
  it('keeps dataRegion and dataBytesPerInvocation (0 by default with a region)', () => {
    const workflow = new CaribouWorkflow({ name: 'wf', version: '0.0.1' });
    const reads = workflow.serverlessFunction({ name: 'reads', dataRegion: { provider: 'aws', region: 'us-east-1' }, dataBytesPerInvocation: 4096 }, async () => 1);
    const plain = workflow.serverlessFunction({ name: 'plain', dataRegion: { provider: 'aws', region: 'eu-north-1' } }, async () => 2);
    const none = workflow.serverlessFunction({ name: 'none' }, async () => 3);
    expect([reads.dataRegion, reads.dataBytesPerInvocation]).toEqual([{ provider: 'aws', region: 'us-east-1' }, 4096]);
    expect([plain.dataRegion, plain.dataBytesPerInvocation]).toEqual([{ provider: 'aws', region: 'eu-north-1' }, 0]);
    expect([none.dataRegion, none.dataBytesPerInvocation]).toEqual([null, null]);
  });

  it('refuses a bad declaration in one line naming the function and the field', () => {
    const workflow = new CaribouWorkflow({ name: 'wf', version: '0.0.1' });
    expect(() => workflow.serverlessFunction({ name: 'a', dataBytesPerInvocation: 10 }, async () => 1)).toThrow('a: dataBytesPerInvocation needs dataRegion, where the data lives');
    expect(() => workflow.serverlessFunction({ name: 'b', dataRegion: 'us-east-1' as never }, async () => 1)).toThrow(
      "b: dataRegion must be { provider, region }, e.g. { provider: 'aws', region: 'us-east-1' }",
    );
    expect(() => workflow.serverlessFunction({ name: 'c', dataRegion: { provider: 'aws', region: 'us-east-1' }, dataBytesPerInvocation: -1 }, async () => 1)).toThrow(
      'c: dataBytesPerInvocation must be a number of bytes ≥ 0 (got -1)',
    );
  });
});
