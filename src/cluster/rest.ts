// A small JSON REST client for the Kubernetes API. Authentication and TLS come from the
// kubeconfig (client-node applies them per request); bodies are sent as raw JSON so every key
// of a manifest reaches the server exactly as written.
import { Agent, request, type RequestOptions } from 'node:https';
import { request as httpRequest } from 'node:http';

/** A non-2xx answer from the API server, with its Status. */
export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly body: any,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** A transport failure (refused, reset, TLS, timeout) before any HTTP answer. */
export class KubeTransportError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** Fills TLS options and auth headers into request options (client-node's KubeConfig does this). */
export type ApplyAuth = (opts: RequestOptions) => Promise<void>;

/** One request. */
export interface RestRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  timeoutMs?: number;
  /** Return the body as text instead of parsing JSON (pod logs). */
  text?: boolean;
}

/** JSON over HTTPS to one API server, with a keep-alive agent. */
export class RestClient {
  private agent?: Agent;
  /** Requests made, retries included (reported in run summaries). */
  requests = 0;

  constructor(
    private readonly server: string,
    private readonly applyAuth: ApplyAuth,
  ) {}

  /** Send a request; resolves with the parsed JSON body, throws KubeApiError/KubeTransportError. */
  async send<T = any>(req: RestRequest): Promise<T> {
    const url = new URL(this.server.replace(/\/$/, '') + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const opts: RequestOptions = { method: req.method, headers: { Accept: 'application/json' } };
    await this.applyAuth(opts);
    const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    if (payload) Object.assign(opts.headers!, { 'Content-Type': req.contentType ?? 'application/json', 'Content-Length': String(payload.length) });
    if (url.protocol === 'https:' && !(opts.agent instanceof Agent && (opts.agent as any).options?.proxy)) opts.agent = this.keepAlive(opts);
    this.requests++;
    return new Promise<T>((resolve, reject) => {
      const send = url.protocol === 'http:' ? httpRequest : request;
      const r = send(url, { ...opts, timeout: req.timeoutMs ?? 30000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => reject(new KubeTransportError(err.message, (err as NodeJS.ErrnoException).code)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          let body: any = text;
          if (status >= 200 && status < 300 && req.text) return resolve(text as T);
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            /* not JSON: keep the text */
          }
          if (status >= 200 && status < 300) return resolve(body as T);
          const retryAfter = Number(res.headers['retry-after']);
          const message = typeof body === 'object' && body?.message ? body.message : `${status} ${text.slice(0, 200)}`;
          reject(new KubeApiError(status, body?.reason ?? String(status), message, body, Number.isFinite(retryAfter) ? retryAfter : undefined));
        });
      });
      r.on('timeout', () => r.destroy(Object.assign(new Error(`request timed out after ${req.timeoutMs ?? 30000}ms`), { code: 'ETIMEDOUT' })));
      r.on('error', (err) => reject(new KubeTransportError(err.message, (err as NodeJS.ErrnoException).code)));
      if (payload) r.write(payload);
      r.end();
    });
  }

  /** Close idle connections. */
  close(): void {
    this.agent?.destroy();
  }

  private keepAlive(opts: RequestOptions): Agent {
    if (!this.agent) {
      this.agent = new Agent({ keepAlive: true, maxSockets: 16, ca: opts.ca, cert: opts.cert, key: opts.key, rejectUnauthorized: opts.rejectUnauthorized, servername: opts.servername });
    }
    return this.agent;
  }
}
