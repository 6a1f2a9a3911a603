// istio/examples-bookinfo-details-v1 (samples/bookinfo/src/details/details.rb: WEBrick 1.8.1 on Ruby 3.3.0,
// port 9080), §11.2. GET /details/<id> answers the static book record; a non-numeric id is a 400 with
// {"error": "please provide numeric product id"}; /health. With ENABLE_EXTERNAL_BOOK_SERVICE=true it asks
// www.googleapis.com (HTTPS unless DO_NOT_ENCRYPT=true) through the pod's network, which in the sandbox has
// no Internet behind it, so the error lands in the 400 body and the log says why. Logs: WEBrick's startup
// lines and its two access lines (common log, then referer) per request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isTransportFailure } from '../mesh/types.js';
import { commandLine, readBody, send } from './http-kit.js';
import type { ContainerContext, ContainerWorkload, WorkloadModel } from './model.js';

const SERVER = 'WEBrick/1.8.1 (Ruby/3.3.0/2023-12-25)';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');
/** The headers details.rb forwards to the external book service. */
const FORWARDED = ['x-request-id', 'x-b3-traceid', 'x-b3-spanid', 'x-b3-parentspanid', 'x-b3-sampled', 'x-b3-flags', 'x-ot-span-context', 'x-datadog-trace-id', 'x-datadog-parent-id', 'x-datadog-sampled'];

/** Ruby's Integer(): decimal, 0x/0b/0o/leading-0 octal, underscores between digits; else undefined. */
function rubyInteger(s: string): number | undefined {
  const m = /^\s*([+-]?)(0x[0-9a-f]+(?:_[0-9a-f]+)*|0b[01]+(?:_[01]+)*|0o?[0-7]+(?:_[0-7]+)*|[1-9]\d*(?:_\d+)*|0)\s*$/i.exec(s);
  if (!m) return undefined;
  const digits = m[2].replace(/_/g, '').toLowerCase();
  const n = digits.startsWith('0x') ? parseInt(digits.slice(2), 16) : digits.startsWith('0b') ? parseInt(digits.slice(2), 2) : /^0o?\d/.test(digits) ? parseInt(digits.replace(/^0o?/, ''), 8) : Number(digits);
  return m[1] === '-' ? -n : n;
}

/** istio/examples-bookinfo-details-v1. */
export const detailsModel: WorkloadModel = {
  name: 'bookinfo-details',
  create(ctx: ContainerContext): ContainerWorkload {
    const last = commandLine(ctx.container).at(-1) ?? '';
    const port = /^\d+$/.test(last) ? Number(last) : 9080;
    const external = ctx.env.ENABLE_EXTERNAL_BOOK_SERVICE === 'true';

    /** fetch_details_from_external_service: googleapis' volume record mapped to the details shape. */
    const fromGoogle = async (id: number, req: IncomingMessage): Promise<Record<string, unknown>> => {
      const plain = ctx.env.DO_NOT_ENCRYPT === 'true';
      const url = `${plain ? 'http' : 'https'}://www.googleapis.com${plain ? '' : ':443'}/books/v1/volumes?q=isbn:0486424618`;
      const headers: Record<string, string> = {};
      for (const name of FORWARDED) if (typeof req.headers[name] === 'string') headers[name] = req.headers[name] as string;
      const r = await ctx.network.fetch(ctx.pod, url, { headers, timeoutMs: 5000, signal: ctx.signal });
      if (isTransportFailure(r)) {
        ctx.log(`istio-lab sandbox: details could not reach ${url}: ${r.message}`);
        throw new Error(`Failed to open TCP connection to www.googleapis.com:${plain ? 80 : 443} (${r.message})`);
      }
      const book = JSON.parse(r.body.toString('utf8') || 'null')?.items?.[0]?.volumeInfo;
      if (!book) throw new Error(`undefined method '[]' for nil`);
      const isbn = (type: string) => (book.industryIdentifiers ?? []).find((i: any) => i.type === type)?.identifier;
      return { id, author: book.authors?.[0], year: book.publishedDate, type: book.printType === 'BOOK' ? 'paperback' : 'unknown', pages: book.pageCount, publisher: book.publisher, language: book.language === 'en' ? 'English' : 'unknown', 'ISBN-10': isbn('ISBN_10'), 'ISBN-13': isbn('ISBN_13') };
    };

    const handler = (req: IncomingMessage, res: ServerResponse) => {
      void readBody(req).then(async () => {
        const path = (req.url ?? '/').split('?')[0];
        const headers = { Server: SERVER, 'Content-Type': 'application/json' };
        let status = 200;
        let size: number;
        if (path === '/health' || path.startsWith('/health/')) size = send(res, 200, headers, JSON.stringify({ status: 'Details is healthy' }));
        else if (path === '/details' || path.startsWith('/details/')) {
          let body: unknown;
          try {
            const parts = path.split('/');
            while (parts.at(-1) === '') parts.pop(); // Ruby's String#split drops trailing empty fields
            const id = rubyInteger(parts.at(-1) ?? '');
            if (id === undefined) throw new Error('please provide numeric product id');
            body = external ? await fromGoogle(id, req) : { id, author: 'William Shakespeare', year: 1595, type: 'paperback', pages: 200, publisher: 'PublisherA', language: 'English', 'ISBN-10': '1234567890', 'ISBN-13': '123-1234567890' };
          } catch (err) {
            status = 400;
            body = { error: (err as Error).message };
          }
          size = send(res, status, headers, JSON.stringify(body));
        } else {
          status = 404;
          const host = String(req.headers.host ?? `details:${port}`);
          size = send(res, 404, { Server: SERVER, 'Content-Type': 'text/html; charset=ISO-8859-1' }, `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0//EN">\n<HTML>\n  <HEAD><TITLE>Not Found</TITLE></HEAD>\n  <BODY>\n    <H1>Not Found</H1>\n    \`${path}' not found.\n    <HR>\n    <ADDRESS>\n     ${SERVER} at\n     ${host}\n    </ADDRESS>\n  </BODY>\n</HTML>\n`);
        }
        const t = ctx.clock.now();
        const when = `${pad(t.getUTCDate())}/${MONTHS[t.getUTCMonth()]}/${t.getUTCFullYear()}:${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} UTC`;
        ctx.log(`${(req.socket?.remoteAddress ?? '-').replace(/^::ffff:/, '')} - - [${when}] "${req.method} ${req.url} HTTP/${req.httpVersion}" ${status} ${size || '-'}`);
        ctx.log(`${req.headers.referer ?? '-'} -> ${path}`);
      });
    };

    return {
      start() {
        const t = ctx.clock.now();
        const stamp = `[${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}]`;
        for (const line of ['WEBrick 1.8.1', 'ruby 3.3.0 (2023-12-25) [x86_64-linux]', `WEBrick::HTTPServer#start: pid=1 port=${port}`]) ctx.log(`${stamp} INFO  ${line}`);
      },
      httpHandler: (p) => (p === port ? handler : undefined),
    };
  },
};
