// The scrape loop: every job's targets are discovered and scraped each scrape_interval (the first
// round right at start, where Prometheus would spread targets over the interval), samples go to the
// TSDB stamped with the scrape's start time, each target gets `up`, `scrape_duration_seconds` and
// `scrape_samples_scraped`, and series a target stops exposing (or a vanished target's) get staleness
// markers. Pods are read through the container's API view; targets are fetched over the pod network.
import type { ContainerContext } from '../model.js';
import type { PromConfig, ScrapeJob } from './config.js';
import { buildTargets, podTargets, staticTargets, type Target } from './discovery.js';
import { parseExposition } from './exposition.js';
import { labelsKey } from './promql-functions.js';
import type { Labels } from './promql-values.js';
import type { MemoryTsdb } from './tsdb.js';

/** A target's health as /api/v1/targets reports it. */
export interface TargetState {
  target: Target;
  scrapePool: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  lastScrape?: Date;
  lastScrapeDurationMs: number;
  intervalMs: number;
  timeoutMs: number;
  series: Map<string, Labels>;
}

/** What the loop needs besides the container context. */
export interface ScraperDeps {
  ctx: ContainerContext;
  tsdb: MemoryTsdb;
  /** This Prometheus's own /metrics body (static target localhost:9090). */
  selfMetrics(): string;
}

/** Runs the scrape jobs of one configuration until stopped. */
export class Scraper {
  readonly targets = new Map<string, TargetState>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly deps: ScraperDeps,
    readonly config: PromConfig,
  ) {}

  /** Starts every job (first round now). */
  start(): void {
    for (const job of this.config.jobs) this.loop(job);
  }

  /** Stops the timers; targets keep their last state. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private loop(job: ScrapeJob): void {
    if (this.stopped) return;
    const started = Date.now();
    void this.round(job).finally(() => {
      if (this.stopped) return;
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.loop(job);
      }, Math.max(0, job.intervalMs - (Date.now() - started)));
      t.unref?.();
      this.timers.add(t);
    });
  }

  /** One scrape round of a job: rediscover, scrape every target, retire vanished targets. */
  async round(job: ScrapeJob): Promise<void> {
    const { ctx } = this.deps;
    const discovered = [...staticTargets(job)];
    if (job.podNamespaces && ctx.cluster) {
      const namespaces = job.podNamespaces.length ? job.podNamespaces : [undefined];
      for (const ns of namespaces) discovered.push(...podTargets(ctx.cluster.list('pods', ns)));
    }
    const targets = buildTargets(job, discovered);
    const live = new Set(targets.map((t) => `${job.name}|${labelsKey(t.labels)}`));
    for (const [key, state] of this.targets) {
      if (state.scrapePool !== job.name || live.has(key)) continue;
      const now = ctx.clock.now().getTime();
      for (const labels of state.series.values()) this.deps.tsdb.markStale(labels, now);
      this.targets.delete(key);
    }
    await Promise.all(
      targets.map((target) => {
        const key = `${job.name}|${labelsKey(target.labels)}`;
        let state = this.targets.get(key);
        if (!state) this.targets.set(key, (state = { target, scrapePool: job.name, health: 'unknown', lastError: '', lastScrapeDurationMs: 0, intervalMs: job.intervalMs, timeoutMs: job.timeoutMs, series: new Map() }));
        state.target = target;
        return this.scrape(job, state);
      }),
    );
  }

  private async fetchTarget(job: ScrapeJob, url: URL): Promise<string> {
    const { ctx } = this.deps;
    const self = ['localhost', '127.0.0.1', ctx.pod.status?.podIP].includes(url.hostname) && (url.port || '80') === '9090';
    if (self) return this.deps.selfMetrics();
    const res = await ctx.network.fetch(ctx.pod, url.toString(), { headers: { accept: 'text/plain;version=0.0.4', 'x-prometheus-scrape-timeout-seconds': String(job.timeoutMs / 1000) }, timeoutMs: job.timeoutMs, signal: ctx.signal });
    if ('failure' in res) throw new Error(`Get "${url}": ${res.failure === 'timeout' ? 'context deadline exceeded' : res.message}`);
    if (res.status !== 200) throw new Error(`server returned HTTP status ${res.status} ${res.status === 404 ? 'Not Found' : ''}`.trim());
    return res.body.toString('utf8');
  }

  private async scrape(job: ScrapeJob, state: TargetState): Promise<void> {
    const { ctx, tsdb } = this.deps;
    const start = ctx.clock.now();
    const t = start.getTime();
    const began = Date.now();
    const seen = new Map<string, Labels>();
    const put = (labels: Labels, value: number) => {
      tsdb.append(labels, t, value);
      seen.set(labelsKey(labels), labels);
    };
    let up = 1;
    let samples = 0;
    try {
      const body = await this.fetchTarget(job, new URL(state.target.url));
      const scraped = parseExposition(body);
      samples = scraped.length;
      for (const s of scraped) put(this.withTargetLabels(job, s.labels, state.target.labels), s.value);
      state.lastError = '';
    } catch (err) {
      up = 0;
      state.lastError = (err as Error).message;
    }
    if (this.stopped) return;
    state.health = up ? 'up' : 'down';
    state.lastScrape = start;
    state.lastScrapeDurationMs = Date.now() - began;
    put({ __name__: 'up', ...state.target.labels }, up);
    put({ __name__: 'scrape_duration_seconds', ...state.target.labels }, state.lastScrapeDurationMs / 1000);
    put({ __name__: 'scrape_samples_scraped', ...state.target.labels }, samples);
    for (const [key, labels] of state.series) if (!seen.has(key)) tsdb.markStale(labels, t);
    state.series = seen;
    tsdb.compact(t);
  }

  /** Target labels attached to a scraped sample: honor_labels keeps the sample's on conflict; otherwise they become exported_<name>. */
  private withTargetLabels(job: ScrapeJob, sample: Labels, target: Labels): Labels {
    const out: Labels = { ...sample };
    for (const [k, v] of Object.entries(target)) {
      if (k in out && !job.honorLabels) out[`exported_${k}`] = out[k];
      if (!(k in out) || !job.honorLabels) out[k] = v;
    }
    return out;
  }
}
