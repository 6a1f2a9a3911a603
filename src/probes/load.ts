// `load` probe: fortio-like load (concurrency, qps, count or duration) from this process through
// the ingress, or from a pod (fortio, else curl); checks the status mix, headers and percentiles.
import type { LoadCheck } from '../lab/index.js';
import { parseDuration } from '../lab/index.js';
import { summarizeLatencies } from '../stats/index.js';
import { createHttpSender, generateLoad, openIngress, sampleResponse, type LoadClock } from '../traffic/index.js';
import { formatMs } from './compare.js';
import { checkLoad, formatLoad, observeResponses, type LoadObservation } from './load-expect.js';
import { runPodLoad } from './load-pod.js';
import type { Probe } from './probe.js';
import { boundTimeout } from './budget.js';
import { requestSpecOf, resolveFromPod } from './source.js';

/** Creates the load probe; the clock paces qps and durations (real time by default). */
export function createLoadProbe(clock?: LoadClock): Probe<LoadCheck> {
  const now = clock ? () => clock.now() : () => performance.now();
  return async (check, ctx, budget) => {
    const spec = requestSpecOf(check);
    const durationMs = check.duration === undefined ? undefined : parseDuration(check.duration);
    let observation: LoadObservation;
    let where: string;
    let elapsedMs: number;
    let samples: Record<string, unknown>[] = [];
    if (check.from === 'ingress') {
      const ingress = await openIngress(ctx.cluster, ctx);
      const sender = createHttpSender({ host: ingress.host, port: ingress.port }, { concurrency: check.concurrency, timeoutMs: boundTimeout(budget, 30_000) });
      try {
        const run = await generateLoad({ concurrency: check.concurrency, qps: check.qps, requests: check.requests, durationMs, send: (signal) => sender.send(spec, signal), clock, signal: ctx.signal });
        const s = summarizeLatencies(run.responses.map((r) => r.latencyMs));
        observation = observeResponses(check.expect, run.responses, { p50: s.p50, p90: s.p90, p95: s.p95, p99: s.p99 });
        elapsedMs = run.elapsedMs;
        where = ingress.describe;
        const firstOfEach = new Map(run.responses.map((r) => [r.status, r] as const).reverse());
        samples = [...firstOfEach.values()].slice(0, 4).map((r) => sampleResponse(r));
      } finally {
        sender.close();
        await ingress.close();
      }
    } else {
      const pod = await resolveFromPod(check, ctx);
      const run = await runPodLoad(ctx.cluster, pod, { ...spec, host: undefined }, check, { durationMs, signal: ctx.signal, now, budget });
      observation = run.observation;
      elapsedMs = run.elapsedMs;
      where = `${run.generator} in pod ${pod.namespace}/${pod.pod}`;
    }
    const problems = checkLoad(check.expect, observation);
    const summary = `${observation.total} requests at concurrency ${check.concurrency}${check.qps ? `, ${check.qps} qps` : ''} in ${formatMs(elapsedMs)} from ${where}: ${formatLoad(observation)}`;
    if (!problems.length) return { ok: true, message: summary };
    return { ok: false, message: `${problems.slice(0, 3).join('; ')} (${summary})`, observed: { ...observation, ...(samples.length ? { samples } : {}) } };
  };
}

/** The load probe on real time. */
export const loadProbe = createLoadProbe();
