import { loadShippedDataset } from '@caribou/adapter-offline-data';

/**
 * The round-trip p50 matrix (ms) the local provider draws message latencies from: the
 * shipped cloudping snapshot (libs/adapters/offline-data/data, see its SOURCES.md).
 */
export function localLatencyMatrix(): Record<string, Record<string, number>> {
  const matrix: Record<string, Record<string, number>> = {};
  for (const [from, row] of loadShippedDataset().latencyMs) matrix[from] = Object.fromEntries(row);
  return matrix;
}
