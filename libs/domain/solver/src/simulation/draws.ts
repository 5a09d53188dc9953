import type { CompiledModel } from '@caribou/domain-model';
import { streamFor, StreamPurpose } from '../random';
import { heapRows, type RowAllocator } from './row-arena';

/**
 * Where each random draw of a run goes. Every run draws one number for every site, used or
 * not, in site order; a site's value therefore depends only on (seed, batch, run, site), never
 * on the deployment or on which branches the run takes. Deployments are compared on the same
 * random numbers (common random numbers), and everything that does not depend on regions —
 * which edges are taken, which nodes run, which sizes are sent — is worked out once per seed.
 */
export interface DrawLayout {
  siteCount: number;
  wpdAtFunction: number;
  /** Per edge (DAG edges, client edge, redirector hop); -1 where the edge has no such draw. */
  coin: Int32Array;
  size: Int32Array;
  latency: Int32Array;
  /** Per node (instances, client = unused, redirector). */
  duration: Int32Array;
  auxRow: Int32Array;
  /** Per simulated-edge slot: the latency of the non-execution notice. */
  slotLatency: Int32Array;
}

export function drawLayout(model: CompiledModel): DrawLayout {
  let next = 0;
  const edges = model.edgeFrom.length;
  const nodes = model.instanceCount + 2;
  const coin = new Int32Array(edges).fill(-1);
  const size = new Int32Array(edges).fill(-1);
  const latency = new Int32Array(edges).fill(-1);
  const duration = new Int32Array(nodes).fill(-1);
  const auxRow = new Int32Array(nodes).fill(-1);
  const slotLatency = new Int32Array(model.slotCount).fill(-1);
  const wpdAtFunction = next++;
  for (let e = 0; e < edges; e++) {
    if (e < model.clientEdge) coin[e] = next++;
    size[e] = next++;
    if (e !== model.clientEdge) latency[e] = next++; // the client edge's latency is always 0
  }
  for (let v = 0; v < nodes; v++) {
    if (v === model.clientNode) continue;
    duration[v] = next++;
    auxRow[v] = next++;
  }
  for (let s = 0; s < model.slotCount; s++) slotLatency[s] = next++;
  return { siteCount: next, wpdAtFunction, coin, size, latency, duration, auxRow, slotLatency };
}

/**
 * Uniform draws of runs [firstRun, firstRun + runs): `values[site · runs + (run − firstRun)]`.
 * Run i is the (i mod batchSize)-th run of stream (seed, batch ⌊i / batchSize⌋), whatever range
 * a table covers: a worker thread holding half of the runs sees the same numbers.
 */
export class DrawTable {
  readonly values: Float64Array;

  constructor(
    readonly layout: DrawLayout,
    readonly runs: number,
    readonly batchSize: number,
    readonly seed: number,
    readonly firstRun = 0,
    /** Where the table lives: the simulator's arena, so that its WebAssembly kernels can read draws. */
    arena: RowAllocator = heapRows,
  ) {
    this.values = arena.f64(layout.siteCount * runs);
    const sites = layout.siteCount;
    const end = firstRun + runs;
    for (let batchStart = firstRun - (firstRun % batchSize); batchStart < end; batchStart += batchSize) {
      const rng = streamFor(seed, StreamPurpose.monteCarloBatch, batchStart / batchSize);
      for (let skip = batchStart; skip < firstRun; skip++) for (let site = 0; site < sites; site++) rng.next();
      const last = Math.min(end, batchStart + batchSize);
      for (let run = Math.max(batchStart, firstRun); run < last; run++)
        for (let site = 0; site < sites; site++) this.values[site * runs + run - firstRun] = rng.next();
    }
  }

  /** The draw of `site` in (absolute) run `run`. */
  value(site: number, run: number): number {
    return this.values[site * this.runs + run - this.firstRun]!;
  }
}
