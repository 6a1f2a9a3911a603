// Prometheus's HTTP API v1 as the metrics probe, Grafana, Kiali and learners use it: /api/v1/query,
// /api/v1/query_range, /api/v1/series, /api/v1/labels, /api/v1/label/<name>/values, /api/v1/targets,
// /api/v1/status/buildinfo. Answers use the API's envelope ({status, data} or {status: "error",
// errorType, error}); bad_data → 400, execution → 422, as Prometheus does.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, send } from '../http-kit.js';
import { parsePromDuration } from './config.js';
import { evaluate, type SeriesSource } from './promql-eval.js';
import { PromQLError } from './promql-errors.js';
import { labelsKey } from './promql-functions.js';
import { parsePromQL } from './promql-parser.js';
import { toApiResult, formatValue, type StoredSeries } from './promql-values.js';
import type { TargetState } from './scraper.js';
import type { MemoryTsdb } from './tsdb.js';

/** What the API reads. */
export interface ApiDeps {
  tsdb: MemoryTsdb;
  now(): number;
  targets(): TargetState[];
  version: string;
}

const json = { 'Content-Type': 'application/json' };

function ok(res: ServerResponse, data: unknown): void {
  send(res, 200, json, JSON.stringify({ status: 'success', data }));
}

function fail(res: ServerResponse, err: unknown): void {
  const e = err instanceof PromQLError ? err : new PromQLError('bad_data', (err as Error).message);
  send(res, e.errorType === 'bad_data' ? 400 : 422, json, JSON.stringify({ status: 'error', errorType: e.errorType, error: e.message }));
}

/** A time parameter: unix seconds (float) or RFC 3339. */
function parseTime(value: string | null, fallback: number, name: string): number {
  if (value === null || value === '') return fallback;
  if (/^-?\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new PromQLError('bad_data', `invalid parameter "${name}": cannot parse "${value}" to a valid timestamp`);
  return ms;
}

/** Query and form parameters (GET query string, or a form-encoded POST body). */
async function params(req: IncomingMessage): Promise<URLSearchParams> {
  const url = new URL(req.url ?? '/', 'http://prometheus');
  if (req.method !== 'POST') return url.searchParams;
  const body = new URLSearchParams((await readBody(req)).toString('utf8'));
  for (const [k, v] of url.searchParams) body.append(k, v);
  return body;
}

function query(p: URLSearchParams, deps: ApiDeps): unknown {
  const t = parseTime(p.get('time'), deps.now(), 'time');
  return toApiResult(evaluate(parsePromQL(p.get('query') ?? ''), t, deps.tsdb), t);
}

function queryRange(p: URLSearchParams, deps: ApiDeps): unknown {
  const start = parseTime(p.get('start'), NaN, 'start');
  const end = parseTime(p.get('end'), NaN, 'end');
  if (Number.isNaN(start) || Number.isNaN(end)) throw new PromQLError('bad_data', 'invalid parameter "start"/"end": both are required');
  const rawStep = p.get('step') ?? '';
  const step = /^\d+(\.\d+)?$/.test(rawStep) ? Number(rawStep) * 1000 : parsePromDuration(rawStep, 'invalid parameter "step"');
  if (end < start) throw new PromQLError('bad_data', 'invalid parameter "end": end timestamp must not be before start time');
  if (!(step > 0)) throw new PromQLError('bad_data', 'invalid parameter "step": zero or negative query resolution step widths are not accepted');
  if ((end - start) / step > 11000) throw new PromQLError('bad_data', 'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
  const expr = parsePromQL(p.get('query') ?? '');
  const series = new Map<string, StoredSeries>();
  for (let t = start; t <= end; t += step) {
    const v = evaluate(expr, t, deps.tsdb);
    if (v.kind === 'matrix' || v.kind === 'string') throw new PromQLError('bad_data', `invalid expression type "${v.kind === 'matrix' ? 'range vector' : 'string'}" for range query, must be Scalar or instant Vector`);
    for (const s of v.kind === 'scalar' ? [{ labels: {}, value: v.value }] : v.samples) {
      const key = labelsKey(s.labels);
      let out = series.get(key);
      if (!out) series.set(key, (out = { labels: s.labels, points: [] }));
      out.points.push({ t, v: s.value });
    }
  }
  return { resultType: 'matrix', result: [...series.values()].map((s) => ({ metric: s.labels, values: s.points.map((pt) => [pt.t / 1000, formatValue(pt.v)]) })) };
}

/** Series matching every `match[]` selector (all series when none is given, for label listings). */
function matching(p: URLSearchParams, source: SeriesSource & { all(): StoredSeries[] }): StoredSeries[] {
  const selectors = p.getAll('match[]');
  if (!selectors.length) return source.all();
  return selectors.flatMap((m) => {
    const e = parsePromQL(m);
    if (e.type !== 'selector' || e.rangeMs !== undefined) throw new PromQLError('bad_data', `invalid parameter "match[]": ${m} is not an instant vector selector`);
    return source.select(e.matchers);
  });
}

function targets(deps: ApiDeps): unknown {
  return {
    activeTargets: deps.targets().map((s) => ({
      discoveredLabels: s.target.discovered,
      labels: s.target.labels,
      scrapePool: s.scrapePool,
      scrapeUrl: s.target.url,
      globalUrl: s.target.url,
      lastError: s.lastError,
      lastScrape: (s.lastScrape ?? new Date(0)).toISOString(),
      lastScrapeDuration: s.lastScrapeDurationMs / 1000,
      health: s.health,
      scrapeInterval: `${s.intervalMs / 1000}s`,
      scrapeTimeout: `${s.timeoutMs / 1000}s`,
    })),
    droppedTargets: [],
  };
}

/** Handles /api/v1/*; false when the path is not an API path. */
export async function handleApi(req: IncomingMessage, res: ServerResponse, path: string, deps: ApiDeps): Promise<boolean> {
  if (!path.startsWith('/api/v1/')) return false;
  try {
    const p = await params(req);
    const route = path.slice('/api/v1/'.length);
    const labelValues = /^label\/([^/]+)\/values$/.exec(route);
    if (route === 'query') ok(res, query(p, deps));
    else if (route === 'query_range') ok(res, queryRange(p, deps));
    else if (route === 'series') {
      if (!p.getAll('match[]').length) throw new PromQLError('bad_data', 'no match[] parameter provided');
      ok(res, matching(p, deps.tsdb).map((s) => s.labels));
    }
    else if (route === 'labels') ok(res, [...new Set(matching(p, deps.tsdb).flatMap((s) => Object.keys(s.labels)))].sort());
    else if (labelValues) ok(res, [...new Set(matching(p, deps.tsdb).flatMap((s) => s.labels[decodeURIComponent(labelValues[1])] ?? []))].sort());
    else if (route === 'targets') ok(res, targets(deps));
    else if (route === 'status/buildinfo') ok(res, { version: deps.version, revision: '', branch: 'HEAD', buildUser: 'istio-lab-sandbox', buildDate: '', goVersion: '' });
    else send(res, 404, json, JSON.stringify({ status: 'error', errorType: 'not_found', error: `the istio-lab sandbox's Prometheus does not serve /api/v1/${route}` }));
  } catch (err) {
    fail(res, err);
  }
  return true;
}
