// Model of prom/prometheus as Istio's samples/addons/prometheus.yaml runs it: loads --config.file from
// its ConfigMap volume (reloaded on POST /-/reload and when the ConfigMap changes), scrapes pods over the
// sandbox's pod network every scrape_interval (the ConfigMap's, 15s in the addon; tests set it short),
// keeps samples in memory and answers the HTTP API with a PromQL subset (promql-errors.ts). What it
// does not model — other service discovery, rules, alerting, remote write, the React UI — is either
// refused with an error or reported once as a Warning event on the pod.
import type { RequestListener } from 'node:http';
import { send } from '../http-kit.js';
import { parseImageRef } from '../image-ref.js';
import type { ContainerContext, ContainerWorkload, WorkloadModel } from '../model.js';
import { flagValue, readMountedFile } from '../mounted-files.js';
import { defaultConfigText, parsePromConfig } from './config.js';
import { handleApi } from './http-api.js';
import { Scraper } from './scraper.js';
import { MemoryTsdb } from './tsdb.js';
import { queryPage } from './ui.js';

/** The image's default --config.file. */
const DEFAULT_CONFIG = '/etc/prometheus/prometheus.yml';
/** How often the model looks for a changed ConfigMap (the kubelet's volume sync plus the config-reloader's poke). */
const CONFIG_POLL_MS = 10_000;

/** prom/prometheus. */
export const prometheusModel: WorkloadModel = {
  name: 'prometheus',
  create(ctx: ContainerContext): ContainerWorkload {
    return new PrometheusServer(ctx).workload();
  },
};

class PrometheusServer {
  private readonly tsdb = new MemoryTsdb();
  private readonly version: string;
  private readonly configPath: string;
  private readonly warned = new Set<string>();
  private scraper?: Scraper;
  /** The config text last tried (loaded or rejected), so a bad ConfigMap is reported once per change. */
  private attempted?: string;
  private poll?: NodeJS.Timeout;

  constructor(private readonly ctx: ContainerContext) {
    this.version = (parseImageRef(ctx.container.image).tag ?? 'v3').replace(/^v/, '');
    this.configPath = flagValue(ctx, 'config.file') ?? DEFAULT_CONFIG;
  }

  workload(): ContainerWorkload {
    return {
      start: () => {
        this.log('INFO', 'main.go', 'Starting Prometheus Server', `mode=server version="(version=${this.version})"`);
        const error = this.load();
        if (error) return Promise.resolve(1);
        this.poll = setInterval(() => this.load(), CONFIG_POLL_MS);
        this.poll.unref?.();
        this.log('INFO', 'main.go', 'Server is ready to receive web requests.');
      },
      stop: () => {
        clearInterval(this.poll);
        this.scraper?.stop();
      },
      httpHandler: (port) => (port === 9090 ? this.handler : undefined),
    };
  }

  /** logfmt lines as Prometheus 3 writes them. */
  private log(level: string, source: string, msg: string, extra = ''): void {
    this.ctx.log(`time=${this.ctx.clock.now().toISOString()} level=${level} source=${source} msg=${JSON.stringify(msg)}${extra ? ` ${extra}` : ''}`);
  }

  private warnOnce(reason: string, message: string): void {
    if (this.warned.has(reason)) return;
    this.warned.add(reason);
    this.ctx.cluster?.warn(reason, message);
  }

  /** (Re)loads the configuration if its text changed; returns an error message, or undefined. */
  private load(): string | undefined {
    const text = readMountedFile(this.ctx, this.configPath) ?? (this.configPath === DEFAULT_CONFIG ? defaultConfigText : undefined);
    if (text !== undefined && text === this.attempted) return undefined;
    this.attempted = text;
    const file = `filename=${this.configPath}`;
    if (text === undefined) {
      const err = `open ${this.configPath}: no such file or directory`;
      this.log('ERROR', 'main.go', 'Error loading config (--config.file=' + this.configPath + ')', `${file} err="${err}"`);
      return err;
    }
    this.log('INFO', 'main.go', 'Loading configuration file', file);
    try {
      const config = parsePromConfig(text);
      this.scraper?.stop();
      this.scraper = new Scraper({ ctx: this.ctx, tsdb: this.tsdb, selfMetrics: () => this.selfMetrics() }, config);
      this.scraper.start();
      if (config.skipped.length) {
        this.warnOnce('UnsupportedScrapeConfig', `istio-lab sandbox: Prometheus discovers targets only through static_configs and kubernetes_sd_configs role pod; these jobs are not scraped: ${config.skipped.join('; ')}`);
      }
      if (!this.ctx.cluster) this.warnOnce('NoServiceDiscovery', 'istio-lab sandbox: no API access, so kubernetes_sd_configs find no pods');
      this.log('INFO', 'main.go', 'Completed loading of configuration file', `${file} jobs=${config.jobs.length}`);
      return undefined;
    } catch (err) {
      const msg = (err as Error).message;
      this.log('ERROR', 'main.go', this.scraper ? 'Error reloading config' : `Error loading config (--config.file=${this.configPath})`, `${file} err=${JSON.stringify(msg)}`);
      return msg;
    }
  }

  private selfMetrics(): string {
    return [
      '# TYPE prometheus_build_info gauge',
      `prometheus_build_info{branch="HEAD",goversion="",revision="",tags="",version="${this.version}"} 1`,
      '# TYPE prometheus_ready gauge',
      'prometheus_ready 1',
      '# TYPE prometheus_tsdb_head_series gauge',
      `prometheus_tsdb_head_series ${this.tsdb.all().length}`,
      '',
    ].join('\n');
  }

  private readonly handler: RequestListener = (req, res) => {
    const path = new URL(req.url ?? '/', 'http://prometheus').pathname;
    const deps = { tsdb: this.tsdb, now: () => this.ctx.clock.now().getTime(), targets: () => [...(this.scraper?.targets.values() ?? [])], version: this.version };
    void handleApi(req, res, path, deps).then((handled) => {
      if (handled) return;
      const text = { 'Content-Type': 'text/plain; charset=utf-8' };
      if (path === '/-/ready') send(res, 200, text, 'Prometheus Server is Ready.\n');
      else if (path === '/-/healthy') send(res, 200, text, 'Prometheus Server is Healthy.\n');
      else if (path === '/-/reload' && (req.method === 'POST' || req.method === 'PUT')) {
        this.attempted = undefined;
        const err = this.load();
        send(res, err ? 500 : 200, text, err ? `failed to reload config: ${err}\n` : '');
      } else if (path === '/metrics') send(res, 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }, this.selfMetrics());
      else if (path === '/') send(res, 302, { Location: '/query' });
      else if (path === '/query' || path === '/graph') send(res, 200, { 'Content-Type': 'text/html; charset=utf-8' }, queryPage(this.version));
      else send(res, 404, text, '404 page not found\n');
    });
  };
}
