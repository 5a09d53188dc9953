/** Placeholder replaced when the offline dataset lands. */
export function localLatencyMatrix(): Record<string, Record<string, number>> {
  return {};
}
