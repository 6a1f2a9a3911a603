// Sends requests from inside a pod by exec'ing curl, so they pass through the pod's sidecar. Several
// requests share one exec through a shell loop; where the shell cannot run it, one exec per request.
import type { Cluster } from '../cluster/types.js';
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

/** Whether an exec failure means the shell could not run the loop (so single execs may work). */
function shellUnsupported(code: number, stderr: string): boolean {
  return code === 127 || code === 126 || /syntax|unsupported|not supported|unexpected|can't open|seq: not found|executable file not found/i.test(stderr);
}

/** Creates a sender that runs curl in `target` against `url`. */
export function createPodSender(cluster: Cluster, target: PodTarget, url: string, spec: RequestSpec, timeoutSeconds = 30): PodSender {
  const where = `pod ${target.namespace}/${target.pod}${target.container ? ` (container ${target.container})` : ''}`;
  let loop = true;
  const exec = (argv: string[], count: number) =>
    cluster.exec(target.namespace, target.pod, target.container, argv, { timeoutMs: count * (timeoutSeconds + 2) * 1000 });
  const single = async (count: number, signal: AbortSignal): Promise<ObservedResponse[]> => {
    const out: ObservedResponse[] = [];
    for (let i = 0; i < count && !signal.aborted; i++) {
      const r = await exec(['curl', ...buildCurlArgs(url, spec, timeoutSeconds)], 1);
      const parsed = parseCurlOutput(r.stdout);
      if (!parsed.length) throw new Error(`cannot run curl in ${where}: ${(r.stderr || `exit code ${r.code}`).trim().split('\n')[0]}`);
      out.push(parsed[0]);
    }
    return out;
  };
  const sendBatch: SendBatch = async (count, signal) => {
    if (!loop || count === 1) return single(count, signal);
    const r = await exec(buildCurlLoop(url, spec, count, timeoutSeconds), count);
    const parsed = parseCurlOutput(r.stdout);
    if (!parsed.length && shellUnsupported(r.code, r.stderr)) {
      loop = false;
      return single(count, signal);
    }
    if (!parsed.length) throw new Error(`cannot run curl in ${where}: ${(r.stderr || `exit code ${r.code}`).trim().split('\n')[0]}`);
    while (parsed.length < count) parsed.push(errorResponse(`exec ended after ${parsed.length} of ${count} requests: ${r.stderr.trim().split('\n')[0] || `exit code ${r.code}`}`));
    return parsed.slice(0, count);
  };
  return { sendBatch, describe: where };
}
