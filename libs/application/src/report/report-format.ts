/** Readable units for people (terminal and HTML); the JSON keeps grams, USD and seconds. */

const CARBON_UNITS = [
  { unit: 'kg', perGram: 1e-3, from: 1000 },
  { unit: 'g', perGram: 1, from: 1 },
  { unit: 'mg', perGram: 1e3, from: 1e-3 },
  { unit: 'µg', perGram: 1e6, from: 0 },
] as const;

export interface CarbonUnit {
  unit: 'kg' | 'g' | 'mg' | 'µg';
  /** Multiply grams by this to get the unit. */
  perGram: number;
}

/** The unit in which `grams` (the largest value shown together) reads best. */
export function carbonUnitFor(grams: number): CarbonUnit {
  const magnitude = Math.abs(grams);
  const chosen = CARBON_UNITS.find((u) => magnitude >= u.from) ?? CARBON_UNITS[CARBON_UNITS.length - 1]!;
  return { unit: chosen.unit, perGram: chosen.perGram };
}

/** Three significant digits, no exponent: 412, 41.2, 4.12, 0.412. */
export function threeDigits(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return String(value);
  const decimals = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  return value.toFixed(Math.min(decimals, 20));
}

/** `412 µg CO2e`, `1.23 kg CO2e`; several values can share the unit of the largest. */
export function formatCarbon(grams: number, unit: CarbonUnit = carbonUnitFor(grams), suffix = ' CO2e'): string {
  return `${threeDigits(grams * unit.perGram)} ${unit.unit}${suffix}`;
}

/** `-9.8 %`, `+0.0 %`; `n/a` when there was nothing to compare with. */
export function formatPercent(percent: number | null): string {
  if (percent === null) return 'n/a';
  const rounded = Math.round(percent * 10) / 10;
  if (rounded === 0) return '0.0 %';
  return `${rounded > 0 ? '+' : '-'}${Math.abs(rounded).toFixed(1)} %`;
}

/** `$0.0000171`: enough decimals for three significant digits of small amounts. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  const decimals = Math.max(2, 2 - Math.floor(Math.log10(Math.abs(usd))));
  return `$${usd.toFixed(Math.min(decimals, 20))}`;
}

/** `87 ms` below 10 s, else `12.3 s`; `n/a` without a value. */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return 'n/a';
  return seconds < 10 ? `${Math.round(seconds * 1000)} ms` : `${seconds.toFixed(1)} s`;
}
