// What curl prints besides the body: the -w/--write-out template, the -v trace, and the progress meter it
// writes to stderr when its output is not a terminal.
import type { MeshResponse } from '../../mesh/types.js';
import { requestTarget, statusLine, type ClientRequest } from './http-client.js';

/** The values -w variables read, for one URL's transfer (after any redirects). */
export interface WriteOutInfo {
  code: number;
  totalMs: number;
  startTransferMs: number;
  connectMs: number;
  nameLookupMs: number;
  redirectMs: number;
  sizeDownload: number;
  sizeHeader: number;
  sizeRequest: number;
  sizeUpload: number;
  urlEffective: string;
  url: string;
  contentType?: string;
  numRedirects: number;
  remoteIp: string;
  remotePort: number;
  localIp: string;
  method: string;
  exitCode: number;
  errorMessage: string;
  headers: Record<string, string>;
  scheme: string;
}

/** One piece of -w output and the stream it goes to (`%{stderr}` / `%{stdout}` switch streams). */
export interface WriteOutChunk {
  stream: 'stdout' | 'stderr';
  text: string;
}

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(6);

/** The -w variables curl knows that the sandbox fills in. */
function variable(name: string, i: WriteOutInfo): string | undefined {
  switch (name) {
    case 'http_code':
    case 'response_code':
      return String(i.code).padStart(3, '0');
    case 'http_connect':
      return '000';
    case 'time_total':
      return seconds(i.totalMs);
    case 'time_starttransfer':
      return seconds(i.startTransferMs);
    case 'time_connect':
    case 'time_pretransfer':
    case 'time_appconnect':
      return seconds(name === 'time_appconnect' && i.scheme === 'http' ? 0 : i.connectMs);
    case 'time_namelookup':
      return seconds(i.nameLookupMs);
    case 'time_redirect':
      return seconds(i.redirectMs);
    case 'size_download':
      return String(i.sizeDownload);
    case 'size_header':
      return String(i.sizeHeader);
    case 'size_request':
      return String(i.sizeRequest);
    case 'size_upload':
      return String(i.sizeUpload);
    case 'speed_download':
      return String(Math.round(i.totalMs > 0 ? (i.sizeDownload * 1000) / i.totalMs : 0));
    case 'speed_upload':
      return '0';
    case 'url_effective':
      return i.urlEffective;
    case 'url':
      return i.url;
    case 'content_type':
      return i.contentType ?? '';
    case 'num_redirects':
      return String(i.numRedirects);
    case 'num_connects':
      return String(i.code ? i.numRedirects + 1 : 0);
    case 'redirect_url':
      return '';
    case 'remote_ip':
      return i.code ? i.remoteIp : '';
    case 'remote_port':
      return i.code ? String(i.remotePort) : '';
    case 'local_ip':
      return i.localIp;
    case 'local_port':
      return '0';
    case 'method':
      return i.method;
    case 'exitcode':
      return String(i.exitCode);
    case 'errormsg':
      return i.errorMessage;
    case 'http_version':
      return i.code ? '1.1' : '0';
    case 'scheme':
      return i.scheme.toUpperCase();
    case 'ssl_verify_result':
    case 'proxy_ssl_verify_result':
      return '0';
    case 'json':
      return JSON.stringify({ http_code: i.code, response_code: i.code, time_total: Number(seconds(i.totalMs)), size_download: i.sizeDownload, url_effective: i.urlEffective, exitcode: i.exitCode, errormsg: i.errorMessage || null, method: i.method, num_redirects: i.numRedirects, content_type: i.contentType ?? null, remote_ip: i.remoteIp, remote_port: i.remotePort });
    default:
      return undefined;
  }
}

/** Expands a -w template: `%{var}`, `%header{name}`, `%%`, and the `\n` `\r` `\t` `\\` escapes. */
export function formatWriteOut(template: string, info: WriteOutInfo): { chunks: WriteOutChunk[]; warnings: string[] } {
  const chunks: WriteOutChunk[] = [];
  const warnings: string[] = [];
  let stream: WriteOutChunk['stream'] = 'stdout';
  let text = '';
  const flush = () => {
    if (text) chunks.push({ stream, text });
    text = '';
  };
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '\\' && i + 1 < template.length) {
      const next = template[i + 1];
      const escaped = next === 'n' ? '\n' : next === 'r' ? '\r' : next === 't' ? '\t' : next === '\\' ? '\\' : undefined;
      text += escaped ?? `\\${next}`;
      i++;
    } else if (c === '%' && template[i + 1] === '%') {
      text += '%';
      i++;
    } else if (c === '%' && template.startsWith('%header{', i)) {
      const end = template.indexOf('}', i);
      if (end < 0) text += template.slice(i);
      else text += headerLookup(info.headers, template.slice(i + 8, end)) ?? '';
      i = end < 0 ? template.length : end;
    } else if (c === '%' && template[i + 1] === '{') {
      const end = template.indexOf('}', i);
      if (end < 0) {
        text += template.slice(i);
        break;
      }
      const name = template.slice(i + 2, end);
      i = end;
      if (name === 'stdout' || name === 'stderr') {
        flush();
        stream = name;
        continue;
      }
      const value = variable(name, info);
      if (value === undefined) warnings.push(`curl: unknown --write-out variable: '${name}'`);
      else text += value;
    } else text += c;
  }
  flush();
  return { chunks, warnings };
}

function headerLookup(headers: Record<string, string>, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === want) return v;
  return undefined;
}

/** -v lines for one request/response exchange (request before response, like curl 8). */
export function verboseExchange(req: ClientRequest, res: MeshResponse | undefined, where: { host: string; ip: string; port: number }, tty: boolean): string[] {
  const lines = [`*   Trying ${where.ip}:${where.port}...`, `* Connected to ${where.host} (${where.ip}) port ${where.port}`];
  lines.push(`> ${req.method} ${requestTarget(req.url)} HTTP/1.1`, ...req.headers.map(([k, v]) => `> ${k}: ${v}`), '> ');
  if (!res) return lines;
  lines.push(`< ${statusLine(res)}`, ...Object.entries(res.headers).map(([k, v]) => `< ${k}: ${v}`), '< ');
  if (res.body.length && !tty) lines.push(`{ [${res.body.length} bytes data]`);
  lines.push(`* Connection #0 to host ${where.host} left intact`);
  return lines;
}

const METER_HEADER = '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n';

/** curl's progress meter: the two header lines and the final state line (no trailing newline). */
export function progressMeter(received: number, total: number | undefined, elapsedMs: number): string {
  const done = total !== undefined && received >= total;
  const pct = (n: number) => String(n).padStart(3);
  const size = (n: number) => meterSize(n).padStart(5);
  const speed = elapsedMs > 0 ? Math.round((received * 1000) / elapsedMs) : received;
  const line = `${pct(done ? 100 : 0)} ${size(total ?? received)}  ${pct(done ? 100 : 0)} ${size(received)}    0     0  ${size(speed)}      0 --:--:-- --:--:-- --:--:-- ${size(speed)}`;
  return `${METER_HEADER}\r${line}`;
}

/** Sizes as the meter shows them: bytes, then k / M once they do not fit in five columns. */
function meterSize(n: number): string {
  if (n < 100000) return String(n);
  if (n < 10000 * 1024) return `${Math.round(n / 1024)}k`;
  return `${Math.round(n / (1024 * 1024))}M`;
}
