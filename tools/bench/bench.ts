/**
 * Benchmarks print numbers, they never assert timings. Each suite measures its subject
 * and a baseline in the same process run, so the printed ratio is meaningful on any machine.
 */
export interface BenchLine {
  label: string;
  value: number;
  unit: string;
  /** A comparable figure measured (or, where stated, quoted) for the baseline. */
  baseline?: { label: string; value: number };
  /** Optional goal, printed next to the value. */
  goal?: string;
  /** Optional context printed last (ranges over repetitions, CPU time, machine load). */
  note?: string;
}

export interface BenchSuite {
  name: string;
  run(options: { quick: boolean }): Promise<BenchLine[]>;
}

export function formatBenchLine(line: BenchLine): string {
  const value = `${formatNumber(line.value)} ${line.unit}`;
  const parts = [`  ${line.label.padEnd(52)} ${value.padStart(16)}`];
  if (line.baseline) {
    const ratio = line.baseline.value / line.value;
    parts.push(`  baseline ${line.baseline.label}: ${formatNumber(line.baseline.value)} ${line.unit} (×${formatNumber(ratio)})`);
  }
  if (line.goal) parts.push(`  goal ${line.goal}`);
  if (line.note) parts.push(`  (${line.note})`);
  return parts.join('');
}

function formatNumber(value: number): string {
  if (value === 0) return '0';
  if (Math.abs(value) >= 1000) return value.toFixed(0);
  if (Math.abs(value) >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

/** Runs `body` `repetitions` times and returns the median wall time in milliseconds. */
export async function medianMs(repetitions: number, body: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const start = performance.now();
    await body();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
