import { heapRows, type RowAllocator } from './row-arena';
import { RUNS_PER_CHUNK } from './run-structure';

/**
 * The key of a deployment in the timing-state store: one UTF-16 code unit per instance (region
 * indices are below 65536, see `TimingStates`). About 20× cheaper than `join(',')`, which a
 * search pays two or three times per evaluation.
 */
export function timingStateKey(deployment: ArrayLike<number>): string {
  return String.fromCharCode.apply(null, deployment as unknown as number[]);
}

/**
 * Which instances a region change re-times: each instance with everything downstream of it, as a
 * bit set of `words` 32-bit words per instance. Counting what re-timing a deployment from a kept
 * state recomputes is then an OR per changed instance and a population count — asked of every
 * kept state (about 95 at 30 × 20) per evaluation.
 */
export class DownstreamSets {
  private readonly words: number;
  /** `[v · words + k]`: bit w % 32 of word ⌊w / 32⌋ is set when w is v or downstream of v. */
  private readonly below: Int32Array;
  /** Per instance: how many instances its bit set holds. */
  private readonly belowCount: Int32Array;
  /** Instances in topological order: the first changed one's set is the largest, for an early stop. */
  private readonly order: Int32Array;
  private readonly union: Int32Array;

  /** `children(v)`: the instances v calls directly; `topologicalOrder` lists every instance. */
  constructor(
    private readonly nodes: number,
    topologicalOrder: ArrayLike<number>,
    children: (v: number) => Iterable<number>,
  ) {
    const words = Math.max(1, Math.ceil(nodes / 32));
    this.words = words;
    this.below = new Int32Array(nodes * words);
    this.belowCount = new Int32Array(nodes);
    this.order = Int32Array.from({ length: nodes }, (_, t) => topologicalOrder[t]!);
    this.union = new Int32Array(words);
    for (let t = nodes - 1; t >= 0; t--) {
      const v = topologicalOrder[t]!;
      const at = v * words;
      this.below[at + (v >>> 5)]! |= 1 << (v & 31);
      for (const w of children(v)) for (let k = 0; k < words; k++) this.below[at + k]! |= this.below[w * words + k]!;
      for (let k = 0; k < words; k++) this.belowCount[v]! += bitCount(this.below[at + k]!);
    }
  }

  /**
   * How many instances differ between `deployment` and the deployment at `from` in `deployments`,
   * or lie downstream of one that does — exactly when fewer than `limit`, else some number ≥ `limit`.
   */
  count(deployment: Int32Array, deployments: Int32Array, from: number, limit: number): number {
    const words = this.words;
    const union = this.union;
    union.fill(0);
    for (let t = 0; t < this.nodes; t++) {
      const i = this.order[t]!;
      if (deployments[from + i] === deployment[i]) continue;
      if (this.belowCount[i]! >= limit) return limit;
      const at = i * words;
      for (let k = 0; k < words; k++) union[k]! |= this.below[at + k]!;
    }
    let count = 0;
    for (let k = 0; k < words; k++) count += bitCount(union[k]!);
    return count;
  }

  /** Sets `changed[w]` to 1 for the instances that differ from `base` or lie downstream of one that does, else 0. */
  mark(deployment: Int32Array, base: Int32Array, changed: Uint8Array): void {
    this.count(deployment, base, 0, this.nodes + 1);
    const union = this.union;
    for (let w = 0; w < this.nodes; w++) changed[w] = (union[w >>> 5]! >>> (w & 31)) & 1;
  }
}

function bitCount(word: number): number {
  let x = word - ((word >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/**
 * The rows of one node in one state — its start row, and its trigger row (general nodes) and
 * upload rows (sync nodes) — as a group: a neighbour shares all of a node's rows with its base or
 * none, so one reference count per group. Groups are numbered; counts live in an Int32Array and
 * released groups are reused, so a search neither allocates nor hashes per evaluation.
 */
class RowGroups {
  liveBytes = 0;
  readonly start: Float64Array[] = [];
  readonly trigger: Uint16Array[] = [];
  readonly uploadWriteUnits: Float64Array[] = [];
  readonly uploadReadUnits: Float64Array[] = [];
  private counts = new Int32Array(256);
  private readonly kinds: number[] = [];
  /** Per kind (0: start row only, 1: and trigger row, 2: and upload rows): released groups. */
  private readonly spare: number[][] = [[], [], []];
  private readonly bytesOf: number[];

  constructor(
    private readonly runs: number,
    private readonly arena: RowAllocator,
  ) {
    this.bytesOf = [8 * runs, 10 * runs, 26 * runs];
  }

  /** A group of rows of `kind` with one reference. */
  take(kind: number): number {
    let group = this.spare[kind]!.pop();
    if (group === undefined) {
      group = this.kinds.length;
      const runs = this.runs;
      this.kinds.push(kind);
      const arena = this.arena;
      this.start.push(arena.f64(runs));
      this.trigger.push(kind >= 1 ? arena.u16(runs) : EMPTY_U16);
      this.uploadWriteUnits.push(kind === 2 ? arena.f64(runs) : EMPTY_F64);
      this.uploadReadUnits.push(kind === 2 ? arena.f64(runs) : EMPTY_F64);
      if (group >= this.counts.length) {
        const counts = new Int32Array(this.counts.length * 2);
        counts.set(this.counts);
        this.counts = counts;
      }
    }
    this.counts[group] = 1;
    this.liveBytes += this.bytesOf[kind]!;
    return group;
  }

  retain(group: number): void {
    this.counts[group]!++;
  }

  release(group: number): void {
    if (--this.counts[group]! > 0) return;
    const kind = this.kinds[group]!;
    this.liveBytes -= this.bytesOf[kind]!;
    this.spare[kind]!.push(group);
  }
}

/**
 * When every node of a deployment started, in every run, and how its general nodes were
 * triggered: what an evaluation of a neighbouring deployment reuses for the nodes that its
 * changes do not reach (neither the changed nodes nor anything downstream of them).
 */
export interface TimingState {
  readonly key: string;
  readonly deployment: Int32Array;
  /** Per instance: its start time in every run (−Infinity where it does not run). */
  readonly start: Float64Array[];
  /**
   * Per general node: the candidate that triggered it in every run (in-edge j < in-degree, else
   * in-degree + q for its q-th simulated edge); per sync node: write and read units of its
   * sync-table uploads. Empty rows for other nodes.
   */
  readonly trigger: Uint16Array[];
  readonly uploadWriteUnits: Float64Array[];
  readonly uploadReadUnits: Float64Array[];
  /** Per node: the rows are this state's own (written by its evaluation), not its base's. */
  readonly owns: Uint8Array;
  /** Per chunk: simulated. A state serves as a base once every chunk is. */
  readonly filled: Uint8Array;
  filledCount: number;
}

/** A kept state as the store sees it (a dropped state's object, slot and rows are reused). */
interface KeptState extends TimingState {
  key: string;
  /** A view of its row of `TimingStates.deployments` (re-pointed when that grows). */
  deployment: Int32Array;
  readonly slot: number;
  /** Per node: the row group its rows belong to. */
  readonly groups: Int32Array;
}

/** What kind of rows each node has in a state. */
export interface StateShape {
  nodes: number;
  /** Per node: 1 for general nodes (trigger rows), 2 for sync nodes (trigger and upload rows), else 0. */
  rowsOf: Uint8Array;
}

const EMPTY_F64 = new Float64Array(0);
const EMPTY_U16 = new Uint16Array(0);

/**
 * Timing states of recently evaluated deployments, keyed by `timingStateKey`, most recently used
 * last, within a byte budget: the oldest are dropped first (never the one being written or
 * read). Dropped states' objects and rows are reused by the next ones.
 *
 * Every state has a slot: its deployment is a row of one contiguous matrix and its last use an
 * entry of one array, so that choosing a base reads a few kilobytes in order rather than chasing
 * ~95 objects that the simulation of the previous evaluation has pushed out of the cache.
 */
export class TimingStates {
  private readonly rows: RowGroups;
  private readonly states = new Map<string, KeptState>();
  private readonly spareStates: KeptState[] = [];
  private readonly chunks: number;
  private readonly nodes: number;
  /** Per slot: its state object, kept or spare. */
  private readonly bySlot: KeptState[] = [];
  /** `[slot · nodes + i]`: the region of instance i in the slot's deployment. */
  private deployments: Int32Array;
  /** Per slot: when its state was last used (a use counter), 0 while the state is not kept. */
  private lastUse: Float64Array;
  private uses = 0;

  constructor(
    private readonly shape: StateShape,
    runs: number,
    readonly budgetBytes: number,
    private readonly downstream: DownstreamSets,
    /** Where the rows live (the simulator's arena, for its WebAssembly kernels). */
    arena: RowAllocator = heapRows,
  ) {
    this.rows = new RowGroups(runs, arena);
    this.chunks = Math.ceil(runs / RUNS_PER_CHUNK);
    this.nodes = shape.nodes;
    this.deployments = new Int32Array(64 * shape.nodes);
    this.lastUse = new Float64Array(64);
  }

  get liveBytes(): number {
    return this.rows.liveBytes;
  }

  get size(): number {
    return this.states.size;
  }

  /** Whether a complete state of the deployment is kept (without marking it used). */
  has(key: string): boolean {
    const state = this.states.get(key);
    return state !== undefined && state.filledCount === this.chunks;
  }

  /** A deployment's state (complete or not), marked used. */
  existing(key: string): TimingState | undefined {
    const state = this.states.get(key);
    if (state) this.touch(state);
    return state;
  }

  /**
   * The complete kept state that re-times the fewest instances of `deployment` (see
   * `DownstreamSets`), marked used, and those instances in `changed`. The complete state of
   * `namedKey` (the base a request names) wins a tie, else the least recently used; without it,
   * null (and `changed` untouched) when every state re-times all instances.
   */
  baseFor(deployment: Int32Array, namedKey: string | null, changed: Uint8Array): TimingState | null {
    const N = this.nodes;
    const named = namedKey === null ? undefined : this.states.get(namedKey);
    let best: KeptState | null = null;
    let fewest = N;
    if (named && named.filledCount === this.chunks) {
      this.touch(named);
      best = named;
      fewest = this.downstream.count(deployment, this.deployments, named.slot * N, N + 1);
    }
    const lastUse = this.lastUse;
    for (let slot = 0; slot < this.bySlot.length && fewest > 0; slot++) {
      if (lastUse[slot] === 0) continue;
      const count = this.downstream.count(deployment, this.deployments, slot * N, fewest + 1);
      if (count > fewest) continue;
      const fewer = count < fewest || (best !== null && best !== named && lastUse[slot]! < lastUse[best.slot]!);
      const candidate = this.bySlot[slot]!;
      if (!fewer || candidate.filledCount !== this.chunks) continue;
      fewest = count;
      best = candidate;
    }
    if (best === null) return null;
    this.touch(best);
    this.downstream.mark(deployment, best.deployment, changed);
    return best;
  }

  /**
   * A new state for `deployment`: own rows for the nodes in `changed` (all of them without a
   * base), the base's rows for the others.
   */
  create(key: string, deployment: ArrayLike<number>, base: TimingState | null, changed: Uint8Array): TimingState {
    const { nodes, rowsOf } = this.shape;
    const rows = this.rows;
    const state = this.spareStates.pop() ?? this.newState();
    state.key = key;
    state.deployment.set(deployment);
    state.filled.fill(0);
    state.filledCount = 0;
    const baseGroups = base ? (base as KeptState).groups : null;
    for (let v = 0; v < nodes; v++) {
      const own = baseGroups === null || changed[v] === 1;
      let group: number;
      if (own) group = rows.take(rowsOf[v]!);
      else {
        group = baseGroups[v]!;
        rows.retain(group);
      }
      state.owns[v] = own ? 1 : 0;
      state.groups[v] = group;
      state.start[v] = rows.start[group]!;
      state.trigger[v] = rows.trigger[group]!;
      state.uploadWriteUnits[v] = rows.uploadWriteUnits[group]!;
      state.uploadReadUnits[v] = rows.uploadReadUnits[group]!;
    }
    this.states.set(key, state);
    this.lastUse[state.slot] = ++this.uses;
    return state;
  }

  /** Drops the least recently used states until the rows fit the budget; `keepA` and `keepB` stay. */
  trim(keepA: TimingState | null, keepB: TimingState | null): void {
    for (const state of this.states.values()) {
      if (this.rows.liveBytes <= this.budgetBytes) return;
      if (state === keepA || state === keepB) continue;
      this.drop(state);
    }
  }

  private newState(): KeptState {
    const { nodes } = this.shape;
    const slot = this.bySlot.length;
    if ((slot + 1) * nodes > this.deployments.length) this.growSlots();
    const state: KeptState = {
      key: '',
      slot,
      deployment: this.deployments.subarray(slot * nodes, (slot + 1) * nodes),
      start: new Array<Float64Array>(nodes).fill(EMPTY_F64),
      trigger: new Array<Uint16Array>(nodes).fill(EMPTY_U16),
      uploadWriteUnits: new Array<Float64Array>(nodes).fill(EMPTY_F64),
      uploadReadUnits: new Array<Float64Array>(nodes).fill(EMPTY_F64),
      owns: new Uint8Array(nodes),
      groups: new Int32Array(nodes),
      filled: new Uint8Array(this.chunks),
      filledCount: 0,
    };
    this.bySlot.push(state);
    return state;
  }

  private growSlots(): void {
    const nodes = this.nodes;
    const deployments = new Int32Array(this.deployments.length * 2);
    deployments.set(this.deployments);
    this.deployments = deployments;
    const lastUse = new Float64Array(this.lastUse.length * 2);
    lastUse.set(this.lastUse);
    this.lastUse = lastUse;
    for (const state of this.bySlot) state.deployment = deployments.subarray(state.slot * nodes, (state.slot + 1) * nodes);
  }

  private drop(state: KeptState): void {
    this.states.delete(state.key);
    this.lastUse[state.slot] = 0;
    for (let v = 0; v < this.nodes; v++) this.rows.release(state.groups[v]!);
    this.spareStates.push(state);
  }

  private touch(state: KeptState): void {
    this.states.delete(state.key);
    this.states.set(state.key, state);
    this.lastUse[state.slot] = ++this.uses;
  }
}
