// Sends requests from inside a pod by exec'ing curl, so they pass through the pod's sidecar. Several
// requests share one exec through a shell loop; where the shell cannot run it, one exec per request.
// With a deadline (the check's remaining time), curl's -m and the exec's timeout are cut to it, and
// requests the cut stopped come back as timeouts instead of holding the check past its timeout.
import type { Cluster, ExecResult } from '../cluster/types.js';
import { buildCurlArgs, buildCurlLoop, parseCurlOutput } from './curl.js';
import { errorResponse, type ObservedResponse, type RequestSpec, type SendBatch } from './response.js';

/** The container requests are sent from. */
export interface PodTarget {
  namespace: string;
  pod: string;
  container?: string;
}

/** A batch sender bound to one pod, URL and request. */
export interface PodSender {
  sendBatch: SendBatch;
  /** "pod default/sleep-abc (container sleep)". */
  describe: string;
}

/** Limits of a pod sender. */
export interface PodSenderOptions {
  /** curl's -m per request, in seconds (default 30). */
  timeoutSeconds?: number;
  /** Epoch ms by which every exec must end (the check's deadline); no bound when undefined. */
  deadline?: number;
  /** Clock for the deadline (default Date.now). */
  now?: () => number;
}

/** Time an exec may run past the deadline so curl (whose -m fires at the deadline) can report. */
const EXEC_GRACE_MS = 500;

/** Whether an exec failure means the shell could not run the loop (so single execs may work). */
function shellUnsupported(code: number, stderr: string): boolean {
  return code === 127 || code === 126 || /syntax|unsupported|not supported|unexpected|can't open|seq: not found|executable file not found/i.test(stderr);
}

/** Whether our exec timeout stopped the exec (cluster/kube.ts answers 124 and says so). */
export function cutByTimeout(r: ExecResult): boolean {
  return r.code === 124 && /exec timed out after/.test(r.stderr);
}

/** Creates a sender that runs curl in `target` against `url`. */
export function createPodSender(cluster: Cluster, target: PodTarget, url: string, spec: RequestSpec, options: PodSenderOptions = {}): PodSender {
  const where = `pod ${target.namespace}/${target.pod}${target.container ? ` (container ${target.container})` : ''}`;
  const { timeoutSeconds = 30, deadline, now = Date.now } = options;
  let loop = true;
  /** curl's -m and the exec timeout for `count` requests, cut to the deadline. */
  const limits = (count: number) => {
    const execMs = count * (timeoutSeconds + 2) * 1000;
    if (deadline === undefined) return { curlSeconds: timeoutSeconds, execMs };
    const left = deadline - now();
    if (left <= 0) throw new Error(`the check's timeout ran out before the next request from ${where}; raise eventually.timeout, or send fewer requests`);
    return { curlSeconds: Math.min(timeoutSeconds, Math.max(0.5, Math.ceil(left / 100) / 10)), execMs: Math.min(execMs, left + EXEC_GRACE_MS) };
  };
  const exec = async (count: number, argvFor: (curlSeconds: number) => string[]) => {
    const { curlSeconds, execMs } = limits(count);
    const started = now();
    const r = await cluster.exec(target.namespace, target.pod, target.container, argvFor(curlSeconds), { timeoutMs: execMs });
    return { r, parsed: parseCurlOutput(r.stdout), cut: cutByTimeout(r), elapsedMs: now() - started };
  };
  /** Pads `parsed` to `count` with what stopped the rest. */
  const pad = (parsed: ObservedResponse[], count: number, r: ExecResult, cut: boolean, elapsedMs: number) => {
    const why = cut
      ? errorResponse(`no response before the check's timeout ran out (the exec was stopped after ${(elapsedMs / 1000).toFixed(1)} s)`, elapsedMs, { reason: 'timeout' })
      : errorResponse(`exec ended after ${parsed.length} of ${count} requests: ${r.stderr.trim().split('\n')[0] || `exit code ${r.code}`}`);
    while (parsed.length < count) parsed.push({ ...why });
    return parsed.slice(0, count);
  };
  const single = async (count: number, signal: AbortSignal): Promise<ObservedResponse[]> => {
    const out: ObservedResponse[] = [];
    for (let i = 0; i < count && !signal.aborted; i++) {
      const { r, parsed, cut, elapsedMs } = await exec(1, (s) => ['curl', ...buildCurlArgs(url, spec, s)]);
      if (!parsed.length && !cut) throw new Error(`cannot run curl in ${where}: ${(r.stderr || `exit code ${r.code}`).trim().split('\n')[0]}`);
      out.push(pad(parsed, 1, r, cut, elapsedMs)[0]);
    }
    return out;
  };
  const sendBatch: SendBatch = async (count, signal) => {
    if (!loop || count === 1) return single(count, signal);
    const { r, parsed, cut, elapsedMs } = await exec(count, (s) => buildCurlLoop(url, spec, count, s));
    if (!parsed.length && !cut && shellUnsupported(r.code, r.stderr)) {
      loop = false;
      return single(count, signal);
    }
    if (!parsed.length && !cut) throw new Error(`cannot run curl in ${where}: ${(r.stderr || `exit code ${r.code}`).trim().split('\n')[0]}`);
    return pad(parsed, count, r, cut, elapsedMs);
  };
  return { sendBatch, describe: where };
}
