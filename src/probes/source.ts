// Where a traffic-sending check's requests come from: the ingress gateway (node http from this
// process) or a workload's pod (curl exec'd inside it, through its sidecar).
import type { From } from '../lab/index.js';
import type { StepContext } from '../runner/context.js';
import { buildLoginSpec, createHttpSender, createPodSender, openIngress, openSession, withCookies, type PodTarget, type RequestSpec, type SendBatch, type SessionSpec } from '../traffic/index.js';
import { findWorkloadPods, selectAppContainer } from './workload.js';
import { boundTimeout, type AttemptBudget } from './budget.js';

/** The request fields every traffic-sending check has. */
export interface RequestFields {
  from: From;
  method: string;
  path: string;
  host?: string;
  headers?: Record<string, string>;
  body?: string;
  /** URL scheme from a pod (http unless the check says https). */
  scheme?: 'http' | 'https';
  /** A login sent first; its cookies go with every request. */
  session?: SessionSpec;
}

/** How much parallelism a probe wants from each kind of source. */
export interface SourceTuning {
  /** Requests in flight from the ingress. */
  concurrency: number;
  /** Requests per exec, and execs in flight, from a pod. */
  podBatch: number;
  podParallel: number;
}

/** An open source of requests. */
export interface TrafficSource {
  /** "ingress 10.0.0.5:80 (LoadBalancer)" or "pod default/sleep-abc (container sleep)". */
  describe: string;
  sendBatch: SendBatch;
  batchSize: number;
  parallel: number;
  /** The pod and URL, when requests come from a pod (load uses them to run fortio). */
  pod?: PodTarget & { url: string };
  /** The ingress host and port, when requests come from the ingress. */
  ingress?: { host: string; port: number };
  close(): Promise<void>;
}

/** The request a check describes. */
export function requestSpecOf(check: RequestFields): RequestSpec {
  return { method: check.method, path: check.path, host: check.host, headers: check.headers, body: check.body };
}

/** The pod (and container) a `from:` workload sends from. */
export async function resolveFromPod(check: RequestFields, ctx: StepContext): Promise<PodTarget & { url: string }> {
  if (check.from === 'ingress') throw new Error('not a pod source');
  if (!check.host) throw new Error('from a pod, `host` names what to call, e.g. "httpbin:8000" or "reviews.default.svc.cluster.local:9080"');
  const { namespace, pods } = await findWorkloadPods(ctx.cluster, check.from, ctx.loaded.lab.namespace);
  return { namespace, pod: pods[0].metadata.name!, container: selectAppContainer(pods[0], check.from.container), url: `${check.scheme ?? 'http'}://${check.host}${check.path}` };
}

/** Where a source sends from, plus the login it signed in with. */
function describeSource(where: string, session: SessionSpec | undefined): string {
  return session ? `${where}, signed in by ${session.method} ${session.path}` : where;
}

/** Opens the check's source; close it when done. With a `session`, logs in first through the same path. Requests end by the budget's deadline. */
export async function openTrafficSource(check: RequestFields, ctx: StepContext, tuning: SourceTuning, budget?: AttemptBudget): Promise<TrafficSource> {
  let spec = requestSpecOf(check);
  const login = check.session && buildLoginSpec(check.session, check.host);
  if (check.from === 'ingress') {
    const ingress = await openIngress(ctx.cluster, ctx);
    const sender = createHttpSender({ host: ingress.host, port: ingress.port }, { concurrency: tuning.concurrency, timeoutMs: boundTimeout(budget, 30_000) });
    if (login) {
      try {
        spec = withCookies(spec, await openSession(login, (l) => sender.send(l, ctx.signal), ingress.describe));
      } catch (err) {
        sender.close();
        await ingress.close();
        throw err;
      }
    }
    const sendBatch: SendBatch = async (count, signal) => {
      const out = [];
      for (let i = 0; i < count; i++) out.push(await sender.send(spec, signal));
      return out;
    };
    const close = async () => {
      sender.close();
      await ingress.close();
    };
    return { describe: describeSource(ingress.describe, check.session), sendBatch, batchSize: 1, parallel: tuning.concurrency, ingress: { host: ingress.host, port: ingress.port }, close };
  }
  const pod = await resolveFromPod(check, ctx);
  if (login) {
    const loginSender = createPodSender(ctx.cluster, pod, `${check.scheme ?? 'http'}://${login.host ?? check.host}${login.path}`, { ...login, host: undefined }, { deadline: budget?.deadline });
    const send = async () => (await loginSender.sendBatch(1, ctx.signal))[0];
    spec = withCookies(spec, await openSession(login, send, loginSender.describe));
  }
  const sender = createPodSender(ctx.cluster, pod, pod.url, { ...spec, host: undefined }, { deadline: budget?.deadline });
  return { describe: describeSource(sender.describe, check.session), sendBatch: sender.sendBatch, batchSize: tuning.podBatch, parallel: tuning.podParallel, pod, close: async () => undefined };
}
