// The sandbox Prometheus's storage: series in memory, indexed by metric name, with staleness markers
// and time-based retention (a few hours instead of the addon's 15d: nothing is written to disk, so a
// restarted Prometheus pod starts empty, as one without a persistent volume does).
import type { Matcher } from './promql-parser.js';
import { selectSeries, type SeriesSource } from './promql-eval.js';
import { labelsKey } from './promql-functions.js';
import type { Labels, StoredSeries } from './promql-values.js';

/** How long samples are kept. */
export const RETENTION_MS = 6 * 3_600_000;

/** In-memory series storage. */
export class MemoryTsdb implements SeriesSource {
  private readonly byKey = new Map<string, StoredSeries>();
  private readonly byName = new Map<string, Set<StoredSeries>>();

  /** Appends a sample (out-of-order samples for a series are dropped, as Prometheus does). */
  append(labels: Labels, t: number, v: number): void {
    const s = this.series(labels);
    const last = s.points[s.points.length - 1];
    if (last && t < last.t) return;
    if (last && t === last.t) s.points[s.points.length - 1] = { t, v };
    else s.points.push({ t, v });
  }

  /** Writes a staleness marker: the series ended at `t` (its target dropped it or went away). */
  markStale(labels: Labels, t: number): void {
    const s = this.byKey.get(labelsKey(labels));
    const last = s?.points[s.points.length - 1];
    if (s && last && !last.stale && t >= last.t) s.points.push({ t, v: NaN, stale: true });
  }

  select(matchers: Matcher[]): StoredSeries[] {
    const name = matchers.find((m) => m.name === '__name__' && m.op === '=');
    return selectSeries(name ? (this.byName.get(name.value) ?? []) : this.byKey.values(), matchers);
  }

  /** Every series (for label listings). */
  all(): StoredSeries[] {
    return [...this.byKey.values()];
  }

  /** Drops samples older than the retention window, and series left empty. */
  compact(now: number): void {
    const cutoff = now - RETENTION_MS;
    for (const [key, s] of this.byKey) {
      if (s.points.length && s.points[0].t >= cutoff) continue;
      s.points = s.points.filter((p) => p.t >= cutoff);
      if (!s.points.length) {
        this.byKey.delete(key);
        this.byName.get(s.labels.__name__ ?? '')?.delete(s);
      }
    }
  }

  private series(labels: Labels): StoredSeries {
    const key = labelsKey(labels);
    let s = this.byKey.get(key);
    if (!s) {
      this.byKey.set(key, (s = { labels, points: [] }));
      const name = labels.__name__ ?? '';
      let set = this.byName.get(name);
      if (!set) this.byName.set(name, (set = new Set()));
      set.add(s);
    }
    return s;
  }
}
