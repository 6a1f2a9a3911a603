// prometheus.yml as the sandbox's Prometheus reads it: global scrape_interval / scrape_timeout and
// scrape_configs with static_configs or kubernetes_sd_configs role `pod`, relabel_configs,
// metrics_path, scheme and honor_labels. Jobs using other service discovery are listed so the model
// can say (once, as a Warning event) that it does not scrape them.
import yaml from 'js-yaml';
import { relabelActions, type RelabelConfig } from './relabel.js';

/** One scrape job. */
export interface ScrapeJob {
  name: string;
  intervalMs: number;
  timeoutMs: number;
  metricsPath: string;
  scheme: string;
  honorLabels: boolean;
  /** Static targets (`host:port`) with their extra labels. */
  staticTargets: { address: string; labels: Record<string, string> }[];
  /** Namespaces for kubernetes_sd role pod: [] = all; undefined = no pod discovery. */
  podNamespaces?: string[];
  relabel: RelabelConfig[];
}

/** A loaded configuration. */
export interface PromConfig {
  intervalMs: number;
  jobs: ScrapeJob[];
  /** `job (what)` for jobs the sandbox does not scrape. */
  skipped: string[];
}

/** The image's own /etc/prometheus/prometheus.yml: Prometheus scrapes itself. */
export const defaultConfigText = 'global:\n  scrape_interval: 15s\nscrape_configs:\n- job_name: prometheus\n  static_configs:\n  - targets: [localhost:9090]\n';

/** Prometheus duration syntax (`15s`, `1m`, `500ms`, `1h30m`). */
export function parsePromDuration(text: unknown, field: string): number {
  const m = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(String(text ?? ''));
  const units = [31_536_000_000, 604_800_000, 86_400_000, 3_600_000, 60_000, 1000, 1];
  const ms = m ? units.reduce((sum, u, i) => sum + Number(m[i + 1] ?? 0) * u, 0) : 0;
  if (!m || ms <= 0) throw new Error(`${field}: not a valid duration string: ${JSON.stringify(text)} (use e.g. 15s, 1m, 500ms)`);
  return ms;
}

/** Parses prometheus.yml; throws with Prometheus-like wording on YAML or field errors. */
export function parsePromConfig(text: string): PromConfig {
  const doc = (yaml.load(text) ?? {}) as any;
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error('the configuration is not a YAML mapping');
  const intervalMs = doc.global?.scrape_interval !== undefined ? parsePromDuration(doc.global.scrape_interval, 'global.scrape_interval') : 60_000;
  const timeoutMs = doc.global?.scrape_timeout !== undefined ? parsePromDuration(doc.global.scrape_timeout, 'global.scrape_timeout') : 10_000;
  const jobs: ScrapeJob[] = [];
  const skipped: string[] = [];
  const names = new Set<string>();
  for (const [i, raw] of ((doc.scrape_configs ?? []) as any[]).entries()) {
    const name = String(raw?.job_name ?? '');
    if (!name) throw new Error(`scrape_configs[${i}]: job_name is empty`);
    if (names.has(name)) throw new Error(`found multiple scrape configs with job name "${name}"`);
    names.add(name);
    const interval = raw.scrape_interval !== undefined ? parsePromDuration(raw.scrape_interval, `${name}.scrape_interval`) : intervalMs;
    const sd: any[] = raw.kubernetes_sd_configs ?? [];
    const roles = [...new Set(sd.map((s) => String(s?.role)))];
    const others = Object.keys(raw).filter((k) => k.endsWith('_sd_configs') && k !== 'kubernetes_sd_configs');
    if (roles.some((r) => r !== 'pod') || others.length) {
      skipped.push(`${name} (${[...roles.filter((r) => r !== 'pod').map((r) => `kubernetes_sd role ${r}`), ...others].join(', ')})`);
      continue;
    }
    const relabelRules: RelabelConfig[] = raw.relabel_configs ?? [];
    for (const r of relabelRules) if (r.action && !relabelActions.has(r.action)) throw new Error(`${name}: relabel action "${r.action}" is not supported by the sandbox's Prometheus`);
    jobs.push({
      name,
      intervalMs: interval,
      timeoutMs: Math.min(raw.scrape_timeout !== undefined ? parsePromDuration(raw.scrape_timeout, `${name}.scrape_timeout`) : timeoutMs, interval),
      metricsPath: raw.metrics_path ?? '/metrics',
      scheme: raw.scheme ?? 'http',
      honorLabels: raw.honor_labels === true,
      staticTargets: ((raw.static_configs ?? []) as any[]).flatMap((s) => ((s?.targets ?? []) as string[]).map((address) => ({ address: String(address), labels: s?.labels ?? {} }))),
      podNamespaces: !sd.length ? undefined : sd.some((s) => !s.namespaces?.names?.length) ? [] : sd.flatMap((s) => s.namespaces.names as string[]),
      relabel: relabelRules,
    });
  }
  return { intervalMs, jobs, skipped };
}
