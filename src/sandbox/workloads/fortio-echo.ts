// fortio's HTTP echo server (fhttp.EchoHandler): echoes the request body, and obeys `?status=503`,
// `?status=503:20,429:10` (percentages), `?delay=250ms` / `?delay=1s:10` (capped at 1.5 s), `?size=N`,
// `?header=Name:Value` and `?close=true`; plus the /debug page.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Random } from '../runtime/determinism.js';
import { parseGoDuration } from './tools/fortio-stats.js';
import { readBody, send, waitOrClose } from './http-kit.js';

/** fortio's -max-echo-delay default. */
const MAX_DELAY_MS = 1500;

/** Options of one echo server. */
export interface FortioEchoOptions {
  random: Random;
  stop: AbortSignal;
  version: string;
  hostname: string;
  startedAt: number;
  /** Called for requests fortio logs at Info (the /debug page). */
  onDebug(req: IncomingMessage): void;
}

/** A `value` or `value:percent,value:percent` list: the chosen value, the default (undefined) when no slot is hit. */
function pick<T>(spec: string, parse: (text: string) => T | undefined, random: Random): { value?: T; bad?: boolean } {
  if (!spec.includes(':') && !spec.includes(',')) {
    const v = parse(spec);
    return v === undefined ? { bad: true } : { value: v };
  }
  const roll = 100 * random();
  let cumulative = 0;
  for (const entry of spec.split(',')) {
    const [text, percent] = entry.split(':');
    const v = parse(text);
    const p = Number(String(percent ?? '').replace(/%$/, ''));
    if (v === undefined || percent === undefined || Number.isNaN(p) || p < 0 || p > 100) return { bad: true };
    cumulative += p;
    if (cumulative > 100.0001) return { bad: true };
    if (roll <= cumulative) return { value: v };
  }
  return {};
}

/** The echo handler for port 8080. */
export function createFortioEchoHandler(o: FortioEchoOptions): RequestListener {
  const payload = Buffer.from(Array.from({ length: 256 * 1024 }, () => 32 + Math.floor(o.random() * 95)));
  return (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const data = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/debug' || url.pathname === '/debug/') {
        o.onDebug(req);
        send(res, 200, { 'Content-Type': 'text/plain; charset=UTF-8' }, debugPage(req, url, data, o));
        return;
      }
      if (url.pathname.startsWith('/fortio')) {
        send(res, 200, { 'Content-Type': 'text/html; charset=utf-8' }, `<!DOCTYPE html>\n<html><head><title>Φορτίο v${o.version}</title></head><body><h1>Φορτίο (fortio) v${o.version}</h1><p>The sandbox emulates the echo server only.</p></body></html>\n`);
        return;
      }
      const q = url.searchParams;
      const delay = q.get('delay') ? pick(q.get('delay')!, (t) => parseGoDuration(t), o.random).value : undefined;
      if (delay && delay > 0 && !(await waitOrClose(Math.min(delay, MAX_DELAY_MS), res, o.stop))) return;
      const statusChoice = q.get('status') ? pick(q.get('status')!, (t) => (/^\d+$/.test(t) ? Number(t) : undefined), o.random) : {};
      const status = statusChoice.bad ? 400 : (statusChoice.value ?? 200);
      const headers: Record<string, string | string[]> = {};
      if (q.get('close')) headers.Connection = 'close';
      for (const h of q.getAll('header')) {
        const colon = h.indexOf(':');
        if (colon <= 0) continue;
        const name = h.slice(0, colon);
        const prev = headers[name];
        headers[name] = prev === undefined ? h.slice(colon + 1) : [...[prev].flat(), h.slice(colon + 1)];
      }
      const size = q.get('size') ? pick(q.get('size')!, (t) => (/^\d+$/.test(t) ? Math.min(Number(t), payload.length) : undefined), o.random).value : undefined;
      if (size !== undefined) {
        send(res, status, { ...headers, 'Content-Type': 'application/octet-stream' }, payload.subarray(0, size));
        return;
      }
      if (req.headers['content-type']) headers['Content-Type'] = String(req.headers['content-type']);
      send(res, status, headers, data);
    })();
  };
}

/** fortio's /debug text: version, uptime, peer, request line, sorted headers, body. */
function debugPage(req: IncomingMessage, url: URL, body: Buffer, o: FortioEchoOptions): string {
  const up = Math.round((performance.now() - o.startedAt) / 100) / 10;
  const names = Object.keys(req.headers).filter((k) => k !== 'host').sort();
  const lines = names.map((k) => `${k.replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase())}: ${[req.headers[k]].flat().join(',')}`);
  const peer = `${(req.socket?.remoteAddress ?? '').replace(/^::ffff:/, '')}:${req.socket?.remotePort ?? 0}`;
  return `Φορτίο version ${o.version} echo debug server up for ${up}s on ${o.hostname} - request from ${peer}\n\n${req.method} ${url.pathname}${url.search} HTTP/${req.httpVersion}\n\nheaders:\n\nHost: ${req.headers.host ?? ''}${lines.map((l) => `\n${l}`).join('')}\n\nbody:\n\n${body.toString('utf8')}\n`;
}
