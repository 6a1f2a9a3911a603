// `fortio load`: -c workers, each awaiting its own request through the pod's network, so the mesh sees
// up to -c requests in flight at once (what trips an Envoy circuit breaker); -qps pacing, -n / -t, warmup,
// and the report fortio prints to stderr (fhttp/httprunner.go, periodic/periodic.go, stats/stats.go).
import { isTransportFailure } from '../../mesh/types.js';
import type { ExecStreams } from '../../types.js';
import type { FortioFlags } from './fortio-flags.js';
import type { FortioLogger } from './fortio-log.js';
import { FortioCounter, FortioHistogram, formatG, goDuration } from './fortio-stats.js';
import { headerValue, parseClientUrl, responseHead, sendClientRequest, urlPort, type ClientRequest } from './http-client.js';
import { delay, monotonicMs, resolvedAddress } from './tool-env.js';
import { writeText, type ToolContext } from './tool.js';

/** What a load run needs besides its flags. */
export interface FortioRun {
  ctx: ToolContext;
  streams: ExecStreams;
  log: FortioLogger;
  version: string;
  procs: number;
}

/** The result of one call as fortio records it (code -1 = socket error). */
export interface FortioCall {
  code: number;
  data: string;
  seconds: number;
  headerSize: number;
  totalSize: number;
  reconnect: boolean;
}

const WARN = 3;
const INFO = 2;
const ERROR = 4;

/** The request fortio sends for `url` with these flags. */
export function fortioRequest(f: FortioFlags, url: URL, version: string): ClientRequest {
  const headers: [string, string][] = [['Host', url.host], ['User-Agent', `fortio.org/fortio-${version}`]];
  for (const h of f.headers) {
    const colon = h.indexOf(':');
    if (colon <= 0) continue;
    const name = h.slice(0, colon).trim();
    const at = headers.findIndex(([k]) => k.toLowerCase() === name.toLowerCase());
    if (at >= 0) headers.splice(at, 1);
    headers.push([name, h.slice(colon + 1).trim()]);
  }
  const body = f.payload !== undefined ? Buffer.from(f.payload) : undefined;
  if (body) headers.push(['Content-Type', f.contentType ?? 'application/octet-stream'], ['Content-Length', String(body.length)]);
  return { method: f.method ?? (body ? 'POST' : 'GET'), url, headers, body };
}

/** One call through the network, logged like fortio's fast client does. */
export async function fortioCall(run: FortioRun, req: ClientRequest, timeoutMs: number, signal: AbortSignal, thread: number): Promise<FortioCall> {
  const ex = await sendClientRequest(run.ctx, req, { timeoutMs, signal });
  const seconds = ex.elapsedMs / 1000;
  const r = ex.result;
  if (isTransportFailure(r)) {
    if (!ex.aborted) {
      const dest = `${resolvedAddress(run.ctx, req.url.hostname)}:${urlPort(req.url)}`;
      const [msg, err] = r.failure === 'connect-refused' ? ['Unable to connect', `dial tcp ${dest}: connect: connection refused`] : r.failure === 'dns' ? ['Unable to lookup', `lookup ${req.url.hostname}: no such host`] : r.failure === 'timeout' ? ['Read error', `read tcp ${dest}: i/o timeout`] : ['Read error', r.failure === 'empty-reply' ? 'EOF' : `read tcp ${dest}: connection reset by peer`];
      await run.log.log(ERROR, ['http_client.go', 1112], msg, { dest, err, thread, run: 0 }, 12 + thread);
    }
    return { code: -1, data: '', seconds, headerSize: 0, totalSize: 0, reconnect: true };
  }
  const head = responseHead(r);
  const ok = r.status >= 200 && r.status < 300;
  if (!ok) await run.log.log(WARN, ['http_client.go', 1104], 'Non ok http code', { code: r.status, status: `HTTP/1.1 ${r.status}`, thread, run: 0 }, 12 + thread);
  const headerSize = Buffer.byteLength(head);
  const close = /close/i.test(headerValue(r, 'connection') ?? '');
  return { code: r.status, data: head + r.body.toString('utf8'), seconds, headerSize, totalSize: headerSize + r.body.length, reconnect: !ok || close };
}

/** Runs `fortio load` against `rawUrl`; returns the exit code. */
export async function runFortioLoad(f: FortioFlags, rawUrl: string, run: FortioRun): Promise<number> {
  const out = (s: string) => writeText(run.streams.stderr, s);
  const { log, procs } = run;
  const url = parseClientUrl(rawUrl.trim());
  if (!url) {
    await out(`Aborting because of unable to parse url ${JSON.stringify(rawUrl)}\n`);
    return 1;
  }
  const target = url.href;
  const useExactly = f.exactly > 0;
  const hasDuration = f.durationMs > 0;
  await out(`Fortio ${run.version} running at ${formatG(f.qps)} queries per second, ${procs}->${procs} procs${useExactly ? `, for ${f.exactly} calls: ${target}` : hasDuration ? `, for ${goDuration(f.durationMs)}: ${target}` : `, until interrupted: ${target}`}\n`);
  const qps = f.qps > 0 ? f.qps : -1;
  const useQPS = qps > 0;
  let threads = Math.max(1, f.threads);
  if (useExactly && !useQPS) threads = Math.min(threads, f.exactly);
  await log.log(INFO, ['httprunner.go', 113], 'Starting http test', { run: 0, url: target, threads, qps: qps.toFixed(1), warmup: 'parallel', 'conn-reuse': '' });
  const req = fortioRequest(f, url, run.version);
  const stop = new AbortController();
  const signal = AbortSignal.any([run.streams.signal, stop.signal]);
  if (!useExactly) {
    const warm = await Promise.all(Array.from({ length: threads }, (_, t) => fortioCall(run, req, f.timeoutMs, signal, t)));
    const bad = warm.find((c) => !(c.code >= 200 && c.code < 300));
    if (bad && !f.allowInitialErrors) {
      await out(`Aborting because of error ${bad.code} for ${target}: ${JSON.stringify(bad.data)}\n`);
      return 1;
    }
  }
  let perThread = 0;
  let leftOver = 0;
  const gomax = `[gomax ${procs}]`;
  if (useQPS) {
    if (!hasDuration && !useExactly) await out(`Starting at ${formatG(qps)} qps with ${threads} thread(s) ${gomax} until interrupted\n`);
    else {
      let numCalls = useExactly ? f.exactly : Math.floor((qps * f.durationMs) / 1000);
      if (numCalls < 2) {
        await log.log(WARN, ['periodic.go', 346], 'Increasing the number of calls to the minimum of 2 with 1 thread. total duration will increase');
        numCalls = 2;
        threads = 1;
      }
      if (2 * threads > numCalls) {
        const lowered = Math.floor(numCalls / 2);
        await log.log(WARN, ['periodic.go', 352], `Lowering number of threads - total call ${numCalls} -> lowering from ${threads} to ${lowered} threads`);
        threads = lowered;
      }
      perThread = Math.floor(numCalls / threads);
      const total = perThread * threads;
      if (useExactly) leftOver = f.exactly - total;
      if (log.enabled(WARN)) await out(useExactly ? `Starting at ${formatG(qps)} qps with ${threads} thread(s) ${gomax} : exactly ${f.exactly}, ${perThread} calls each (total ${total} + ${leftOver})\n` : `Starting at ${formatG(qps)} qps with ${threads} thread(s) ${gomax} for ${goDuration(f.durationMs)} : ${perThread} calls each (total ${total})\n`);
    }
  } else if (!useExactly && !hasDuration) await out(`Starting at max qps with ${threads} thread(s) ${gomax} until interrupted\n`);
  else if (useExactly) {
    perThread = Math.floor(f.exactly / threads);
    leftOver = f.exactly % threads;
    if (log.enabled(WARN)) await out(`Starting at max qps with ${threads} thread(s) ${gomax} for exactly ${f.exactly} calls (${perThread} per thread + ${leftOver})\n`);
  } else if (log.enabled(WARN)) await out(`Starting at max qps with ${threads} thread(s) ${gomax} for ${goDuration(f.durationMs)}\n`);

  const functionTimes = new FortioHistogram(0, f.resolution);
  const errorTimes = new FortioHistogram(0, f.resolution);
  const sleepTimes = new FortioHistogram(-0.001, 0.001);
  let behind = 0;
  const codes = new Map<number, number>();
  const headerSizes = new FortioCounter();
  const sizes = new FortioCounter();
  let sockets = 0;
  const start = monotonicMs();
  const bounded = useExactly || (useQPS && hasDuration);
  const worker = async (t: number) => {
    const calls = perThread + (t === 0 ? leftOver : 0);
    const perThreadQPS = qps / threads;
    let threadSockets = 1;
    let reconnect = false;
    for (let i = 0; ; ) {
      if (signal.aborted || (bounded && i >= calls)) break;
      if (!useExactly && hasDuration && monotonicMs() - start > f.durationMs) {
        if (!useQPS) break;
        if (i >= 2 && i !== calls - 1) break;
      }
      if (reconnect) threadSockets++;
      const c = await fortioCall(run, req, f.timeoutMs, signal, t);
      if (signal.aborted && c.code === -1) break;
      functionTimes.record(c.seconds);
      if (!(c.code >= 200 && c.code < 300)) errorTimes.record(c.seconds);
      codes.set(c.code, (codes.get(c.code) ?? 0) + 1);
      headerSizes.record(c.headerSize);
      sizes.record(c.totalSize);
      reconnect = c.reconnect;
      if (f.abortOn && c.code === f.abortOn) stop.abort();
      i++;
      if (useQPS && !(bounded && i >= calls)) {
        const sleepSeconds = i / perThreadQPS - (monotonicMs() - start) / 1000;
        sleepTimes.record(sleepSeconds);
        if (sleepSeconds <= -0.001) behind++;
        if (sleepSeconds > 0) await delay(sleepSeconds * 1000, signal);
      }
    }
    sockets += threadSockets;
  };
  await Promise.all(Array.from({ length: threads }, (_, t) => worker(t)));
  const elapsed = monotonicMs() - start;
  const actualQPS = functionTimes.count / (elapsed / 1000);
  let report = '';
  if (log.enabled(WARN)) report += `Ended after ${goDuration(elapsed)} : ${functionTimes.count} calls. qps=${formatG(actualQPS, 5)}\n`;
  if (useQPS && sleepTimes.count) {
    const negative = (100 * behind) / sleepTimes.count;
    if (negative > 5) report += `${sleepTimes.print('Aggregated Sleep Time', [50])}WARNING ${negative.toFixed(2)}% of sleep were falling behind\n`;
    else if (log.enabled(WARN)) report += sleepTimes.line('Sleep times');
  }
  if (log.enabled(WARN)) report += functionTimes.print('Aggregated Function Time', f.percentiles) + errorTimes.print('Error cases', f.percentiles);
  else report += functionTimes.line('Aggregated Function Time') + functionTimes.targets(f.percentiles) + errorTimes.line('Error cases');
  report += `Sockets used: ${sockets} (for perfect keepalive, would be ${threads})\n`;
  report += `Uniform: ${f.uniform}, Jitter: ${f.jitter}, Catchup allowed: ${!f.noCatchUp}\n`;
  report += `IP addresses distribution:\n${resolvedAddress(run.ctx, url.hostname)}:${urlPort(url)}: ${sockets}\n`;
  for (const code of [...codes.keys()].sort((a, b) => a - b)) {
    const n = codes.get(code)!;
    report += `Code ${String(code).padStart(3)} : ${n} (${((100 * n) / functionTimes.count).toFixed(1)} %)\n`;
  }
  if (log.enabled(WARN)) report += headerSizes.line('Response Header Sizes') + sizes.line('Response Body/Total Sizes');
  report += `All done ${functionTimes.count} calls (plus ${useExactly ? 0 : f.threads} warmup) ${(1000 * functionTimes.avg()).toFixed(3)} ms avg, ${actualQPS.toFixed(1)} qps\n`;
  await out(report);
  return 0;
}
