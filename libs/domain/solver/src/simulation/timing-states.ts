import { RUNS_PER_CHUNK } from './run-structure';

type Row = Float64Array | Uint16Array;

/**
 * Per-run rows of timing states, reference-counted: a neighbour's state shares the rows of the
 * nodes its change does not reach with its base. Released rows are reused, so a search does not
 * allocate per evaluation; `liveBytes` is what the states hold.
 */
class RowStore {
  liveBytes = 0;
  private readonly references = new Map<Row, number>();
  private readonly spare64: Float64Array[] = [];
  private readonly spare16: Uint16Array[] = [];

  constructor(private readonly runs: number) {}

  float64(): Float64Array {
    const row = this.spare64.pop() ?? new Float64Array(this.runs);
    this.take(row);
    return row;
  }

  uint16(): Uint16Array {
    const row = this.spare16.pop() ?? new Uint16Array(this.runs);
    this.take(row);
    return row;
  }

  retain(row: Row): void {
    this.references.set(row, this.references.get(row)! + 1);
  }

  release(row: Row): void {
    const count = this.references.get(row)! - 1;
    if (count > 0) {
      this.references.set(row, count);
      return;
    }
    this.references.delete(row);
    this.liveBytes -= row.byteLength;
    if (row instanceof Float64Array) this.spare64.push(row);
    else this.spare16.push(row);
  }

  private take(row: Row): void {
    this.references.set(row, 1);
    this.liveBytes += row.byteLength;
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

/** What kind of rows each node has in a state. */
export interface StateShape {
  nodes: number;
  /** Per node: 1 for general nodes (trigger rows), 2 for sync nodes (trigger and upload rows), else 0. */
  rowsOf: Uint8Array;
}

const EMPTY_F64 = new Float64Array(0);
const EMPTY_U16 = new Uint16Array(0);

/**
 * Timing states of recently evaluated deployments, most recently used last, within a byte
 * budget: the oldest are dropped first (never the one being written or read).
 */
export class TimingStates {
  private readonly rows: RowStore;
  private readonly states = new Map<string, TimingState>();
  private readonly chunks: number;

  constructor(
    private readonly shape: StateShape,
    runs: number,
    readonly budgetBytes: number,
  ) {
    this.rows = new RowStore(runs);
    this.chunks = Math.ceil(runs / RUNS_PER_CHUNK);
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

  /** The complete state of a deployment, if kept (and marks it used). */
  complete(key: string): TimingState | undefined {
    const state = this.states.get(key);
    if (!state || state.filledCount < this.chunks) return undefined;
    this.touch(state);
    return state;
  }

  /** Every complete state (without marking any used). */
  *completeStates(): IterableIterator<TimingState> {
    for (const state of this.states.values()) if (state.filledCount === this.chunks) yield state;
  }

  /** Marks a state used (dropped last). */
  use(state: TimingState): void {
    this.touch(state);
  }

  /** A deployment's state (complete or not), marked used. */
  existing(key: string): TimingState | undefined {
    const state = this.states.get(key);
    if (state) this.touch(state);
    return state;
  }

  /**
   * A new state for `deployment`: own rows for the nodes in `changed` (all of them without a
   * base), the base's rows for the others.
   */
  create(key: string, deployment: Int32Array, base: TimingState | null, changed: Uint8Array): TimingState {
    const { nodes, rowsOf } = this.shape;
    const owns = base ? changed.slice() : new Uint8Array(nodes).fill(1);
    const state: TimingState = {
      key,
      deployment,
      start: [],
      trigger: [],
      uploadWriteUnits: [],
      uploadReadUnits: [],
      owns,
      filled: new Uint8Array(this.chunks),
      filledCount: 0,
    };
    for (let v = 0; v < nodes; v++) {
      const own = owns[v] === 1;
      const shared = <T extends Row>(fresh: () => T, row: T): T => {
        if (own) return fresh();
        this.rows.retain(row);
        return row;
      };
      state.start.push(shared(() => this.rows.float64(), base?.start[v] ?? EMPTY_F64));
      state.trigger.push(rowsOf[v]! >= 1 ? shared(() => this.rows.uint16(), base?.trigger[v] ?? EMPTY_U16) : EMPTY_U16);
      state.uploadWriteUnits.push(rowsOf[v] === 2 ? shared(() => this.rows.float64(), base?.uploadWriteUnits[v] ?? EMPTY_F64) : EMPTY_F64);
      state.uploadReadUnits.push(rowsOf[v] === 2 ? shared(() => this.rows.float64(), base?.uploadReadUnits[v] ?? EMPTY_F64) : EMPTY_F64);
    }
    this.states.set(key, state);
    return state;
  }

  /** Drops the least recently used states until the rows fit the budget; `keep` stay. */
  trim(...keep: Array<TimingState | null>): void {
    for (const state of this.states.values()) {
      if (this.rows.liveBytes <= this.budgetBytes) return;
      if (keep.includes(state)) continue;
      this.drop(state);
    }
  }

  clear(): void {
    for (const state of [...this.states.values()]) this.drop(state);
  }

  private drop(state: TimingState): void {
    this.states.delete(state.key);
    const release = (row: Row): void => {
      if (row.length > 0) this.rows.release(row);
    };
    state.start.forEach(release);
    state.trigger.forEach(release);
    state.uploadWriteUnits.forEach(release);
    state.uploadReadUnits.forEach(release);
  }

  private touch(state: TimingState): void {
    this.states.delete(state.key);
    this.states.set(state.key, state);
  }
}
