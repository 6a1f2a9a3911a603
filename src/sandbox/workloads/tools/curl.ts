// `curl [options] URL...`: HTTP through the pod's network (its sidecar when it has one), with curl's
// output rules (-o, -i, -I, -v, -w, -s/-S, the progress meter) and its exit codes (6, 7, 22, 28, 35, 47,
// 52, 56). The User-Agent follows the image (`curlimages/curl:8.16.0` → `curl/8.16.0`).
import { parseImageRef } from '../image-ref.js';
import { parseCurlArgs, type CurlData, type CurlOptions, type CurlTarget } from './curl-options.js';
import { formatWriteOut, progressMeter, verboseExchange, type WriteOutInfo } from './curl-output.js';
import { runCurlTransfer, type CurlRequestPlan, type CurlTransfer } from './curl-transfer.js';
import { headerValue, parseClientUrl, responseHead, urlPort } from './http-client.js';
import { containerImage } from './tool-env.js';
import { writeText, type ExecTool, type ToolContext } from './tool.js';
import type { ExecStreams } from '../../types.js';

const TRY_HELP = "curl: try 'curl --help' or 'curl --manual' for more information\n";

/** The curl program. */
export const curlTool: ExecTool = async (argv, streams, ctx) => {
  const parsed = parseCurlArgs(argv.slice(1));
  if ('error' in parsed) {
    await writeText(streams.stderr, `curl: ${parsed.error}\n${TRY_HELP}`);
    return parsed.code;
  }
  if (!parsed.targets.length) {
    await writeText(streams.stderr, argv.length > 1 ? `curl: no URL specified!\n${TRY_HELP}` : TRY_HELP);
    return 2;
  }
  const plan = await requestPlan(parsed, ctx, streams);
  let exit = 0;
  for (const target of parsed.targets) {
    const code = await transferOne(parsed, target, plan, streams, ctx);
    if (code) exit = code;
    if (streams.signal.aborted) break;
  }
  return exit;
};

/** Runs one URL and writes everything curl prints for it; returns its exit code. */
async function transferOne(o: CurlOptions, target: CurlTarget, plan: CurlRequestPlan, streams: ExecStreams, ctx: ToolContext): Promise<number> {
  const t = await runCurlTransfer(ctx, o, target.raw, plan, streams.signal);
  const sink = outputSink(target, t);
  if ('error' in sink) {
    if (!o.silent || o.showError) await writeText(streams.stderr, `curl: ${sink.error}\n`);
    return 23;
  }
  if (o.verbose) await writeText(streams.stderr, verboseTrace(t, streams.tty));
  const last = t.hops[t.hops.length - 1]?.response;
  const received = last && !o.head ? last.body.length : 0;
  const meter = !o.silent && !o.noProgress && !o.verbose && (sink.file !== undefined || !streams.tty);
  if (meter) await writeText(streams.stderr, `${progressMeter(received, t.exit && t.exit !== 22 ? undefined : received, t.totalMs)}\n`);
  const failed = t.exit === 22 && !o.failWithBody;
  if (o.dumpHeader !== undefined && o.dumpHeader !== '/dev/null') {
    const heads = t.hops.flatMap((h) => (h.response ? [responseHead(h.response)] : [])).join('');
    if (o.dumpHeader === '-') await writeText(streams.stdout, heads);
    else ctx.files[o.dumpHeader.startsWith('/') ? o.dumpHeader : `/${o.dumpHeader}`] = heads;
  }
  const chunks: Buffer[] = [];
  if ((o.include || o.head) && !failed) for (const hop of t.hops) if (hop.response) chunks.push(Buffer.from(responseHead(hop.response), 'latin1'));
  if (last && !o.head && !failed) chunks.push(last.body);
  if (sink.file === undefined) for (const c of chunks) await writeText(streams.stdout, c);
  else if (sink.file) ctx.files[sink.file] = Buffer.concat(chunks).toString('utf8');
  if (t.exit && t.error && !t.aborted && (!o.silent || o.showError)) await writeText(streams.stderr, `curl: (${t.exit}) ${t.error}\n`);
  if (o.writeOut !== undefined) {
    const { chunks: pieces, warnings } = formatWriteOut(o.writeOut, writeOutInfo(o, target, t, ctx));
    for (const w of warnings) await writeText(streams.stderr, `${w}\n`);
    for (const p of pieces) await writeText(p.stream === 'stdout' ? streams.stdout : streams.stderr, p.text);
  }
  return t.aborted ? 130 : t.exit;
}

/** Where the body goes: stdout, or a file (`''` = discarded, for /dev/null); -O names it after the URL. */
function outputSink(target: CurlTarget, t: CurlTransfer): { file?: string } | { error: string } {
  if (target.remoteName) {
    const name = (t.url ?? parseClientUrl(target.raw))?.pathname.split('/').pop() ?? '';
    return name ? { file: `/${name}` } : { error: 'Remote file name has no length!' };
  }
  if (target.output === undefined || target.output === '-') return {};
  if (target.output === '/dev/null') return { file: '' };
  return { file: target.output.startsWith('/') ? target.output : `/${target.output.replace(/^\.\//, '')}` };
}

/** The -v trace for every hop of a transfer, with the failure lines curl adds. */
function verboseTrace(t: CurlTransfer, tty: boolean): string {
  const lines: string[] = [];
  t.hops.forEach((hop, i) => {
    if (i > 0) lines.push(`* Issue another request to this URL: '${hop.request.url.href}'`);
    if (!hop.response && t.exit === 6) lines.push(`* Could not resolve host: ${hop.where.host}`);
    else if (!hop.response && t.exit === 7) lines.push(`*   Trying ${hop.where.ip}:${hop.where.port}...`, `* connect to ${hop.where.ip} port ${hop.where.port} failed: Connection refused`, `* ${t.error}`);
    else lines.push(...verboseExchange(hop.request, hop.response, hop.where, tty));
    if (!hop.response && t.exit !== 6 && t.exit !== 7 && t.error) lines.push(`* ${t.error}`);
    if (!hop.response) lines.push('* closing connection #0');
  });
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** The -w values for a finished transfer. */
function writeOutInfo(o: CurlOptions, target: CurlTarget, t: CurlTransfer, ctx: ToolContext): WriteOutInfo {
  const responses = t.hops.map((h) => h.response).filter((r) => r !== undefined);
  const last = responses[responses.length - 1];
  const lastHop = t.hops[t.hops.length - 1];
  const firstMs = t.hops.slice(0, -1).reduce((sum, h) => sum + h.elapsedMs, 0);
  const url = t.url ?? parseClientUrl(target.raw);
  return {
    code: last && !(t.exit && t.exit !== 22 && t.exit !== 47) ? last.status : 0,
    totalMs: t.totalMs,
    startTransferMs: last ? t.totalMs : 0,
    connectMs: last ? Math.min(t.totalMs, 0.05) : 0,
    nameLookupMs: t.hops.length ? Math.min(t.totalMs, 0.02) : 0,
    redirectMs: t.hops.length > 1 ? firstMs : 0,
    sizeDownload: last && !o.head ? last.body.length : 0,
    sizeHeader: responses.reduce((sum, r) => sum + Buffer.byteLength(responseHead(r)), 0),
    sizeRequest: t.hops.reduce((sum, h) => sum + h.request.headers.reduce((s, [k, v]) => s + k.length + v.length + 4, 0) + h.request.method.length + 15, 0),
    sizeUpload: lastHop?.request.body?.length ?? 0,
    urlEffective: url?.href ?? target.raw,
    url: target.raw,
    contentType: last ? headerValue(last, 'content-type') : undefined,
    numRedirects: Math.max(0, responses.length - 1),
    remoteIp: lastHop?.where.ip ?? '',
    remotePort: lastHop?.where.port ?? (url ? urlPort(url) : 0),
    localIp: String(ctx.pod.status?.podIP ?? ''),
    method: lastHop?.request.method ?? 'GET',
    exitCode: t.exit,
    errorMessage: t.error ?? '',
    headers: last?.headers ?? {},
    scheme: (url?.protocol ?? 'http:').slice(0, -1),
  };
}

/** The body (from -d & co.) and the headers it implies; reads @file from the container and @- from stdin. */
async function requestPlan(o: CurlOptions, ctx: ToolContext, streams: ExecStreams): Promise<CurlRequestPlan> {
  const userAgent = `curl/${curlVersion(containerImage(ctx))}`;
  if (!o.data.length) return { userAgent };
  const parts: string[] = [];
  let json = false;
  for (const d of o.data) {
    parts.push(await dataText(d, ctx, streams));
    json ||= d.kind === 'json';
  }
  const body = Buffer.from(parts.join(json ? '' : '&'));
  return json ? { body, userAgent, contentType: 'application/json', accept: 'application/json' } : { body, userAgent };
}

/** One -d style argument as bytes of the body. */
async function dataText(d: CurlData, ctx: ToolContext, streams: ExecStreams): Promise<string> {
  if (d.kind === 'urlencode') {
    const eq = d.value.indexOf('=');
    return eq < 0 ? encodeURIComponent(d.value) : `${d.value.slice(0, eq + 1)}${encodeURIComponent(d.value.slice(eq + 1))}`;
  }
  if (d.kind === 'raw' || !d.value.startsWith('@')) return d.value;
  const path = d.value.slice(1);
  let text: string;
  if (path === '-') {
    const chunks: Buffer[] = [];
    if (streams.stdin) for await (const c of streams.stdin) chunks.push(Buffer.from(c as Uint8Array));
    text = Buffer.concat(chunks).toString('utf8');
  } else {
    const found = ctx.files[path.startsWith('/') ? path : `/${path}`];
    if (found === undefined) await writeText(streams.stderr, `Warning: Couldn't read data from file "${path}", this makes an empty POST.\n`);
    text = found ?? '';
  }
  return d.kind === 'binary' ? text : text.replace(/[\r\n]/g, '');
}

/** curl's version in an image: the curlimages/curl tag, 7.35.0 in tutum/curl, else 8.16.0. */
export function curlVersion(image: string): string {
  const ref = parseImageRef(image);
  if (ref.path.endsWith('curlimages/curl') && ref.tag && /^\d+\.\d+\.\d+$/.test(ref.tag)) return ref.tag;
  if (ref.path.endsWith('tutum/curl')) return '7.35.0';
  return '8.16.0';
}
