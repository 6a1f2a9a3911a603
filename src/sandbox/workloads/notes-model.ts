// The notes app (manifests/samples/notes/app.py, the stand-in for the GKE/EKS workshops' gceme/awsme
// app) as a workload model: app.py's argparse flags, the backend's JSON API with /start-error,
// /end-error and --fail-percent, and the frontend's HTML page that calls the backend through the pod's
// network (so its sidecar routes, retries, mirrors and injects faults), passing on End-User and tracing
// headers. The notes live in memory per container, like app.py's SQLite file on the pod's emptyDir
// (app.py never exits on its own, so the sandbox never restarts it and the two agree).
// test/sandbox/workloads/notes.test.ts runs the real script and this model side by side.
import type { IncomingMessage, RequestListener } from 'node:http';
import { readBody } from './http-kit.js';
import type { ContainerContext, ContainerWorkload } from './model.js';
import { isTransportFailure, type TransportFailure } from '../mesh/types.js';
import { JSON_TYPE, PYTHON_SERVER, TEXT, USAGE, noteFrom, pyJson, pythonErrorPage, renderPage, requestLogLine } from './notes-format.js';
import { parseNotesArgs, type NotesArgs } from './notes-args.js';

/** Headers the frontend passes on to the backend (app.py PROPAGATED). */
export const PROPAGATED_HEADERS = ['end-user', 'x-request-id', 'x-b3-traceid', 'x-b3-spanid', 'x-b3-parentspanid', 'x-b3-sampled', 'x-b3-flags', 'b3', 'traceparent', 'tracestate'];

/** What a route answers. */
interface Reply {
  status: number;
  type: string;
  body: string;
  headers?: Record<string, string>;
}
type Route = (req: IncomingMessage, body: Buffer) => Reply | Promise<Reply>;
type Routes = Record<string, Partial<Record<'GET' | 'POST', Route>>>;

const ok: Route = () => ({ status: 200, type: TEXT, body: 'ok\n' });

/** Starts app.py with `argv` (its arguments after the script path). */
export function createNotesApp(ctx: ContainerContext, argv: string[]): ContainerWorkload {
  const parsed = parseNotesArgs(argv);
  if (!parsed.ok) {
    return { start: () => (USAGE.concat(`app.py: error: ${parsed.error}`).forEach((l) => ctx.log(l)), Promise.resolve(2)) };
  }
  const args = parsed.args;
  if (args.port > 65535 || args.port < 0) {
    return { start: () => (ctx.log('OverflowError: bind(): port must be 0-65535.'), Promise.resolve(1)) };
  }
  const handler = serve(args.mode === 'backend' ? backendRoutes(args, ctx) : frontendRoutes(args, ctx), args.mode, ctx);
  return {
    start: () => ctx.log(args.mode === 'backend' ? `backend ${args.version} listening on :${args.port} (database ${args.db})` : `frontend listening on :${args.port}, backend ${args.backendService}`),
    httpHandler: (port) => (port === args.port ? handler : undefined),
  };
}

/** http.server's dispatch (app.py Handler): routing, 404/405/501, headers, one log line per request. */
function serve(routes: Routes, mode: string, ctx: ContainerContext): RequestListener {
  return (req, res) =>
    void readBody(req).then(async (body) => {
      const method = req.method ?? 'GET';
      const date = ctx.clock.now().toUTCString();
      if (method !== 'GET' && method !== 'POST') {
        const message = `Unsupported method ('${method}')`;
        const page = Buffer.from(pythonErrorPage(501, message, 'Server does not support this operation'));
        res.writeHead(501, message, { Server: PYTHON_SERVER, Date: date, Connection: 'close', 'Content-Type': 'text/html;charset=utf-8', 'Content-Length': String(page.length) });
        return void res.end(method === 'HEAD' ? undefined : page);
      }
      const path = (req.url ?? '/').split(/[?#]/)[0];
      const route = routes[path];
      const handle = route?.[method];
      const allowed = Object.keys(route ?? {}).join(', ');
      const reply: Reply = !route
        ? { status: 404, type: TEXT, body: '404 page not found\n' }
        : !handle
          ? { status: 405, type: TEXT, body: 'method not allowed\n', headers: { Allow: allowed } }
          : await handle(req, body);
      ctx.log(requestLogLine(mode, method, req.url ?? '/', reply.status, req.headers));
      const data = Buffer.from(reply.body);
      if (res.destroyed) return;
      res.writeHead(reply.status, { Server: PYTHON_SERVER, Date: date, 'Content-Type': reply.type, 'Content-Length': String(data.length), ...(reply.headers ?? {}) });
      res.end(data);
    });
}

/** The backend's routes and state: the notes, error mode, and --fail-percent drawn from the seeded random. */
function backendRoutes(args: NotesArgs, ctx: ContainerContext): Routes {
  const notes: string[] = [];
  let erroring = false;
  const json = (status: number, value: unknown): Reply => ({ status, type: JSON_TYPE, body: `${pyJson(value)}\n` });
  const failing = (): Reply | undefined => {
    if (erroring) return json(500, { error: 'error mode (GET /end-error to stop it)' });
    if (args.failPercent && ctx.random() * 100 < args.failPercent) return json(500, { error: 'injected failure' });
    return undefined;
  };
  const hostname = ctx.env.HOSTNAME || ctx.pod.spec?.hostname || ctx.pod.metadata.name || '';
  return {
    '/': {
      GET: () => failing() ?? json(200, { version: args.version, hostname, ...(args.color ? { color: args.color } : {}), notes: [...notes] }),
    },
    '/notes': {
      POST: (req, body) => {
        const failed = failing();
        if (failed) return failed;
        const note = noteFrom(body, String(req.headers['content-type'] ?? ''));
        if (!note) return json(400, { error: 'no note given' });
        return json(201, { id: notes.push(note), note });
      },
    },
    '/healthz': { GET: ok },
    '/start-error': {
      GET: () => {
        if (!erroring) ctx.log('error mode on');
        erroring = true;
        return { status: 200, type: TEXT, body: 'error mode on\n' };
      },
    },
    '/end-error': {
      GET: () => {
        const was = erroring;
        erroring = false;
        if (was) ctx.log('error mode off');
        return { status: 200, type: TEXT, body: `error mode off (was ${was ? 'on' : 'off'})\n` };
      },
    },
  };
}

/** What Python's urllib reports for a failure below HTTP (musl's resolver wording, as on Alpine). */
const transportReasons: Record<TransportFailure['failure'], string> = {
  dns: '[Errno -2] Name does not resolve',
  'connect-refused': '[Errno 111] Connection refused',
  reset: '[Errno 104] Connection reset by peer',
  'empty-reply': 'Remote end closed connection without response',
  timeout: 'timed out',
  tls: '[SSL] record layer failure',
};

/** The frontend's routes: the page and the form post, both calling the backend through the pod's network. */
function frontendRoutes(args: NotesArgs, ctx: ContainerContext): Routes {
  const backend = args.backendService.replace(/\/+$/, '');
  const hostname = ctx.env.HOSTNAME || ctx.pod.spec?.hostname || ctx.pod.metadata.name || '';
  const call = async (req: IncomingMessage, method: string, path: string, data?: string): Promise<{ status?: number; body: string }> => {
    const headers: Record<string, string> = { 'accept-encoding': 'identity', 'user-agent': 'Python-urllib/3.12' };
    for (const name of PROPAGATED_HEADERS) {
      const v = req.headers[name];
      const value = Array.isArray(v) ? v[0] : v;
      if (value) headers[name] = value;
    }
    if (data !== undefined) headers['content-type'] = JSON_TYPE;
    try {
      const r = await ctx.network.fetch(ctx.pod, `${backend}${path}`, { method, headers, body: data === undefined ? undefined : Buffer.from(data), timeoutMs: 30_000, signal: ctx.signal });
      if (isTransportFailure(r)) return { body: transportReasons[r.failure] };
      return { status: r.status, body: r.body.toString('utf8') };
    } catch (err) {
      return { body: (err as Error).message };
    }
  };
  const failure = (r: { status?: number; body: string }): Reply =>
    r.status === undefined ? { status: 503, type: TEXT, body: `Error: ${r.body}\n` } : { status: 500, type: TEXT, body: `Error: backend answered ${r.status}\n` };
  return {
    '/': {
      GET: async (req) => {
        const r = await call(req, 'GET', '/');
        if (r.status !== 200) return failure(r);
        try {
          return { status: 200, type: 'text/html; charset=utf-8', body: renderPage(JSON.parse(r.body), hostname) };
        } catch {
          return { status: 500, type: TEXT, body: 'Error: the backend did not answer a JSON object\n' };
        }
      },
    },
    '/add-note': {
      POST: async (req, body) => {
        const note = noteFrom(body, String(req.headers['content-type'] ?? ''));
        if (!note) return { status: 400, type: TEXT, body: 'Error: empty note\n' };
        const r = await call(req, 'POST', '/notes', pyJson({ note }));
        if (r.status === undefined || r.status < 200 || r.status >= 300) return failure(r);
        return { status: 303, type: TEXT, body: '', headers: { Location: '/' } };
      },
    },
    '/healthz': { GET: ok },
  };
}
