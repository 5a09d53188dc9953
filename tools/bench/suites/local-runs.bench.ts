import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSystemProjectLoader } from '@caribou/adapter-project';
import type { DeployWorkflowService, RunWorkflowService } from '@caribou/application';
import { createContainer, SERVICES, type RunTracker } from '@caribou/cli/composition';
import type { BenchLine, BenchSuite } from '../bench';

const EXAMPLE = join(import.meta.dirname, '../../../examples/small_sync_example');
const ARGUMENT = JSON.stringify({ execute_1: true, execute_2: true, execute_3: true });

/**
 * 100 end-to-end runs of small_sync_example on the local provider (bundle deployed, worker
 * threads, libsql store), all issued at once; the baseline is the same 100 runs issued one
 * after another (each waits for the previous), measured in the same process.
 */
const suite: BenchSuite = {
  name: 'local provider: end-to-end runs of small_sync_example',
  async run({ quick }) {
    const runs = quick ? 20 : 100;
    const home = mkdtempSync(join(tmpdir(), 'caribou-bench-'));
    const container = await createContainer('local', { ...process.env, CARIBOU_HOME: home });
    try {
      const project = await new FileSystemProjectLoader().load(EXAMPLE);
      await container.get<DeployWorkflowService>(SERVICES.Deploy).deploy(project);
      const runner = container.get<RunWorkflowService>(SERVICES.Run);
      const tracker = container.get<RunTracker>(SERVICES.RunTracker);
      const one = async () => {
        const { runId } = await runner.run(project.workflow.workflowId, ARGUMENT);
        const result = await tracker.waitForRun(runId);
        if (result.failed || result.executions.length !== 3) throw new Error(`run ${runId} did not complete: ${JSON.stringify(result)}`);
      };
      await one(); // warm the workers (module load), as a deployed function would be
      const sequentialStart = performance.now();
      for (let i = 0; i < runs; i++) await one();
      const sequentialMs = performance.now() - sequentialStart;
      const concurrentStart = performance.now();
      await Promise.all(Array.from({ length: runs }, one));
      const concurrentMs = performance.now() - concurrentStart;
      const lines: BenchLine[] = [
        {
          label: `${runs} runs issued together (wall time)`,
          value: concurrentMs / 1000,
          unit: 's',
          baseline: { label: 'one after another', value: sequentialMs / 1000 },
          goal: '≤ 10 s for 100 runs',
        },
        { label: 'runs per second', value: (runs * 1000) / concurrentMs, unit: 'runs/s' },
      ];
      return lines;
    } finally {
      await container.close();
      rmSync(home, { recursive: true, force: true });
    }
  },
};

export default suite;
