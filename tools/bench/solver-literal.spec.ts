import { describe, expect, it } from 'vitest';
import { compileModel, solverInputFromInstanceFile, WorkflowModel } from '@caribou/domain-model';
import { allocateSamples, BatchSimulator, disagreementsWithLiteral, streamFor } from '@caribou/domain-solver';
import { generateSolverInstance } from './solver-instance-generator';

/**
 * The batch simulator's shortcuts that only larger workflows reach — sync nodes of three
 * in-edges (upload units tabulated per upload order), of four, and simulated edges into them —
 * against the literal transcription of §3, run by run, on the bench's synthetic instances.
 */
const RUNS = 40;

describe('batch simulator = literal simulator on the synthetic instances', () => {
  for (const functions of [30, 100]) {
    it(`${functions} × 20: every run of mixed placements, at two hours`, () => {
      const model = new WorkflowModel(solverInputFromInstanceFile(generateSolverInstance({ functions, regions: 20, seed: 1 })));
      const compiled = compileModel(model);
      const batch = new BatchSimulator(compiled, RUNS, 20, 5);
      const s = batch.structure;
      // The instance reaches the three-upload path: a node whose runs take three in-edges.
      const threeTaken = model.instanceNames.some((_, v) => s.takenGroups[v]!.some((group) => group.inEdgeIndices.length === 3 && group.runs.runs.length > 0));
      expect(threeTaken).toBe(true);
      const choose = streamFor(31, functions);
      const hours = [null, 9] as const;
      const slots = [0, 10];
      const out = allocateSamples(RUNS, hours.length);
      for (let d = 0; d < 4; d++) {
        const deployment = model.permittedRegions.map((allowed) => allowed[Math.floor(choose.next() * allowed.length)]!);
        batch.setDeployment(deployment);
        batch.simulate(0, RUNS, slots, out, 0);
        expect(disagreementsWithLiteral(model, compiled, batch, deployment, hours, out)).toEqual([]);
      }
    });
  }

  it('30 × 20 with sync nodes of up to six in-edges: the sorted-upload path (four or more taken), every run', () => {
    const model = new WorkflowModel(solverInputFromInstanceFile(generateSolverInstance({ functions: 30, regions: 20, seed: 1, maxFanIn: 6 })));
    const compiled = compileModel(model);
    const batch = new BatchSimulator(compiled, RUNS, 20, 5);
    const s = batch.structure;
    const fourTaken = model.instanceNames.some((_, v) => s.takenGroups[v]!.some((group) => group.inEdgeIndices.length >= 4 && group.runs.runs.length > 0));
    expect(fourTaken).toBe(true);
    const choose = streamFor(37, 30);
    const out = allocateSamples(RUNS, 2);
    for (let d = 0; d < 4; d++) {
      const deployment = model.permittedRegions.map((allowed) => allowed[Math.floor(choose.next() * allowed.length)]!);
      batch.setDeployment(deployment);
      batch.simulate(0, RUNS, [0, 10], out, 0);
      expect(disagreementsWithLiteral(model, compiled, batch, deployment, [null, 9], out)).toEqual([]);
    }
  });
});
