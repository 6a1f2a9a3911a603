// curl inside a pod (exec): argument lists, a shell loop that sends several requests per exec, and
// a parser for `curl -s -i -w <marker>` output (status, headers, body, time, exit code per request).
import { errorResponse, type ObservedResponse, type RequestSpec } from './response.js';
import { fromCurlExit } from './transport.js';

/** Marker line curl writes after each response (`-w`). */
const MARKER = '@@istio-lab@@';
const WRITE_OUT = `\\n${MARKER} %{http_code} %{time_total} %{exitcode}\\n`;
const MARKER_LINE = new RegExp(`\\n?${MARKER} (\\d{3}) ([0-9.]+)(?: (\\S*))?\\r?\\n?`, 'g');

/** curl arguments (after "curl") for one request to `url`. */
export function buildCurlArgs(url: string, spec: RequestSpec, timeoutSeconds = 30): string[] {
  const args = ['-s', '-i', '-w', WRITE_OUT, '-m', String(timeoutSeconds)];
  if (spec.method === 'HEAD') args.push('-I');
  else if (spec.method !== 'GET') args.push('-X', spec.method);
  for (const [k, v] of Object.entries(spec.headers ?? {})) args.push('-H', `${k}: ${v}`);
  if (spec.body !== undefined) args.push('--data-raw', spec.body);
  args.push(url);
  return args;
}

/** Quotes a word for a POSIX shell. */
export function quoteShell(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** argv that sends `count` requests in one exec: sh -c 'for i in $(seq 1 N); do curl ...; done'. */
export function buildCurlLoop(url: string, spec: RequestSpec, count: number, timeoutSeconds = 30): string[] {
  const curl = ['curl', ...buildCurlArgs(url, spec, timeoutSeconds)].map(quoteShell).join(' ');
  return ['sh', '-c', `for i in $(seq 1 ${count}); do ${curl}; done`];
}

/** Splits one `curl -i` output into status, headers and body (skipping 1xx interim responses). */
function parseHead(text: string): Pick<ObservedResponse, 'status' | 'headers' | 'body'> {
  let rest = text;
  while (/^HTTP\/[0-9.]+ \d{3}/.test(rest)) {
    const end = /\r?\n\r?\n/.exec(rest);
    const head = end ? rest.slice(0, end.index) : rest;
    const body = end ? rest.slice(end.index + end[0].length) : '';
    const [statusLine, ...lines] = head.split(/\r?\n/);
    const status = Number(statusLine.split(' ')[1]);
    if (status >= 100 && status < 200 && body.startsWith('HTTP/')) {
      rest = body;
      continue;
    }
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    return { status, headers, body };
  }
  return { status: 0, headers: {}, body: rest };
}

/** Parses the output of one or more `curl -s -i -w <marker>` runs, in order. */
export function parseCurlOutput(stdout: string): ObservedResponse[] {
  const out: ObservedResponse[] = [];
  let start = 0;
  for (const m of stdout.matchAll(MARKER_LINE)) {
    const chunk = stdout.slice(start, m.index);
    start = (m.index ?? 0) + m[0].length;
    const latencyMs = Number(m[2]) * 1000;
    const exit = m[3] && /^\d+$/.test(m[3]) ? m[3] : undefined;
    if (m[1] === '000') {
      const failure = exit && exit !== '0' ? fromCurlExit(Number(exit)) : undefined;
      out.push(errorResponse(failure?.message ?? 'no HTTP response', latencyMs, failure?.transport));
      continue;
    }
    const parsed = parseHead(chunk);
    out.push({ ...parsed, status: parsed.status || Number(m[1]), latencyMs });
  }
  return out;
}
