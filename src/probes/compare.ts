// Small comparisons shared by probes: numbers against {gt, gte, lt, lte, eq}, percentile bounds,
// and formatting of percentages and durations for messages.
import { parseDuration } from '../lab/index.js';

/** A numeric comparison as labs write it. */
export interface Comparison {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  eq?: number;
}

const OPS: [keyof Comparison, string, (a: number, b: number) => boolean][] = [
  ['gt', '>', (a, b) => a > b],
  ['gte', '≥', (a, b) => a >= b],
  ['lt', '<', (a, b) => a < b],
  ['lte', '≤', (a, b) => a <= b],
  ['eq', '=', (a, b) => a === b],
];

/** The comparison as text, e.g. "> 0" or "≥ 1, ≤ 5". */
export function formatComparison(c: Comparison): string {
  return OPS.filter(([k]) => c[k] !== undefined).map(([k, sym]) => `${sym} ${c[k]}`).join(', ');
}

/** Whether `value` satisfies every bound of `c`. */
export function satisfies(value: number, c: Comparison): boolean {
  return OPS.every(([k, , test]) => c[k] === undefined || test(value, c[k]!));
}

/** "74.0 %". */
export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

/** "12 ms" or "3.02 s". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

/** Percentile bounds as labs write them: p50/p90/p95/p99 → {min?, max?} durations. */
export type PercentileBounds = Partial<Record<'p50' | 'p90' | 'p95' | 'p99', { min?: string; max?: string } | undefined>>;

/** Problems with measured percentiles (ms) against bounds; a missing percentile is a problem. */
export function checkPercentiles(bounds: PercentileBounds, measured: Record<string, number | undefined>): string[] {
  const problems: string[] = [];
  for (const [key, b] of Object.entries(bounds)) {
    if (!b) continue;
    const value = measured[key];
    if (value === undefined || !Number.isFinite(value)) {
      problems.push(`${key} was not measured`);
      continue;
    }
    if (b.min !== undefined && value < parseDuration(b.min)) problems.push(`${key} ${formatMs(value)} is below ${b.min}`);
    if (b.max !== undefined && value > parseDuration(b.max)) problems.push(`${key} ${formatMs(value)} is above ${b.max}`);
  }
  return problems;
}
