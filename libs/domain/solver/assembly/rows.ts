// Row access for the kernels: a row is the address of its first element in the simulator's
// RowArena, indexed by run. Inlined, so each is one load or store.

/** Run r's value in a row of doubles. */
// @ts-ignore: decorator
@inline export function get(row: usize, r: i32): f64 {
  return load<f64>(row + (<usize>r << 3));
}

// @ts-ignore: decorator
@inline export function set(row: usize, r: i32, value: f64): void {
  store<f64>(row + (<usize>r << 3), value);
}

/**
 * row[r] = row[r] + value: `value` is summed in full before it is added, as in JavaScript's
 * `row[r] += a + b` (not `row[r] + a + b`, which rounds differently).
 */
// @ts-ignore: decorator
@inline export function add(row: usize, r: i32, value: f64): void {
  set(row, r, get(row, r) + value);
}

/** row[r] = value where value > row[r] (a run's runtime: the latest end so far). */
// @ts-ignore: decorator
@inline export function raise(row: usize, r: i32, value: f64): void {
  if (value > get(row, r)) set(row, r, value);
}

/** Run r's value in a Uint16 row. */
// @ts-ignore: decorator
@inline export function get16(row: usize, r: i32): i32 {
  return <i32>load<u16>(row + (<usize>r << 1));
}

// @ts-ignore: decorator
@inline export function set16(row: usize, r: i32, value: i32): void {
  store<u16>(row + (<usize>r << 1), <u16>value);
}

/** The run at index i of a run list (ascending Int32 run indices). */
// @ts-ignore: decorator
@inline export function runAt(list: usize, i: i32): i32 {
  return load<i32>(list + (<usize>i << 2));
}
