// What a `load` run must show: status shares ("503" or "5xx" → percent range), headers on a share
// of responses (x-envoy-overloaded), latency percentiles. Pure: counts in, problems out.
import type { LoadCheck } from '../lab/index.js';
import { wilsonInterval } from '../stats/index.js';
import { checkPercentiles, formatMs } from './compare.js';

/** What a load run observed, whatever generated it. */
export interface LoadObservation {
  total: number;
  /** Status → count (0: no response). */
  codes: Record<number, number>;
  /** Header → responses carrying it (undefined when the generator cannot see headers, e.g. fortio). */
  headers?: Record<string, number>;
  /** p50/p90/p95/p99 in ms. */
  percentiles: Record<string, number | undefined>;
}

/** Whether a status matches a key like "503" or "5xx". */
export function matchesStatusKey(status: number, key: string): boolean {
  return /xx$/.test(key) ? Math.floor(status / 100) === Number(key[0]) : status === Number(key);
}

/** "62.0 % [52.2–70.9]". */
function share(count: number, total: number): string {
  const [lo, hi] = wilsonInterval(count, total).map((x) => (x * 100).toFixed(1));
  return `${((100 * count) / Math.max(1, total)).toFixed(1)} % [${lo}–${hi}]`;
}

/** Problems with a load observation against the check's expectations. */
export function checkLoad(expect: LoadCheck['expect'], o: LoadObservation): string[] {
  const problems: string[] = [];
  const pct = (count: number) => (100 * count) / Math.max(1, o.total);
  for (const [key, range] of Object.entries(expect.status ?? {})) {
    const count = Object.entries(o.codes).filter(([s]) => matchesStatusKey(Number(s), key)).reduce((a, [, c]) => a + c, 0);
    if ((range.min !== undefined && pct(count) < range.min) || (range.max !== undefined && pct(count) > range.max)) {
      problems.push(`${key} on ${share(count, o.total)} of responses, expected ${range.min ?? 0}–${range.max ?? 100} %`);
    }
  }
  for (const [name, range] of Object.entries(expect.headers ?? {})) {
    const count = o.headers?.[name.toLowerCase()];
    if (count === undefined) problems.push(`header ${name} cannot be observed with this load generator`);
    else if ((range.min !== undefined && pct(count) < range.min) || (range.max !== undefined && pct(count) > range.max)) {
      problems.push(`header ${name}${range.equals ? `: ${range.equals}` : ''} on ${share(count, o.total)} of responses, expected ${range.min ?? 0}–${range.max ?? 100} %`);
    }
  }
  if (expect.latency) problems.push(...checkPercentiles(expect.latency, o.percentiles));
  return problems;
}

/** "200 78.0 %, 503 22.0 %; x-envoy-overloaded 22.0 %; p50 4 ms, p99 30 ms". */
export function formatLoad(o: LoadObservation): string {
  const codes = Object.entries(o.codes).map(([s, c]) => `${s === '0' ? 'no response' : s} ${((100 * c) / Math.max(1, o.total)).toFixed(1)} %`).join(', ');
  const headers = Object.entries(o.headers ?? {}).map(([h, c]) => `${h} on ${((100 * c) / Math.max(1, o.total)).toFixed(1)} %`).join(', ');
  const p = o.percentiles;
  return [codes, headers, `p50 ${formatMs(p.p50 ?? NaN)}, p90 ${formatMs(p.p90 ?? NaN)}, p99 ${formatMs(p.p99 ?? NaN)}`].filter(Boolean).join('; ');
}

/** Counts statuses and the expected headers (honouring `equals`) over responses. */
export function observeResponses(expect: LoadCheck['expect'], responses: { status: number; headers: Record<string, string> }[], percentiles: Record<string, number>): LoadObservation {
  const codes: Record<number, number> = {};
  for (const r of responses) codes[r.status] = (codes[r.status] ?? 0) + 1;
  const headers: Record<string, number> = {};
  for (const [name, range] of Object.entries(expect.headers ?? {})) {
    const key = name.toLowerCase();
    headers[key] = responses.filter((r) => r.headers[key] !== undefined && (range.equals === undefined || r.headers[key] === range.equals)).length;
  }
  return { total: responses.length, codes, headers, percentiles };
}
