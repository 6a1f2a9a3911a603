// `wget [-q] [-O FILE|-] [-S] [--header H] [-T SEC] [--post-data D] [-U AGENT] [--spider] URL...`: GNU wget's
// messages and exit codes (4 network failure, 8 server error response), without its retries.
import { isTransportFailure } from '../../mesh/types.js';
import { parseClientUrl, reasonPhrase, requestTarget, sendClientRequest, statusLine, urlPort } from './http-client.js';
import { resolvedAddress, toolClock } from './tool-env.js';
import { writeText, type ExecTool, type ToolContext } from './tool.js';

interface WgetOptions {
  quiet: boolean;
  output?: string;
  serverResponse: boolean;
  spider: boolean;
  headers: string[];
  timeoutMs?: number;
  postData?: string;
  method?: string;
  userAgent: string;
  urls: string[];
}

const WITH_ARG: Record<string, keyof WgetOptions | 'ignore'> = {
  O: 'output', 'output-document': 'output', header: 'headers', T: 'timeoutMs', timeout: 'timeoutMs', 'post-data': 'postData',
  'body-data': 'postData', method: 'method', U: 'userAgent', 'user-agent': 'userAgent', t: 'ignore', tries: 'ignore', 'read-timeout': 'timeoutMs',
  'connect-timeout': 'ignore', o: 'ignore', 'output-file': 'ignore', P: 'ignore', 'directory-prefix': 'ignore', 'wait': 'ignore',
};
const FLAGS: Record<string, keyof WgetOptions | 'ignore'> = {
  q: 'quiet', quiet: 'quiet', S: 'serverResponse', 'server-response': 'serverResponse', spider: 'spider', 'no-check-certificate': 'ignore',
  'no-verbose': 'quiet', nv: 'quiet', c: 'ignore', 'continue': 'ignore', 'no-cache': 'ignore', '4': 'ignore', 'inet4-only': 'ignore',
};

/** Parses wget's options (GNU style: bundled short flags, `-O-`, `--opt=value`). */
function parseWget(args: string[]): WgetOptions | string {
  const o: WgetOptions = { quiet: false, serverResponse: false, spider: false, headers: [], userAgent: 'Wget/1.21.4', urls: [] };
  const set = (key: keyof WgetOptions | 'ignore', value: string): string | void => {
    if (key === 'ignore') return;
    if (key === 'headers') o.headers.push(value);
    else if (key === 'timeoutMs') {
      if (!/^\d+(\.\d+)?$/.test(value)) return `wget: --timeout: Invalid time period '${value}'`;
      o.timeoutMs = Number(value) * 1000 || undefined;
    } else (o as any)[key] = value;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-') || a === '-') {
      o.urls.push(a);
      continue;
    }
    if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split(/=(.*)/s);
      if (WITH_ARG[name]) {
        const value = inline ?? args[++i];
        if (value === undefined) return `wget: option '--${name}' requires an argument`;
        const problem = set(WITH_ARG[name], value);
        if (problem) return problem;
      } else if (FLAGS[name]) {
        if (FLAGS[name] !== 'ignore') (o as any)[FLAGS[name]] = true;
      } else return `wget: unrecognized option '${a}'`;
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (FLAGS[c]) {
        if (FLAGS[c] !== 'ignore') (o as any)[FLAGS[c]] = true;
      } else if (WITH_ARG[c]) {
        const value = j + 1 < a.length ? a.slice(j + 1) : args[++i];
        if (value === undefined) return `wget: option requires an argument -- '${c}'`;
        const problem = set(WITH_ARG[c], value);
        if (problem) return problem;
        break;
      } else return `wget: invalid option -- '${c}'`;
    }
  }
  return o;
}

/** The wget program. */
export const wgetTool: ExecTool = async (argv, streams, ctx) => {
  const o = parseWget(argv.slice(1));
  if (typeof o === 'string') {
    await writeText(streams.stderr, `${o}\nUsage: wget [OPTION]... [URL]...\n\nTry 'wget --help' for more options.\n`);
    return 2;
  }
  if (!o.urls.length) {
    await writeText(streams.stderr, "wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry 'wget --help' for more options.\n");
    return 1;
  }
  let exit = 0;
  for (const raw of o.urls) {
    const code = await fetchOne(o, raw, streams, ctx);
    if (code) exit = exit === 0 || code < exit ? code : exit;
    if (streams.signal.aborted) break;
  }
  return exit;
};

async function fetchOne(o: WgetOptions, raw: string, streams: Parameters<ExecTool>[1], ctx: ToolContext): Promise<number> {
  const log = (text: string) => (o.quiet ? Promise.resolve() : writeText(streams.stderr, text));
  const url = parseClientUrl(raw);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    await log(`${raw}: Unsupported scheme.\n`);
    return 1;
  }
  const stamp = () => toolClock(ctx).now().toISOString().replace('T', ' ').slice(0, 19);
  const ip = resolvedAddress(ctx, url.hostname);
  await log(`--${stamp()}--  ${url.href}\n`);
  const headers: [string, string][] = [['User-Agent', o.userAgent], ['Accept', '*/*'], ['Accept-Encoding', 'identity'], ['Host', url.host], ['Connection', 'Keep-Alive']];
  for (const h of o.headers) {
    const colon = h.indexOf(':');
    if (colon > 0) {
      const name = h.slice(0, colon).trim();
      const at = headers.findIndex(([k]) => k.toLowerCase() === name.toLowerCase());
      if (at >= 0) headers.splice(at, 1);
      headers.push([name, h.slice(colon + 1).trim()]);
    }
  }
  const body = o.postData !== undefined ? Buffer.from(o.postData) : undefined;
  if (body) headers.push(['Content-Type', 'application/x-www-form-urlencoded'], ['Content-Length', String(body.length)]);
  const method = o.method ?? (o.spider ? 'HEAD' : body ? 'POST' : 'GET');
  const ex = await sendClientRequest(ctx, { method, url, headers, body }, { timeoutMs: o.timeoutMs, signal: streams.signal });
  const r = ex.result;
  if (isTransportFailure(r)) {
    if (r.failure === 'dns') {
      await log(`Resolving ${url.hostname} (${url.hostname})... failed: Name or service not known.\nwget: unable to resolve host address '${url.hostname}'\n`);
      return 4;
    }
    await log(`Resolving ${url.hostname} (${url.hostname})... ${ip}\n`);
    if (r.failure === 'connect-refused') {
      await log(`Connecting to ${url.hostname} (${url.hostname})|${ip}|:${urlPort(url)}... failed: Connection refused.\n`);
      return 4;
    }
    const why = r.failure === 'timeout' ? 'Connection timed out' : r.failure === 'tls' ? 'Unable to establish SSL connection' : r.failure === 'empty-reply' ? 'No data received' : 'Connection reset by peer';
    await log(`Connecting to ${url.hostname} (${url.hostname})|${ip}|:${urlPort(url)}... connected.\nHTTP request sent, awaiting response... Read error (${why}) in headers.\nGiving up.\n\n`);
    return 4;
  }
  await log(`Resolving ${url.hostname} (${url.hostname})... ${ip}\nConnecting to ${url.hostname} (${url.hostname})|${ip}|:${urlPort(url)}... connected.\nHTTP request sent, awaiting response... `);
  if (o.serverResponse && !o.quiet) await writeText(streams.stderr, `\n  ${statusLine(r)}\n${Object.entries(r.headers).map(([k, v]) => `  ${k}: ${v}\n`).join('')}`);
  else await log(`${r.status} ${reasonPhrase(r.status)}\n`);
  if (r.status >= 400) {
    await log(`${stamp()} ERROR ${r.status}: ${reasonPhrase(r.status)}.\n\n`);
    return 8;
  }
  if (o.spider) {
    await log(`Length: ${r.body.length}\nRemote file exists.\n\n`);
    return 0;
  }
  const toStdout = o.output === '-';
  const file = toStdout ? undefined : (o.output ?? (requestTarget(url).split('?')[0].split('/').pop() || 'index.html'));
  const type = r.headers['content-type'];
  await log(`Length: ${r.body.length}${type ? ` [${type}]` : ''}\nSaving to: '${toStdout ? 'STDOUT' : file}'\n\n`);
  if (toStdout) await writeText(streams.stdout, r.body);
  else if (file !== '/dev/null') ctx.files[file!.startsWith('/') ? file! : `/${file}`] = r.body.toString('utf8');
  await log(`${stamp()} - ${toStdout ? 'written to stdout' : `'${file}' saved`} [${r.body.length}/${r.body.length}]\n\n`);
  return 0;
}
