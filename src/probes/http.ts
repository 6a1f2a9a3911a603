// `http` probe: one request from the ingress or from inside a pod, checked against status,
// headers, body, JSON path and latency expectations, or an expected transport error.
import type { HttpCheck } from '../lab/index.js';
import { sampleResponse } from '../traffic/index.js';
import { formatMs } from './compare.js';
import { checkHttpResponse } from './expect-response.js';
import type { Probe } from './probe.js';
import { openTrafficSource } from './source.js';

/** Sends one request and checks the response. */
export const httpProbe: Probe<HttpCheck> = async (check, ctx, budget) => {
  const source = await openTrafficSource(check, ctx, { concurrency: 1, podBatch: 1, podParallel: 1 }, budget);
  try {
    const [r] = await source.sendBatch(1, ctx.signal);
    const problems = checkHttpResponse(check.expect, r);
    const what = `${check.method} ${check.scheme === 'https' ? 'https://' : ''}${check.host ?? ''}${check.path} from ${source.describe}`;
    if (problems.length) return { ok: false, message: `${problems.slice(0, 3).join('; ')} (${what})`, observed: { response: sampleResponse(r), request: what } };
    if (r.status === 0) return { ok: true, message: `no HTTP response, as expected: ${r.error ?? 'transport error'} after ${formatMs(r.latencyMs)} (${what})` };
    return { ok: true, message: `${r.status} in ${formatMs(r.latencyMs)} (${what})` };
  } finally {
    await source.close();
  }
};
