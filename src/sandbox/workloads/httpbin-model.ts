// httpbin images: mccutchen/go-httpbin (Istio's sample since 1.24, port 8080 or $PORT / -port) and the Python
// httpbin in kennethreitz/httpbin and kong/httpbin (gunicorn, port from `-b host:port`, else 80). Logs are
// what each writes: go-httpbin's startup line and one `time=… status=…` record per request; gunicorn's
// startup lines, and combined-format access lines only when started with `--access-logfile -`.
import type { IncomingMessage } from 'node:http';
import { clientIp, commandLine, goFlag, gunicornBindPort } from './http-kit.js';
import { createHttpbinHandler, type HttpbinAccess } from './httpbin-handler.js';
import type { ContainerContext, ContainerWorkload, WorkloadModel } from './model.js';

/** mccutchen/go-httpbin. */
export const goHttpbinModel: WorkloadModel = {
  name: 'go-httpbin',
  create(ctx: ContainerContext): ContainerWorkload {
    const argv = commandLine(ctx.container);
    const port = Number(goFlag(argv, 'port') ?? ctx.env.PORT ?? 8080);
    const host = goFlag(argv, 'host') ?? '0.0.0.0';
    const realHostname = argv.some((a) => /^--?use-real-hostname(=true)?$/.test(a));
    const handler = createHttpbinHandler({
      python: false,
      random: ctx.random,
      stop: ctx.signal,
      hostname: realHostname ? (ctx.env.HOSTNAME ?? ctx.pod.metadata.name ?? 'go-httpbin') : 'go-httpbin',
      onAccess: (a) => ctx.log(goHttpbinLogLine(a, ctx.clock.now())),
    });
    return {
      start: () => ctx.log(`go-httpbin listening on http://${host}:${port}`),
      httpHandler: (p) => (p === port ? handler : undefined),
    };
  },
};

/** kennethreitz/httpbin and kong/httpbin (gunicorn + Flask). */
export const pythonHttpbinModel: WorkloadModel = {
  name: 'httpbin',
  create(ctx: ContainerContext): ContainerWorkload {
    const argv = commandLine(ctx.container);
    const port = gunicornBindPort(argv) ?? 80;
    const accessLog = argv.some((a, i) => (a === '--access-logfile' && argv[i + 1] === '-') || a === '--access-logfile=-');
    const handler = createHttpbinHandler({
      python: true,
      random: ctx.random,
      stop: ctx.signal,
      hostname: ctx.pod.metadata.name ?? 'httpbin',
      onAccess: (a) => {
        if (accessLog) ctx.log(gunicornAccessLine(a.req, a.status, a.size, ctx.clock.now()));
      },
    });
    return {
      start: () => {
        for (const line of gunicornStartup(ctx.clock.now(), `http://0.0.0.0:${port}`)) ctx.log(line);
      },
      httpHandler: (p) => (p === port ? handler : undefined),
    };
  },
};

/** go-httpbin's request record: `time="2025-07-16T17:17:09.8479" status=200 method="GET" uri="/get" …`. */
export function goHttpbinLogLine(a: HttpbinAccess, now: Date): string {
  const time = now.toISOString().slice(0, 23).replace(/\.?0+$/, '');
  const ua = String(a.req.headers['user-agent'] ?? '');
  return `time=${JSON.stringify(time)} status=${a.status} method=${JSON.stringify(a.req.method)} uri=${JSON.stringify(a.req.url)} size_bytes=${a.size} duration_ms=${a.durationMs.toFixed(2)} user_agent=${JSON.stringify(ua)} client_ip=${clientIp(a.req)}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** gunicorn's default access format: `%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"`. */
export function gunicornAccessLine(req: IncomingMessage, status: number, size: number, t: Date): string {
  const remote = (req.socket?.remoteAddress ?? '-').replace(/^::ffff:/, '');
  const when = `[${pad(t.getUTCDate())}/${MONTHS[t.getUTCMonth()]}/${t.getUTCFullYear()}:${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} +0000]`;
  return `${remote} - - ${when} "${req.method} ${req.url} HTTP/${req.httpVersion}" ${status} ${size || '-'} "${req.headers.referer ?? '-'}" "${req.headers['user-agent'] ?? '-'}"`;
}

/** gunicorn's startup lines (master pid 1, one gevent worker). */
export function gunicornStartup(t: Date, listen: string, version = '19.9.0', worker = 'gevent'): string[] {
  const stamp = `[${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} +0000]`;
  return [`${stamp} [1] [INFO] Starting gunicorn ${version}`, `${stamp} [1] [INFO] Listening at: ${listen} (1)`, `${stamp} [1] [INFO] Using worker: ${worker}`, `${stamp} [8] [INFO] Booting worker with pid: 8`];
}
