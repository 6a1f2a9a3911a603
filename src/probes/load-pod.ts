// Load from inside a pod: `fortio load` when the container has fortio and no header is expected
// (fortio's report has no headers), else `concurrency` parallel execs of curl loops. Each exec ends
// by the check's deadline.
import type { LoadCheck } from '../lab/index.js';
import type { Cluster } from '../cluster/types.js';
import { summarizeLatencies } from '../stats/index.js';
import { buildFortioArgs, collectInOrder, createPodSender, cutByTimeout, parseFortioReport, type ObservedResponse, type PodTarget, type RequestSpec } from '../traffic/index.js';
import { boundTimeout, type AttemptBudget } from './budget.js';
import { observeResponses, type LoadObservation } from './load-expect.js';

/** How the pod load was generated. */
export interface PodLoadResult {
  observation: LoadObservation;
  generator: 'fortio' | 'curl';
  elapsedMs: number;
}

/** How long and under which limits the pod load runs. */
export interface PodLoadRun {
  durationMs?: number;
  signal: AbortSignal;
  /** Monotonic clock in ms for durations. */
  now: () => number;
  /** The check's deadline; execs end by it. */
  budget?: AttemptBudget;
}

/** Runs fortio in the pod; undefined when fortio did not start (not installed: it printed neither its banner nor a report). */
async function runFortio(cluster: Cluster, pod: PodTarget & { url: string }, spec: RequestSpec, check: LoadCheck, run: PodLoadRun): Promise<LoadObservation | undefined> {
  const argv = buildFortioArgs(pod.url, spec, { concurrency: check.concurrency, qps: check.qps, requests: check.requests, durationMs: run.durationMs }, false);
  argv.splice(2, 0, '-p', '50,90,95,99');
  const timeoutMs = boundTimeout(run.budget, (run.durationMs ?? 0) + 60_000 + (check.requests ?? 0) * 100);
  const r = await cluster.exec(pod.namespace, pod.pod, pod.container, argv, { timeoutMs });
  const text = `${r.stderr}\n${r.stdout}`;
  if (cutByTimeout(r)) throw new Error(`fortio in ${pod.namespace}/${pod.pod} had not finished when the check's timeout ran out (stopped after ${(timeoutMs / 1000).toFixed(1)} s); raise eventually.timeout or send fewer requests`);
  if (!/^(Fortio |Code )/m.test(text)) return undefined;
  const report = parseFortioReport(text);
  if (!report) throw new Error(`fortio in ${pod.namespace}/${pod.pod} printed no report: ${text.trim().split('\n').slice(-2).join(' ')}`);
  return { total: report.total, codes: report.codes, percentiles: report.percentiles };
}

/** Runs curl loops in parallel execs until the count or duration is reached. */
async function runCurl(cluster: Cluster, pod: PodTarget & { url: string }, spec: RequestSpec, check: LoadCheck, run: PodLoadRun): Promise<LoadObservation> {
  const sender = createPodSender(cluster, pod, pod.url, spec, { deadline: run.budget?.deadline });
  const start = run.now();
  const max = check.requests ?? 100_000;
  const responses: ObservedResponse[] = await collectInOrder({
    max,
    batchSize: check.requests ? Math.max(1, Math.ceil(check.requests / check.concurrency)) : 10,
    parallel: check.concurrency,
    sendBatch: sender.sendBatch,
    signal: run.signal,
    onResponse: () => run.durationMs !== undefined && run.now() - start >= run.durationMs,
  });
  const s = summarizeLatencies(responses.map((r) => r.latencyMs));
  return observeResponses(check.expect, responses, { p50: s.p50, p90: s.p90, p95: s.p95, p99: s.p99 });
}

/** Generates the check's load from a pod. */
export async function runPodLoad(cluster: Cluster, pod: PodTarget & { url: string }, spec: RequestSpec, check: LoadCheck, run: PodLoadRun): Promise<PodLoadResult> {
  const start = run.now();
  if (!check.expect.headers) {
    const observation = await runFortio(cluster, pod, spec, check, run);
    if (observation) return { observation, generator: 'fortio', elapsedMs: run.now() - start };
  }
  const observation = await runCurl(cluster, pod, spec, check, run);
  return { observation, generator: 'curl', elapsedMs: run.now() - start };
}
