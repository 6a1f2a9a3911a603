// weaveworksdemos/catalogue (microservices-demo/catalogue: cmd/cataloguesvc/main.go, transport.go,
// service.go, logging.go), the Go service behind the sock shop's product list. Flags -port (80),
// -DSN (catalogue_user:default_password@tcp(catalogue-db:3306)/socksdb), -images. Every request
// queries catalogue-db through the pod's network (sockshop-catalogue-db.ts), so its sidecar's routing,
// faults and circuit breaking apply to that hop too. When the database cannot be reached, List,
// Count and Tags fail with 500 {"error":"database connection error",…} and Get with 404 "not found"
// (service.go maps every query error of Get to ErrNotFound); /health still answers 200 with
// catalogue-db "err". Each endpoint sits behind a gobreaker: more than 5 consecutive errors open it
// for 30 s ("circuit breaker is open"). Logs: go-kit logfmt on stderr, one line per service call.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { commandLine, goFlag, readBody } from './http-kit.js';
import type { ContainerContext, ContainerWorkload, WorkloadModel } from './model.js';
import { imageFiles, type SockQueryRow, type SocksdbQuery } from './sockshop-catalogue-data.js';
import { querySocksdb, SocksdbError } from './sockshop-catalogue-db.js';
import { CatalogueMetrics, routeLabel } from './sockshop-catalogue-metrics.js';
import { GoBreaker, goDuration, goTimeString, logfmt, rfc3339Nano } from './sockshop-gokit.js';

const DEFAULT_DSN = 'catalogue_user:default_password@tcp(catalogue-db:3306)/socksdb';
const STATUS_TEXT: Record<number, string> = { 404: 'Not Found', 500: 'Internal Server Error' };

/** A service error and the status encodeError gives it. */
class ServiceError extends Error {
  constructor(
    message: 'database connection error' | 'not found',
    readonly status = message === 'not found' ? 404 : 500,
  ) {
    super(message);
  }
}

/** The address go-sql-driver dials for a DSN `[user[:pass]@][tcp[(addr)]]/dbname[?params]`, or its parse error. */
export function dsnAddress(dsn: string): { addr: string } | { error: string } {
  const slash = dsn.lastIndexOf('/');
  if (slash < 0) return { error: 'invalid DSN: missing the slash separating the database name' };
  const m = /^(?:.*@)?(?:(\w+)(?:\(([^)]*)\))?)?$/.exec(dsn.slice(0, slash));
  if (!m) return { error: 'invalid DSN: did you forget to escape a param value?' };
  const addr = m[2] || '127.0.0.1:3306';
  return { addr: /:\d+$/.test(addr) ? addr : `${addr}:3306` };
}

/** service.go's Sock as JSON (json tags id, name, description, imageUrl, price, count, tag). */
const sockJson = (r: SockQueryRow) => ({ id: r.id, name: r.name, description: r.description, imageUrl: [r.image_url_1, r.image_url_2], price: r.price, count: r.count, tag: r.tag_name.split(',') });

/** weaveworksdemos/catalogue. */
export const catalogueModel: WorkloadModel = {
  name: 'sockshop-catalogue',
  create(ctx: ContainerContext): ContainerWorkload {
    const argv = commandLine(ctx.container);
    const port = Number(goFlag(argv, 'port') ?? '80');
    const images = goFlag(argv, 'images') ?? './images/';
    const dsn = goFlag(argv, 'DSN') ?? DEFAULT_DSN;
    const address = dsnAddress(dsn);
    const startedMs = ctx.clock.now().getTime();
    const metrics = new CatalogueMetrics(startedMs);
    const now = () => ctx.clock.now().getTime();
    const breakers = Object.fromEntries(['List', 'Count', 'Get', 'Tags', 'Health'].map((n) => [n, new GoBreaker(now)])) as Record<string, GoBreaker>;
    const log = (caller: string, pairs: [string, unknown][]) => ctx.log(logfmt([['ts', rfc3339Nano(ctx.clock.now())], ['caller', caller], ...pairs]));
    const stamp = () => ctx.clock.now().toISOString().slice(0, 19).replace(/-/g, '/').replace('T', ' ');
    let imagesWarned = false;

    /** One statement against catalogue-db; driver errors are logged as the driver and service.go do. */
    const query = async (q: SocksdbQuery, caller: string): Promise<unknown[]> => {
      if ('error' in address) throw new SocksdbError(address.error);
      try {
        return await querySocksdb(ctx.network, ctx.pod, address.addr, q, stamp(), ctx.signal);
      } catch (err) {
        const e = err instanceof SocksdbError ? err : new SocksdbError(String(err));
        e.driverLog.forEach((l) => ctx.log(l));
        if (caller) log(caller, [['database error', e.message]]);
        throw e;
      }
    };
    const dbError = (message: 'database connection error' | 'not found') => () => Promise.reject(new ServiceError(message));
    const page = (rows: unknown[], pageNum: number, pageSize: number) => {
      // cut(): page numbers are 1-indexed; a nil slice from an empty result stays nil (JSON null).
      if (pageNum === 0 || pageSize === 0) return [];
      const start = pageNum * pageSize - pageSize;
      if (start > rows.length) return [];
      return rows.length ? rows.slice(start, Math.min(rows.length, pageNum * pageSize)) : null;
    };
    const atoi = (s: string | null, dflt: number) => (s === null || s === '' ? dflt : /^[+-]?\d+$/.test(s) ? Number(s) : 0);

    /** The endpoints: [log caller, breaker, call] → JSON body. */
    const endpoints = {
      list: async (q: URLSearchParams) => {
        const tags = q.get('tags') ? q.get('tags')!.split(',') : [];
        const order = q.get('sort') ? q.get('sort')!.toLowerCase() : 'id';
        const [pageNum, pageSize] = [atoi(q.get('page'), 1), atoi(q.get('size'), 10)];
        const started = now();
        let result: unknown[] | null = [];
        let err: Error | undefined;
        try {
          const rows = (await query({ op: 'list', tags }, 'service.go:93').catch(dbError('database connection error'))) as SockQueryRow[];
          result = page(rows.map(sockJson), pageNum, pageSize);
        } catch (e) {
          err = e as Error;
        }
        log('logging.go:27', [['method', 'List'], ['tags', tags.join(', ')], ['order', order], ['pageNum', pageNum], ['pageSize', pageSize], ['result', err ? 0 : (result?.length ?? 0)], ['err', err?.message], ['took', goDuration(now() - started)]]);
        if (err) throw err;
        return result;
      },
      count: async (q: URLSearchParams) => {
        const tags = q.get('tags') ? q.get('tags')!.split(',') : [];
        const started = now();
        const out = await query({ op: 'count', tags }, 'service.go:127').then((rows) => ({ size: (rows[0] as { count: number }).count, err: null }), dbError('database connection error')).catch((e: Error) => e);
        log('logging.go:43', [['method', 'Count'], ['tags', tags.join(', ')], ['result', out instanceof Error ? 0 : out.size], ['err', out instanceof Error ? out.message : null], ['took', goDuration(now() - started)]]);
        if (out instanceof Error) throw out;
        return out;
      },
      get: async (id: string) => {
        const started = now();
        const out = await query({ op: 'get', id }, 'service.go:161').then((rows) => (rows.length ? sockJson(rows[0] as SockQueryRow) : Promise.reject(new ServiceError('not found'))), dbError('not found')).catch((e: Error) => e);
        log('logging.go:56', [['method', 'Get'], ['id', id], ['sock', out instanceof Error ? '' : out.id], ['err', out instanceof Error ? out.message : null], ['took', goDuration(now() - started)]]);
        if (out instanceof Error) throw out;
        return out;
      },
      tags: async () => {
        const started = now();
        const out = await query({ op: 'tags' }, 'service.go:196').then((rows) => ({ tags: (rows as { name: string }[]).map((r) => r.name), err: null }), dbError('database connection error')).catch((e: Error) => e);
        log('logging.go:69', [['method', 'Tags'], ['result', out instanceof Error ? 0 : out.tags.length], ['err', out instanceof Error ? out.message : null], ['took', goDuration(now() - started)]]);
        if (out instanceof Error) throw out;
        return out;
      },
      health: async () => {
        const started = now();
        const db = await query({ op: 'ping' }, '').then(() => 'OK', () => 'err');
        const time = goTimeString(ctx.clock.now(), now() - startedMs);
        log('logging.go:81', [['method', 'Health'], ['result', 2], ['took', goDuration(now() - started)]]);
        return { health: [{ service: 'catalogue', status: 'OK', time }, { service: 'catalogue-db', status: db, time }] };
      },
    };

    /** gorilla/mux routing (StrictSlash false; an unmatched path or method is a 404). */
    const route = (method: string, path: string): { template?: string; breaker?: string; run?: (q: URLSearchParams) => Promise<unknown> } => {
      if (path === '/metrics') return { template: '/metrics' };
      if (method !== 'GET') return {};
      if (path === '/catalogue') return { template: '/catalogue', breaker: 'List', run: endpoints.list };
      if (path === '/catalogue/size') return { template: '/catalogue/size', breaker: 'Count', run: endpoints.count };
      if (path.startsWith('/catalogue/images/')) return { template: '/catalogue/images/' };
      const get = /^\/catalogue\/([^/]+)$/.exec(path);
      if (get) return { template: '/catalogue/{id}', breaker: 'Get', run: () => endpoints.get(decodeURIComponent(get[1])) };
      if (path === '/tags') return { template: '/tags', breaker: 'Tags', run: endpoints.tags };
      if (path.startsWith('/health')) return { template: '/health', breaker: 'Health', run: endpoints.health };
      return {};
    };

    const write = (res: ServerResponse, status: number, headers: Record<string, string>, body: string) => {
      if (res.destroyed || res.writableEnded) return;
      const buf = Buffer.from(body);
      // net/http computes a Content-Length when the handler wrote less than its 2048-byte buffer; else it chunks.
      res.writeHead(status, { ...headers, Date: ctx.clock.now().toUTCString(), ...(buf.length <= 2048 ? { 'Content-Length': String(buf.length) } : {}) });
      res.end(buf);
    };

    const handler = (req: IncomingMessage, res: ServerResponse) =>
      void readBody(req).then(async () => {
        const started = now();
        const url = new URL(req.url ?? '/', 'http://catalogue');
        const r = route(req.method ?? 'GET', url.pathname);
        let status = 200;
        if (r.template === '/metrics') write(res, 200, { 'Content-Type': 'text/plain; version=0.0.4' }, metrics.render());
        else if (r.template === '/catalogue/images/') {
          const file = url.pathname.slice('/catalogue/images/'.length);
          status = imageFiles.includes(file) ? 200 : 404;
          if (status === 200 && !imagesWarned) {
            imagesWarned = true;
            ctx.cluster?.warn('EmulatedImages', `istio-lab sandbox: catalogue serves placeholder bytes for the sock images under ${images}; the real JPEG files are not shipped`);
          }
          if (status === 200) write(res, 200, { 'Content-Type': 'image/jpeg', 'Accept-Ranges': 'bytes' }, `placeholder for ${file}\n`);
          else write(res, 404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }, '404 page not found\n');
        } else if (!r.run) {
          status = 404;
          write(res, 404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }, '404 page not found\n');
        } else {
          try {
            const body = await breakers[r.breaker!].execute(() => r.run!(url.searchParams));
            write(res, 200, { 'Content-Type': 'application/json; charset=utf-8' }, `${JSON.stringify(body)}\n`);
          } catch (err) {
            // go-kit's ServerErrorLogger, then encodeError: WriteHeader comes before Header().Set, so the
            // Content-Type set there is never sent and net/http sniffs the JSON as text/plain.
            const message = (err as Error).message;
            status = err instanceof ServiceError ? err.status : 500; // gobreaker's errors are 500s too
            log('server.go:112', [['err', message]]);
            write(res, status, { 'Content-Type': 'text/plain; charset=utf-8' }, `${JSON.stringify({ error: message, status_code: status, status_text: STATUS_TEXT[status] })}\n`);
          }
        }
        metrics.observe(req.method ?? 'GET', routeLabel(r.template), status, (now() - started) / 1000);
      });

    return {
      start() {
        if ('error' in address) {
          // sqlx.Open parses the DSN: a bad one ends main() before the server starts.
          ctx.log(logfmt([['ts', rfc3339Nano(ctx.clock.now())], ['caller', 'main.go:97'], ['err', address.error]]));
          return Promise.resolve(1);
        }
        const abs = images.replace(/^\.\//, '/').replace(/\/+$/, '') || '/';
        ctx.log(`images: ${JSON.stringify(images)}`);
        ctx.log(`Abs(images): ${JSON.stringify(abs)} (<nil>)`);
        ctx.log('Getwd: "/" (<nil>)');
        ctx.log(`ls: [${imageFiles.map((f) => JSON.stringify(`${images.replace(/^\.\//, '').replace(/\/+$/, '')}/${f}`)).join(' ')}]`);
        void query({ op: 'ping' }, '').then(
          () => undefined,
          () => log('main.go:104', [['Error', 'Unable to connect to Database'], ['DSN', '0xc42000e2b0']]),
        ).finally(() => log('main.go:137', [['transport', 'HTTP'], ['port', port]]));
      },
      httpHandler: (p) => (p === port ? handler : undefined),
    };
  },
};
