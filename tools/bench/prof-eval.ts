import { compileModel, solverInputFromInstanceFile, WorkflowModel } from '@caribou/domain-model';
import { allocateSamples, BatchSimulator, metricsFromSamples, streamFor } from '@caribou/domain-solver';
import { generateSolverInstance } from './solver-instance-generator';
const file = generateSolverInstance({ functions: 30, regions: 20, seed: 1 });
const model = new WorkflowModel(solverInputFromInstanceFile(file));
const compiled = compileModel(model);
const allowed = model.permittedRegions;
const choose = streamFor(9);
const mixed = (): number[] => allowed.map((a) => a[Math.floor(choose.next() * a.length)]!);
const n = Number(process.argv[2] ?? 2000);
const placements = Array.from({ length: n }, mixed);
const out = allocateSamples(2000, 1);
const sim = new BatchSimulator(compiled, 2000, 200, 1);
const scratch = new Float64Array(2000);
let tSet = 0, tSim = 0, tMet = 0; let cpu0 = process.cpuUsage();
for (let i = 0; i < n; i++) {
  const a = performance.now();
  sim.setDeployment(placements[i]!);
  const b = performance.now();
  sim.simulate(0, 2000, [13], out, 0);
  const c = performance.now();
  metricsFromSamples(out, 1, scratch);
  const d = performance.now();
  if (i === 199) cpu0 = process.cpuUsage();
  if (i >= 200) { tSet += b - a; tSim += c - b; tMet += d - c; }
}
const k = n - 200;
const cu = process.cpuUsage(cpu0); console.log(`cpu/eval ${((cu.user + cu.system) / 1000 / k).toFixed(3)} ms  wall set ${(tSet / k).toFixed(3)} sim ${(tSim / k).toFixed(3)} metrics ${(tMet / k).toFixed(3)} total ${((tSet + tSim + tMet) / k).toFixed(3)}`);
