// fortio inside a pod: the `fortio load` arguments and a parser for its report (written to stderr):
// `Code 200 : 17 (85.0 %)` lines, `# target 50% 0.0123` percentiles (seconds), `All done ...`.
import type { RequestSpec } from './response.js';

/** How much load to generate. */
export interface FortioLoad {
  concurrency: number;
  /** Requests per second in total; 0 = as fast as possible. */
  qps: number;
  requests?: number;
  durationMs?: number;
}

/** What fortio's report says. */
export interface FortioReport {
  /** Status code → count; transport errors are code 0 (fortio prints -1). */
  codes: Record<number, number>;
  total: number;
  /** Latency percentiles in ms, keyed like "p50", "p99" (fortio's `# target` lines). */
  percentiles: Record<string, number>;
  avgMs?: number;
  actualQps?: number;
}

/** argv for `fortio load` to `url` (the report goes to stderr). */
export function buildFortioArgs(url: string, spec: RequestSpec, load: FortioLoad, withHost: boolean): string[] {
  const args = ['fortio', 'load', '-c', String(load.concurrency), '-qps', String(load.qps)];
  if (load.requests !== undefined) args.push('-n', String(load.requests));
  else args.push('-t', `${Math.max(1, Math.round(load.durationMs ?? 5000))}ms`);
  args.push('-loglevel', 'Warning');
  if (spec.method !== 'GET') args.push('-X', spec.method);
  if (withHost && spec.host) args.push('-H', `Host: ${spec.host}`);
  for (const [k, v] of Object.entries(spec.headers ?? {})) args.push('-H', `${k}: ${v}`);
  if (spec.body !== undefined) args.push('-payload', spec.body);
  args.push(url);
  return args;
}

/** Parses a fortio load report; undefined when the text has no `Code` lines. */
export function parseFortioReport(text: string): FortioReport | undefined {
  const codes: Record<number, number> = {};
  for (const m of text.matchAll(/^Code\s+(-?\d+)\s*:\s*(\d+)/gm)) {
    const code = Number(m[1]) < 0 ? 0 : Number(m[1]);
    codes[code] = (codes[code] ?? 0) + Number(m[2]);
  }
  const total = Object.values(codes).reduce((a, b) => a + b, 0);
  if (!total) return undefined;
  const percentiles: Record<string, number> = {};
  for (const m of text.matchAll(/^# target (\d+(?:\.\d+)?)% ([0-9.eE+-]+)/gm)) percentiles[`p${m[1]}`] = Number(m[2]) * 1000;
  const done = /All done \d+ calls.*? ([0-9.]+) ms avg, ([0-9.]+) qps/.exec(text);
  return { codes, total, percentiles, ...(done ? { avgMs: Number(done[1]), actualQps: Number(done[2]) } : {}) };
}
