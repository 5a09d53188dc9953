/**
 * examples/small_sync_example's intended behaviour (reference-system §11.2): for each
 * (execute_1, execute_2, execute_3), whether syncFunction and secondSyncFunction run —
 * each exactly once when they do.
 */
export const SMALL_SYNC_TRUTH_TABLE: Array<[boolean, boolean, boolean, boolean, boolean]> = [
  [false, false, false, false, false],
  [true, false, false, true, true],
  [false, true, false, true, true],
  [false, false, true, false, true],
  [true, true, false, true, true],
  [true, false, true, true, true],
  [false, true, true, true, true],
  [true, true, true, true, true],
];
