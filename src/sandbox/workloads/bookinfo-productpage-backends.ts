// productpage's calls to details, reviews and ratings (§11.2), sent through the pod's network so the
// sidecar's routing, faults, timeouts and retries apply: python-requests with `timeout=3.0`, details and
// ratings once, reviews up to twice (the "bug introduced explicitly" for the fault-injection task), any
// non-200 or exception counting as a failure; the headers it forwards (getForwardHeaders, with B3 through
// OpenTelemetry's B3MultiFormat); and the `request_result` counter behind /metrics.
import type { IncomingHttpHeaders } from 'node:http';
import { isTransportFailure } from '../mesh/types.js';
import type { ContainerContext } from './model.js';

/** The incoming headers productpage copies onto its outgoing calls, besides B3 and end-user. */
const FORWARDED = ['x-request-id', 'x-ot-span-context', 'x-datadog-trace-id', 'x-datadog-parent-id', 'x-datadog-sampling-priority', 'traceparent', 'tracestate', 'x-cloud-trace-context', 'grpc-trace-bin', 'sw8', 'user-agent', 'cookie', 'authorization', 'jwt'];
/** What python-requests 2.32.3 sends by default (User-Agent is replaced by a forwarded one). */
const REQUESTS_DEFAULTS = { 'user-agent': 'python-requests/2.32.3', 'accept-encoding': 'gzip, deflate', accept: '*/*' };
const TIMEOUT_MS = 3000;

/** A backend answer as productpage's data providers return it: (status, dict). */
export type BackendResult = [number, Record<string, unknown>];

/** A 200 whose body is not JSON: `res.json()` raises outside the try, so Flask answers 500. */
export class BackendJsonError extends Error {}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** B3MultiFormat extract+inject: a valid incoming trace/span id pair is re-sent (ids zero-padded, sampled 1/0). */
function b3Headers(headers: IncomingHttpHeaders): Record<string, string> {
  const single = header(headers, 'b3')?.split('-');
  const traceId = single?.[0] ?? header(headers, 'x-b3-traceid') ?? '';
  const spanId = single?.[1] ?? header(headers, 'x-b3-spanid') ?? '';
  const sampled = single?.[2] ?? header(headers, 'x-b3-sampled');
  if (!/^([0-9a-f]{16}|[0-9a-f]{32})$/i.test(traceId) || !/^[0-9a-f]{16}$/i.test(spanId) || /^0+$/.test(traceId) || /^0+$/.test(spanId)) return {};
  const on = ['1', 'True', 'true', 'd'].includes(sampled ?? '') || header(headers, 'x-b3-flags') === '1';
  return { 'x-b3-traceid': traceId.toLowerCase().padStart(32, '0'), 'x-b3-spanid': spanId.toLowerCase(), 'x-b3-sampled': on ? '1' : '0' };
}

/** getForwardHeaders(): B3, `end-user` from the session's user (None is dropped), then the listed incoming headers. */
export function forwardHeaders(headers: IncomingHttpHeaders, user: unknown): Record<string, string> {
  const out: Record<string, string> = b3Headers(headers);
  if (user !== undefined && user !== null) out['end-user'] = String(user);
  for (const name of FORWARDED) {
    const v = header(headers, name);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** The outgoing side of productpage: one instance per container. */
export class ProductpageBackends {
  private readonly counts = new Map<string, { n: number; created: number }>();

  constructor(
    private readonly ctx: ContainerContext,
    private readonly base: { details: string; reviews: string; ratings: string },
  ) {}

  /** getProductDetails: GET details/details/<id> once. */
  details(id: string, headers: Record<string, string>): Promise<BackendResult> {
    return this.call('details', `${this.base.details}/details/${id}`, headers, 1, 'Sorry, product details are currently unavailable for this book.');
  }

  /** getProductReviews: GET reviews/reviews/<id>, up to two attempts. */
  reviews(id: string, headers: Record<string, string>): Promise<BackendResult> {
    return this.call('reviews', `${this.base.reviews}/reviews/${id}`, headers, 2, 'Sorry, product reviews are currently unavailable for this book.');
  }

  /** getProductRatings: GET ratings/ratings/<id> once. */
  ratings(id: string, headers: Record<string, string>): Promise<BackendResult> {
    return this.call('ratings', `${this.base.ratings}/ratings/${id}`, headers, 1, 'Sorry, product ratings are currently unavailable for this book.');
  }

  /** prometheus_client's text for the `request_result` counter (the default registry's process and GC families are not emulated). */
  metrics(): string {
    const help = 'Results of requests';
    const lines = [`# HELP request_result_total ${help}`, '# TYPE request_result_total counter'];
    const created: string[] = [];
    for (const [key, c] of this.counts) {
      const [app, code] = key.split(' ');
      const labels = `{destination_app="${app}",response_code="${code}"}`;
      lines.push(`request_result_total${labels} ${c.n.toFixed(1)}`);
      created.push(`request_result_created${labels} ${goFloat(c.created)}`);
    }
    if (created.length) lines.push(`# HELP request_result_created ${help}`, '# TYPE request_result_created gauge', ...created);
    return `${lines.join('\n')}\n`;
  }

  private async call(app: string, url: string, headers: Record<string, string>, attempts: number, error: string): Promise<BackendResult> {
    let status = 500;
    for (let i = 0; i < attempts && !this.ctx.signal.aborted; i++) {
      const r = await this.ctx.network.fetch(this.ctx.pod, url, { method: 'GET', headers: { ...REQUESTS_DEFAULTS, ...headers }, timeoutMs: TIMEOUT_MS, signal: this.ctx.signal });
      status = isTransportFailure(r) || !r.status ? 500 : r.status;
      if (status !== 200 || isTransportFailure(r)) continue;
      this.count(app, 200);
      try {
        return [200, JSON.parse(r.body.toString('utf8'))];
      } catch {
        throw new BackendJsonError('requests.exceptions.JSONDecodeError: Expecting value: line 1 column 1 (char 0)');
      }
    }
    this.count(app, status);
    return [status, { error }];
  }

  private count(app: string, code: number): void {
    const key = `${app} ${code}`;
    const c = this.counts.get(key) ?? { n: 0, created: this.ctx.clock.now().getTime() / 1000 };
    c.n++;
    this.counts.set(key, c);
  }
}

/** prometheus_client's floatToGoString: Python repr, switching to an exponent for large values. */
function goFloat(d: number): string {
  const s = Number.isInteger(d) ? `${d}.0` : String(d);
  const dot = s.indexOf('.');
  if (d > 0 && dot > 6) return `${`${s[0]}.${s.slice(1, dot)}${s.slice(dot + 1)}`.replace(/[0.]+$/, '')}e+0${dot - 1}`;
  return s;
}
