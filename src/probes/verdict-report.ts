// Turns a proportions verdict into report text: observed shares with 95 % intervals next to the
// expected ones, and a few sample responses (the first of each bucket).
import { REST_BUCKET, type BucketReport, type ProportionVerdict } from '../stats/index.js';
import { sampleResponse, type ObservedResponse } from '../traffic/index.js';
import { formatPercent } from './compare.js';

/** "v1 74.0 % [70.1–77.6] (expected 75 %)". */
export function formatBucket(b: BucketReport): string {
  const [lo, hi] = b.interval.map((x) => (x * 100).toFixed(1));
  const expected = b.expected === undefined ? '' : ` (expected ${+(b.expected * 100).toFixed(2)} %)`;
  return `${b.bucket} ${formatPercent(b.observed)} [${lo}–${hi}]${expected}`;
}

/** The distribution as one line: expected buckets in order, then the most frequent others. */
export function formatDistribution(v: ProportionVerdict, limit = 6): string {
  const rows = v.buckets;
  const shown = rows.slice(0, limit).map(formatBucket);
  return rows.length > limit ? `${shown.join(', ')}, … ${rows.length - limit} more` : shown.join(', ');
}

/** The buckets that contradict the expectation, e.g. "v1 and unexpected buckets". */
export function formatDeviating(v: ProportionVerdict): string {
  const names = v.deviating.map((b) => (b === REST_BUCKET ? 'unexpected buckets' : b));
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names.join('');
}

/** How a verdict was reached, e.g. "after 245 requests (sequential test)". */
export function formatDecision(v: ProportionVerdict): string {
  return `after ${v.requests} request${v.requests === 1 ? '' : 's'} (${v.decidedBy === 'cap' ? 'exact test at the request cap' : 'sequential test'})`;
}

/** Counts responses by status, e.g. "200 ×150, 503 ×95, no response ×2"; empty when every one was 2xx. */
export class StatusTally {
  private readonly counts = new Map<number, number>();

  /** Counts one response. */
  add(r: ObservedResponse): void {
    this.counts.set(r.status, (this.counts.get(r.status) ?? 0) + 1);
  }

  /** The counts as text, or '' when all responses were 2xx. */
  format(): string {
    if ([...this.counts.keys()].every((s) => s >= 200 && s < 300)) return '';
    return [...this.counts.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s === 0 ? 'no response' : s} ×${n}`).join(', ');
  }
}

/** Keeps the first response of each bucket (and the first errors), up to a limit. */
export class SampleKeeper {
  private readonly samples: Record<string, unknown>[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly limit = 5) {}

  /** Offers a response classified into `bucket`. */
  add(bucket: string, r: ObservedResponse): void {
    if (this.seen.has(bucket) || this.samples.length >= this.limit) return;
    this.seen.add(bucket);
    this.samples.push(sampleResponse(r, { bucket }));
  }

  /** The kept samples. */
  list(): Record<string, unknown>[] {
    return this.samples;
  }
}
