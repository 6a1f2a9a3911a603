// catalogue's /metrics (client_golang's default registry): the process collector's
// process_start_time_seconds (the kernel's start time, in 10 ms clock ticks) and main.go's
// http_request_duration_seconds histogram, filled by weaveworks/common's Instrument middleware
// (labels method, path = the mux route template as a label value, status_code, isWS). The Go
// runtime's go_* series and the other process_* series are not emulated.

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** expfmt's float: strconv.FormatFloat(v, 'g', -1, 64). */
export function promFloat(v: number): string {
  if (v === 0) return '0';
  const exp = Number(v.toExponential().split('e')[1]);
  // Shortest 'g' switches to an exponent below 1e-4 and from 1e6 (Go's eprec of 6), with two exponent digits at least.
  if (exp < -4 || exp >= 6) return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(v);
}

/** One histogram series. */
interface Series {
  labels: string;
  counts: number[];
  sum: number;
  count: number;
}

/** The metrics of one catalogue process. */
export class CatalogueMetrics {
  private readonly series = new Map<string, Series>();

  /** `startedMs`: when the container's process started (epoch ms). */
  constructor(private readonly startedMs: number) {}

  /** Records one served request (after the handler, as the middleware does). */
  observe(method: string, route: string, status: number, seconds: number): void {
    const labels = `isWS="false",method="${method}",path="${route}",status_code="${status}"`;
    const s = this.series.get(labels) ?? { labels, counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) s.counts[i]++;
    });
    s.sum += seconds;
    s.count++;
    this.series.set(labels, s);
  }

  /** The Prometheus text exposition. */
  render(): string {
    const name = 'http_request_duration_seconds';
    const lines = [`# HELP ${name} Time (in seconds) spent serving HTTP requests.`, `# TYPE ${name} histogram`];
    for (const s of [...this.series.values()].sort((a, b) => a.labels.localeCompare(b.labels))) {
      BUCKETS.forEach((b, i) => lines.push(`${name}_bucket{${s.labels},le="${promFloat(b)}"} ${s.counts[i]}`));
      lines.push(`${name}_bucket{${s.labels},le="+Inf"} ${s.count}`, `${name}_sum{${s.labels}} ${promFloat(s.sum)}`, `${name}_count{${s.labels}} ${s.count}`);
    }
    const start = Math.floor(this.startedMs / 10) / 100;
    lines.push('# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.', '# TYPE process_start_time_seconds gauge', `process_start_time_seconds ${promFloat(start)}`);
    return `${lines.join('\n')}\n`;
  }
}

/** weaveworks/common's MakeLabelValue of a mux path template: `/catalogue/{id}` → `catalogue_id`. */
export function routeLabel(template: string | undefined): string {
  if (!template) return 'other';
  return template.replace(/[^a-zA-Z0-9]+/g, '_').replace(/^_+|_+$/g, '').toLowerCase() || 'root';
}
