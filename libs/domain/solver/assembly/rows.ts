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

/** Element i of an Int32 row or table. */
// @ts-ignore: decorator
@inline export function getI32(row: usize, i: i32): i32 {
  return load<i32>(row + (<usize>i << 2));
}

/** The run at index i of a run list (ascending Int32 run indices). */
// @ts-ignore: decorator
@inline export function runAt(list: usize, i: i32): i32 {
  return getI32(list, i);
}

// ---------------------------------------------------------------------------------------
// Two runs at once (WebAssembly SIMD, f64x2): the same IEEE operation on each lane, so the
// same bits as one run at a time, in about 0.6× the time (measured on the simple-node loop).
// A loop over runs [r0, r1) takes pairs r, r + 1; where r + 1 is past the range (`whole`
// false) it still reads run r + 1 (RowArena keeps slack after its last row) but writes run r
// only.
// ---------------------------------------------------------------------------------------

/** Runs r and r + 1 of a row of doubles. */
// @ts-ignore: decorator
@inline export function get2(row: usize, r: i32): v128 {
  return v128.load(row + (<usize>r << 3));
}

// @ts-ignore: decorator
@inline export function set2(row: usize, r: i32, value: v128, whole: bool): void {
  if (whole) v128.store(row + (<usize>r << 3), value);
  else store<f64>(row + (<usize>r << 3), f64x2.extract_lane(value, 0));
}

/** As `add`, for two runs. */
// @ts-ignore: decorator
@inline export function add2(row: usize, r: i32, value: v128, whole: bool): void {
  set2(row, r, f64x2.add(get2(row, r), value), whole);
}

/**
 * As `raise`, for two runs: pmax(row, value) is `row < value ? value : row`, which is
 * `value > row ? value : row` — NaN and signed zeros included (f64x2.max would differ).
 */
// @ts-ignore: decorator
@inline export function raise2(row: usize, r: i32, value: v128, whole: bool): void {
  set2(row, r, f64x2.pmax(get2(row, r), value), whole);
}

/** A coefficient in both lanes. */
// @ts-ignore: decorator
@inline export function both(x: f64): v128 {
  return f64x2.splat(x);
}

// @ts-ignore: decorator
@inline export function plus(a: v128, b: v128): v128 {
  return f64x2.add(a, b);
}

// @ts-ignore: decorator
@inline export function times(a: v128, b: v128): v128 {
  return f64x2.mul(a, b);
}

/** x0·k0 + x1·k1, summed left to right as JavaScript sums `x0 * k0 + x1 * k1`. */
// @ts-ignore: decorator
@inline export function dot2(x0: v128, k0: v128, x1: v128, k1: v128): v128 {
  return plus(times(x0, k0), times(x1, k1));
}

/** x0·k0 + x1·k1 + x2·k2, left to right. */
// @ts-ignore: decorator
@inline export function dot3(x0: v128, k0: v128, x1: v128, k1: v128, x2: v128, k2: v128): v128 {
  return plus(dot2(x0, k0, x1, k1), times(x2, k2));
}

/** x0·k0 + x1·k1 + x2·k2 + x3·k3, left to right. */
// @ts-ignore: decorator
@inline export function dot4(x0: v128, k0: v128, x1: v128, k1: v128, x2: v128, k2: v128, x3: v128, k3: v128): v128 {
  return plus(dot3(x0, k0, x1, k1, x2, k2), times(x3, k3));
}
