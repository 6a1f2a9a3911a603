// One HTTP/1.1 exchange with an in-pod server, handed to its request listener as objects instead of
// bytes. Serialising a request, parsing it, serialising the answer and parsing it again cost more
// CPU per request than the whole emulated Envoy; the listener cannot tell the difference, because
// these objects show it what Node's http server would (headers, headersDistinct, rawHeaders, socket
// addresses, body events, `close` on a client that goes away) and the caller gets what Node's http
// client would read back (Date and Content-Length added as Node adds them, hop-by-hop headers gone,
// no body for HEAD/204/304, a destroyed socket as a reset or an empty reply).
// test/sandbox/runtime/direct-exchange.test.ts holds every workload model to the byte path.
import { EventEmitter } from 'node:events';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { MeshRequest, MeshResult } from '../mesh/types.js';

/** Addresses of the connection the exchange stands for. */
export interface ExchangeAddresses {
  clientAddress: string;
  clientPort: number;
  serverAddress: string;
  serverPort: number;
}

/** Hop-by-hop headers: never forwarded by Envoy (RFC 9110 §7.6.1), so never part of a result. */
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'te', 'trailer']);

/** The request as the listener reads it (the IncomingMessage members servers use). */
class ExchangeRequest extends Readable {
  readonly httpVersion = '1.1';
  readonly httpVersionMajor = 1;
  readonly httpVersionMinor = 1;
  /** The whole message was read before the listener is called, as Node's parser reads a small request. */
  readonly complete = true;
  readonly rawHeaders: string[] = [];
  readonly headers: Record<string, string> = {};
  readonly headersDistinct: Record<string, string[]> = {};
  readonly trailers = {};
  readonly rawTrailers: string[] = [];

  constructor(
    readonly method: string,
    readonly url: string,
    headers: Record<string, string>,
    body: Buffer | undefined,
    readonly socket: ExchangeSocket,
  ) {
    super();
    for (const [k, v] of Object.entries(headers)) {
      this.rawHeaders.push(k, v);
      this.headers[k] = v;
      this.headersDistinct[k] = [v];
    }
    if (body?.length) this.push(body);
    this.push(null);
  }

  get connection(): ExchangeSocket {
    return this.socket;
  }

  override _read(): void {}

  setTimeout(): this {
    return this;
  }
}

/** The socket members servers read (addresses) and call (destroy: drop the connection). */
class ExchangeSocket extends EventEmitter {
  destroyed = false;
  readonly remoteFamily = 'IPv4';
  readonly encrypted = undefined;
  constructor(
    readonly remoteAddress: string,
    readonly remotePort: number,
    readonly localAddress: string,
    readonly localPort: number,
    private readonly onDestroy: () => void,
  ) {
    super();
  }

  destroy(): this {
    if (!this.destroyed) {
      this.destroyed = true;
      this.onDestroy();
    }
    return this;
  }

  setTimeout(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  address(): { address: string; family: string; port: number } {
    return { address: this.localAddress, family: 'IPv4', port: this.localPort };
  }
}

type HeaderValue = string | number | readonly string[];

/** The response as the listener writes it (the ServerResponse members servers use). */
class ExchangeResponse extends EventEmitter {
  statusCode = 200;
  statusMessage = '';
  sendDate = true;
  headersSent = false;
  writableEnded = false;
  writableFinished = false;
  destroyed = false;
  /** Headers set with setHeader (Node keeps writeHead's object apart unless setHeader was used first). */
  private readonly set = new Map<string, { name: string; value: HeaderValue }>();
  /** Headers as they went out, once written. */
  private sent: [string, HeaderValue][] = [];
  /** Node decides on Content-Length or chunked when headers are stored: writeHead/write store them early. */
  private storedEarly = false;
  private readonly chunks: Buffer[] = [];
  /** Whether anything reached the client (Node sends stored headers with the first write). */
  wroteBytes = false;

  constructor(
    readonly req: ExchangeRequest,
    readonly socket: ExchangeSocket,
    private readonly onFinish: (status: number, headers: [string, HeaderValue][], body: Buffer, chunked: boolean) => void,
  ) {
    super();
  }

  get connection(): ExchangeSocket {
    return this.socket;
  }

  setHeader(name: string, value: HeaderValue): this {
    if (this.headersSent) throw Object.assign(new Error('Cannot set headers after they are sent to the client'), { code: 'ERR_HTTP_HEADERS_SENT' });
    this.set.set(name.toLowerCase(), { name, value });
    return this;
  }
  getHeader(name: string): HeaderValue | undefined {
    return this.set.get(name.toLowerCase())?.value;
  }
  hasHeader(name: string): boolean {
    return this.set.has(name.toLowerCase());
  }
  removeHeader(name: string): void {
    this.set.delete(name.toLowerCase());
  }
  getHeaderNames(): string[] {
    return [...this.set.keys()];
  }
  getHeaders(): Record<string, HeaderValue> {
    return Object.fromEntries([...this.set].map(([k, v]) => [k, v.value]));
  }

  writeHead(status: number, reason?: string | Record<string, HeaderValue> | HeaderValue[], headers?: Record<string, HeaderValue> | HeaderValue[]): this {
    if (this.headersSent) throw Object.assign(new Error('Cannot write headers after they are sent to the client'), { code: 'ERR_HTTP_HEADERS_SENT' });
    const obj = typeof reason === 'string' ? headers : reason;
    if (typeof reason === 'string') this.statusMessage = reason;
    this.statusCode = status;
    let list: [string, HeaderValue][];
    if (Array.isArray(obj)) {
      list = [];
      for (let i = 0; i + 1 < obj.length; i += 2) list.push([String(obj[i]), obj[i + 1] as HeaderValue]);
      if (this.set.size) list = [...[...this.set.values()].map((h) => [h.name, h.value] as [string, HeaderValue]), ...list];
    } else if (this.set.size) {
      for (const [k, v] of Object.entries(obj ?? {})) if (v !== undefined) this.setHeader(k, v);
      list = [...this.set.values()].map((h) => [h.name, h.value]);
    } else {
      list = Object.entries(obj ?? {}).filter(([, v]) => v !== undefined);
    }
    this.storeHeaders(list);
    this.storedEarly = true;
    return this;
  }

  flushHeaders(): void {
    if (!this.headersSent) this.writeHead(this.statusCode);
    this.wroteBytes = true;
  }

  write(chunk: string | Buffer | Uint8Array, encoding?: BufferEncoding | ((err?: Error | null) => void), cb?: (err?: Error | null) => void): boolean {
    if (this.destroyed || this.writableEnded) return false;
    if (!this.headersSent) this.writeHead(this.statusCode);
    this.wroteBytes = true;
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf8') : Buffer.from(chunk));
    const done = typeof encoding === 'function' ? encoding : cb;
    if (done) queueMicrotask(() => done(null));
    return true;
  }

  end(chunk?: string | Buffer | Uint8Array | (() => void), encoding?: BufferEncoding | (() => void), cb?: () => void): this {
    if (typeof chunk === 'function') [cb, chunk] = [chunk, undefined];
    if (typeof encoding === 'function') [cb, encoding] = [encoding, undefined];
    if (this.destroyed || this.writableEnded) return this;
    if (chunk !== undefined && chunk !== null) this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, encoding ?? 'utf8') : Buffer.from(chunk));
    if (!this.headersSent) this.storeHeaders([...this.set.values()].map((h) => [h.name, h.value]));
    this.writableEnded = true;
    this.writableFinished = true;
    const chunked = this.storedEarly && !this.sent.some(([k]) => /^(content-length|transfer-encoding)$/i.test(k));
    this.onFinish(this.statusCode, this.sent, Buffer.concat(this.chunks), chunked);
    queueMicrotask(() => {
      this.emit('finish');
      cb?.();
      this.emit('close');
    });
    return this;
  }

  destroy(): this {
    this.socket.destroy();
    return this;
  }

  /** The connection went away (client abort, pod stopped, socket.destroy): `close` as Node emits it. */
  closed(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (!this.writableFinished) queueMicrotask(() => this.emit('close'));
  }

  setTimeout(): this {
    return this;
  }

  private storeHeaders(list: [string, HeaderValue][]): void {
    this.sent = list;
    this.headersSent = true;
  }
}

let dateSecond = -1;
let dateText = '';
/** The Date header value, formatted once per second as Node's http server does (its utcDate cache). */
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) [dateSecond, dateText] = [second, new Date(now).toUTCString()];
  return dateText;
}

/** Node's client view of the response: lower-case names, repeated values joined, Date/Content-Length as Node's server adds them. */
function clientHeaders(method: string, status: number, list: [string, HeaderValue][], body: Buffer, chunked: boolean, sendDate: boolean): { headers: Record<string, string>; body: Buffer } {
  const headers: Record<string, string> = {};
  for (const [name, value] of list) {
    const k = name.toLowerCase();
    if (hopByHop.has(k)) continue;
    const v = Array.isArray(value) ? value.join(', ') : String(value);
    headers[k] = k in headers ? `${headers[k]}, ${v}` : v;
  }
  const noBody = method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200);
  if (sendDate && !('date' in headers)) headers.date = httpDate();
  if (!noBody && !chunked && !('content-length' in headers) && !list.some(([k]) => k.toLowerCase() === 'transfer-encoding')) headers['content-length'] = String(body.length);
  return { headers, body: noBody ? Buffer.alloc(0) : body };
}

/** A running exchange; `abort` drops its connection (pod stopped). */
export interface Exchange {
  result: Promise<MeshResult>;
  abort(): void;
}

/** Hands `request` to `handler` as Node's http server would, and reads the answer as Node's http client would. */
export function exchange(handler: RequestListener, request: MeshRequest, at: ExchangeAddresses, signal?: AbortSignal): Exchange {
  let settle!: (r: MeshResult) => void;
  const result = new Promise<MeshResult>((resolve) => (settle = resolve));
  let settled = false;
  const finish = (r: MeshResult) => {
    if (settled) return;
    settled = true;
    signal?.removeEventListener('abort', onAbort);
    settle(r);
  };
  const headers: Record<string, string> = { host: request.authority };
  for (const [k, v] of Object.entries(request.headers)) if (k !== 'host') headers[k] = v;
  if (request.body?.length && !headers['content-length']) headers['content-length'] = String(request.body.length);
  let clientGone = false;
  // The connection dropped: by the client (abort), or by the server side (socket.destroy, pod stopped).
  const drop = () => {
    res.closed();
    req.destroy();
    if (clientGone) finish({ failure: 'reset', message: 'request cancelled' });
    else finish(res.wroteBytes ? { failure: 'reset', message: 'aborted' } : { failure: 'empty-reply', message: 'socket hang up' });
  };
  const socket = new ExchangeSocket(at.clientAddress, at.clientPort, at.serverAddress, at.serverPort, drop);
  const req = new ExchangeRequest(request.method, request.path, headers, request.body, socket);
  const res = new ExchangeResponse(req, socket, (status, list, body, chunked) => {
    finish({ status, ...clientHeaders(request.method, status, list, body, chunked, res.sendDate) });
  });
  const onAbort = () => {
    clientGone = true;
    socket.destroy();
  };
  if (signal?.aborted) {
    onAbort();
    return { result, abort: () => {} };
  }
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    handler(req as unknown as IncomingMessage, res as unknown as ServerResponse);
  } catch (err) {
    // An uncaught throw in a Node server's listener kills the process; for a pod it is a dropped connection.
    finish({ failure: 'empty-reply', message: `socket hang up (${(err as Error).message})` });
  }
  return { result, abort: () => socket.destroy() };
}
