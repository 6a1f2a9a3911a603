// Test-only API fault injection: at a seeded rate, API requests get a 500, 503, 429 (with
// Retry-After), a connection reset, a slow answer, or (watches) a stream dropped mid-way.
// Mutating requests are failed before they are processed, except that half of their resets come
// after the write was applied (the client cannot know whether it landed). Health probes, the
// sandbox's own /istio-lab/ endpoints and port-forward streams (the data plane) are never touched.
// Counts are served at GET /istio-lab/v1/faults (token required); POST {"paused": true|false}
// pauses injection (tests pause it while they take snapshots).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { createSeededRandom, type Random } from '../runtime/determinism.js';
import { ApiError } from './status.js';
import { readBody, sendError, sendJson } from './routes/http-io.js';
import { describeFaultSpec, faultKinds, type FaultKind, type FaultSpec } from './fault-spec.js';

/** What was injected so far. */
export interface FaultCounts {
  /** API requests that were eligible for a fault. */
  requests: number;
  /** Faults injected, all kinds. */
  total: number;
  /** Per kind; `reset-after-write` counts the resets (also in `reset`) that followed an applied write. */
  byKind: Record<FaultKind | 'reset-after-write', number>;
}

const mutating = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const suffix = '(istio-lab sandbox: injected fault)';

/** Decides and injects faults; one per sandbox, shared by every request. */
export class FaultInjector {
  readonly counts: FaultCounts = { requests: 0, total: 0, byKind: { ...Object.fromEntries(faultKinds.map((k) => [k, 0])), 'reset-after-write': 0 } as FaultCounts['byKind'] };
  /** While true nothing is injected. */
  paused = false;
  private readonly random: Random;

  constructor(
    readonly spec: FaultSpec,
    private readonly log: (line: string) => void,
  ) {
    this.random = createSeededRandom(spec.seed);
  }

  /** Called for every API request (health probes aside) before it is routed; true when the fault answered it. */
  async intercept(req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<boolean> {
    if (path.startsWith('/istio-lab/')) return false;
    const watch = req.method === 'GET' && ['true', '1'].includes(url.searchParams.get('watch') ?? '');
    const kind = this.decide(watch ? this.spec.kinds : this.spec.kinds.filter((k) => k !== 'drop-watch'));
    if (!kind) return false;
    const what = `${req.method} ${path}`;
    if (kind === 'slow') {
      this.record(kind, what, `delayed ${this.spec.slowMs}ms`);
      await new Promise((r) => setTimeout(r, this.spec.slowMs));
      return false;
    }
    if (kind === 'drop-watch') {
      this.dropLater(res, what);
      return false;
    }
    if (kind === 'reset') {
      if (mutating.has(req.method ?? '') && this.random() < 0.5) {
        this.counts.byKind['reset-after-write']++;
        this.record(kind, what, 'connection reset after the request was processed (a write may have landed)');
        resetInsteadOfAnswer(req, res);
        return false;
      }
      this.record(kind, what, 'connection reset before processing');
      req.socket.destroy();
      return true;
    }
    this.record(kind, what, 'answered before processing');
    sendError(res, statusError(kind, this.spec.retryAfterSeconds));
    return true;
  }

  /** Called for exec/attach upgrades (never port-forward); true when the fault answered it. */
  async interceptUpgrade(req: IncomingMessage, socket: Duplex): Promise<boolean> {
    const kind = this.decide(this.spec.kinds.filter((k) => k !== 'drop-watch'));
    if (!kind) return false;
    const what = `UPGRADE ${new URL(req.url ?? '/', 'https://127.0.0.1').pathname}`;
    this.record(kind, what, kind === 'slow' ? `delayed ${this.spec.slowMs}ms` : 'before the stream started');
    if (kind === 'slow') {
      await new Promise((r) => setTimeout(r, this.spec.slowMs));
      return false;
    }
    if (kind === 'reset') {
      socket.destroy();
      return true;
    }
    const err = statusError(kind, this.spec.retryAfterSeconds);
    const body = JSON.stringify(err.toStatus());
    const retryAfter = kind === '429' ? `Retry-After: ${this.spec.retryAfterSeconds}\r\n` : '';
    socket.end(`HTTP/1.1 ${err.code} ${err.reason}\r\nContent-Type: application/json\r\n${retryAfter}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    return true;
  }

  /** One line summing up what was injected. */
  summary(): string {
    const parts = Object.entries(this.counts.byKind).filter(([, n]) => n > 0).map(([k, n]) => `${k}: ${n}`);
    return `faults injected: ${this.counts.total} of ${this.counts.requests} API requests${parts.length ? ` (${parts.join(', ')})` : ''}`;
  }

  private decide(kinds: FaultKind[]): FaultKind | undefined {
    if (this.paused || !kinds.length) return undefined;
    this.counts.requests++;
    if (this.random() >= this.spec.rate) return undefined;
    return kinds[Math.floor(this.random() * kinds.length)];
  }

  private record(kind: FaultKind, what: string, how: string): void {
    this.counts.total++;
    this.counts.byKind[kind]++;
    this.log(`[faults] #${this.counts.total} ${kind} on ${what}: ${how}`);
  }

  /** Cut a watch stream after 1–3 writes, or after 0.1–1 s if it stays quiet. */
  private dropLater(res: ServerResponse, what: string): void {
    const after = 1 + Math.floor(this.random() * 3);
    const quietMs = 100 + Math.floor(this.random() * 900);
    let writes = 0;
    const drop = () => {
      clearTimeout(timer);
      if (res.destroyed) return;
      this.record('drop-watch', what, `stream cut after ${writes} event(s)`);
      res.destroy();
    };
    const timer = setTimeout(drop, quietMs);
    res.on('close', () => clearTimeout(timer));
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    res.write = ((...args: unknown[]) => {
      const ok = write(...args);
      if (++writes >= after) setImmediate(drop);
      return ok;
    }) as ServerResponse['write'];
  }
}

/** Create the injector for a spec (undefined: fault mode off). */
export function createFaultInjector(spec: FaultSpec | undefined, log: (line: string) => void): FaultInjector | undefined {
  return spec ? new FaultInjector(spec, log) : undefined;
}

/** The banner printed when a sandbox starts with faults on. */
export function faultBanner(spec: FaultSpec): string {
  return `!!! istio-lab sandbox: API FAULT INJECTION IS ON (${describeFaultSpec(spec)}) — a test-only mode; API requests will fail on purpose. Unset ISTIO_LAB_SANDBOX_FAULTS for normal use. !!!`;
}

/** GET/POST /istio-lab/v1/faults: counts, and pausing. */
export async function serveFaultsEndpoint(req: IncomingMessage, res: ServerResponse, faults: FaultInjector | undefined): Promise<void> {
  if (req.method === 'POST' || req.method === 'PUT') {
    if (!faults) throw new ApiError(400, 'BadRequest', 'fault injection is off in this sandbox (start it with ISTIO_LAB_SANDBOX_FAULTS set)');
    let body: { paused?: unknown } = {};
    try {
      body = JSON.parse((await readBody(req)) || '{}');
    } catch {
      /* reported below */
    }
    if (typeof body?.paused !== 'boolean') throw new ApiError(400, 'BadRequest', 'send {"paused": true} or {"paused": false}');
    faults.paused = body.paused;
  } else if (req.method !== 'GET') throw new ApiError(405, 'MethodNotAllowed', 'GET the counts, or POST {"paused": true|false}');
  if (!faults) return sendJson(res, 200, { enabled: false, paused: false, requests: 0, total: 0, byKind: {} });
  sendJson(res, 200, { enabled: true, paused: faults.paused, spec: describeFaultSpec(faults.spec), ...faults.counts });
}

function statusError(kind: FaultKind, retryAfterSeconds: number): ApiError {
  if (kind === '429') return new ApiError(429, 'TooManyRequests', `Too many requests, please try again later. ${suffix}`, { retryAfterSeconds });
  if (kind === '503') return new ApiError(503, 'ServiceUnavailable', `the server is currently unable to handle the request ${suffix}`);
  return new ApiError(500, 'InternalError', `Internal error occurred: ${suffix}`);
}

/** Let the handler apply the write, then cut the connection instead of sending its answer. */
function resetInsteadOfAnswer(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead = (() => res) as unknown as ServerResponse['writeHead'];
  res.end = (() => {
    req.socket.destroy();
    return res;
  }) as ServerResponse['end'];
}
