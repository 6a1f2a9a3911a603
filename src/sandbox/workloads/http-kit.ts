// Small HTTP helpers the workload models share: reading a request body, sending a response while
// counting its bytes, header-name canonicalisation, the client address, weighted choices, and the
// listen port a server's command line asks for.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ContainerSpec } from './model.js';
import type { Random } from '../runtime/determinism.js';

/** Reads the whole request body (empty for bodiless requests). */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(Buffer.concat(chunks)));
    req.on('aborted', () => resolve(Buffer.concat(chunks)));
  });
}

/** Writes a whole response (Content-Length set) unless the client has gone; returns the body size. */
export function send(res: ServerResponse, status: number, headers: Record<string, string | string[]>, body: string | Buffer = ''): number {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  if (res.destroyed || res.writableEnded) return 0;
  res.writeHead(status, { ...headers, 'Content-Length': String(buf.length) });
  res.end(buf);
  return buf.length;
}

const canonical = new Map<string, string>();

/** Go's http.CanonicalHeaderKey: `x-b3-traceid` → `X-B3-Traceid` (memoised: the same few names arrive on every request). */
export function canonicalHeader(name: string): string {
  let out = canonical.get(name);
  if (out === undefined) {
    out = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name) ? name.toLowerCase().replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase()) : name;
    if (canonical.size >= 4096) canonical.clear();
    canonical.set(name, out);
  }
  return out;
}

/** The request's headers as a multi-valued map with canonical names (Go's http.Header). */
export function headerValues(req: IncomingMessage): Record<string, string[]> {
  const distinct = (req as IncomingMessage & { headersDistinct?: Record<string, string[]> }).headersDistinct;
  const out: Record<string, string[]> = {};
  const source = distinct ?? Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v : [String(v ?? '')]]));
  for (const [k, v] of Object.entries(source)) {
    // The sandbox's pooled in-memory connection adds Connection/Keep-Alive; Envoy would not forward them.
    if (k === 'connection' || k === 'keep-alive') continue;
    out[canonicalHeader(k)] = [...(out[canonicalHeader(k)] ?? []), ...v];
  }
  return out;
}

/** The first X-Forwarded-For entry, else the peer address (IPv4-mapped prefix removed). */
export function clientIp(req: IncomingMessage): string {
  const xff = req.headers['x-forwarded-for'];
  const first = (Array.isArray(xff) ? xff[0] : xff)?.split(',')[0]?.trim();
  if (first) return first;
  return (req.socket?.remoteAddress ?? '').replace(/^::ffff:/, '');
}

/** Picks one of `choices` with probability proportional to its weight. */
export function weightedChoice<T>(choices: { choice: T; weight: number }[], random: Random): T {
  const total = choices.reduce((s, c) => s + c.weight, 0);
  let r = random() * total;
  for (const c of choices) {
    if (r < c.weight) return c.choice;
    r -= c.weight;
  }
  return choices[choices.length - 1].choice;
}

/** The container's full command line (command + args). */
export function commandLine(spec: ContainerSpec): string[] {
  return [...(spec.command ?? []), ...(spec.args ?? [])];
}

/** The port from gunicorn's `-b`/`--bind` (`0.0.0.0:80`, `[::]:8080`, `:5000`), or undefined. */
export function gunicornBindPort(argv: string[]): number | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = a === '-b' || a === '--bind' ? argv[i + 1] : a.startsWith('--bind=') ? a.slice(7) : a.startsWith('-b') && a.length > 2 ? a.slice(2) : undefined;
    const m = value ? /:(\d+)$/.exec(value) : null;
    if (m) return Number(m[1]);
  }
  return undefined;
}

/** A Go-style `-name value` / `-name=value` / `--name value` flag from argv. */
export function goFlag(argv: string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i].replace(/^--?/, '');
    if (!argv[i].startsWith('-')) continue;
    if (a === name) return argv[i + 1];
    if (a.startsWith(`${name}=`)) return a.slice(name.length + 1);
  }
  return undefined;
}

/** 16 bytes from `random` formatted as a version-4 UUID. */
export function uuid4(random: Random): string {
  const b = Array.from({ length: 16 }, () => Math.floor(random() * 256));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Resolves after `ms`, or early with false when the client disconnects or the container stops. */
export function waitOrClose(ms: number, res: ServerResponse, stop: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (stop.aborted || res.destroyed) return resolve(false);
    const timer = setTimeout(() => finish(true), ms);
    const onClose = () => finish(false);
    res.once('close', onClose);
    stop.addEventListener('abort', onClose, { once: true });
    function finish(ok: boolean): void {
      clearTimeout(timer);
      res.off('close', onClose);
      stop.removeEventListener('abort', onClose);
      resolve(ok);
    }
  });
}
