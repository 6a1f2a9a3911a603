// The http check's `transportError` expectation: how labs write it (schema) and how a response, or
// the lack of one, is judged against it (pure, no cluster).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CheckSchema } from '../../src/lab/index.js';
import { checkHttpResponse } from '../../src/probes/expect-response.js';
import { errorResponse, fromCurlExit, fromNodeError } from '../../src/traffic/index.js';
import { parseCheck } from './helpers.js';

/** The schema's messages for an invalid check. */
function issues(input: Record<string, unknown>): string[] {
  const r = CheckSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const curlFailure = (code: number) => {
  const f = fromCurlExit(code);
  return errorResponse(f.message, 3, f.transport);
};
const ok200 = { status: 200, headers: {}, body: 'hello', latencyMs: 5 };

describe('http expect.transportError', () => {
  it('takes a reason or {reason, curlExitCode}, and status defaults to 200 only without it', () => {
    const fromPod = { kind: 'http', from: { deployment: 'curl' }, host: 'httpbin:8000' } as const;
    assert.deepEqual(parseCheck({ ...fromPod, expect: { transportError: 'reset' } }).expect, { transportError: { reason: 'reset' } });
    assert.deepEqual(parseCheck({ ...fromPod, expect: { transportError: { curlExitCode: 56 } } }).expect.transportError, { reason: 'any', curlExitCode: 56 });
    assert.deepEqual(parseCheck({ kind: 'http' }).expect, {});
    assert.deepEqual(checkHttpResponse(parseCheck({ kind: 'http' }).expect, { ...ok200, status: 404 }), ['status 404, expected 200']);
  });

  it('refuses expectations that cannot hold together, saying how to fix them', () => {
    assert.deepEqual(issues({ kind: 'http', expect: { transportError: 'reset', status: 200, bodyContains: 'x' } }), ['expect: transportError means no HTTP response, so status, bodyContains cannot hold; remove them (latency bounds may stay)']);
    assert.deepEqual(issues({ kind: 'http', expect: { transportError: { curlExitCode: 56 } } }), [
      'expect.transportError.curlExitCode: curlExitCode needs a request from a pod (curl runs there); from the ingress istio-lab sends with its own client, so give a reason instead (refused, reset, timeout)',
    ]);
    assert.deepEqual(issues({ kind: 'http', scheme: 'https' }), ["scheme: https needs a request from a pod (curl runs there, e.g. from: {deployment: curl}); from the ingress istio-lab sends plain HTTP to the gateway's HTTP port"]);
    assert.match(issues({ kind: 'http', expect: { transportError: 'closed' } }).join(), /transportError/);
  });

  it('passes the expected failure and fails, saying what came, on a response or another failure', () => {
    const expect = (t: unknown) => parseCheck({ kind: 'http', from: { deployment: 'curl' }, host: 'h', expect: { transportError: t, latency: { maxMs: 100 } } }).expect;
    assert.deepEqual(checkHttpResponse(expect('reset'), curlFailure(56)), []);
    assert.deepEqual(checkHttpResponse(expect('reset'), curlFailure(52)), [], 'an empty reply is a closed connection too');
    assert.deepEqual(checkHttpResponse(expect('any'), curlFailure(6)), []);
    assert.deepEqual(checkHttpResponse(expect('reset'), ok200), ['got HTTP 200 ("hello"), expected no HTTP response: connection reset or closed']);
    assert.deepEqual(checkHttpResponse(expect('tls'), curlFailure(56)), ['no HTTP response, but connection reset (curl 56); expected a TLS handshake failure']);
    assert.deepEqual(checkHttpResponse(expect({ reason: 'reset', curlExitCode: 52 }), curlFailure(56)), ['no HTTP response, but connection reset (curl 56); expected curl exit code 52']);
    const refused = fromNodeError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:80'), { code: 'ECONNREFUSED' }));
    assert.deepEqual(checkHttpResponse(expect('refused'), { ...errorResponse(refused.message, 250, refused.transport) }), ['took 250 ms, expected at most 100 ms'], 'latency bounds still apply');
    assert.deepEqual(checkHttpResponse(expect('timeout'), errorResponse('no HTTP response', 1)), ['no HTTP response, and the sender could not tell why (no HTTP response); expected a timeout'], 'curl older than 7.75 prints no exit code');
    assert.deepEqual(checkHttpResponse(expect('any'), errorResponse('no HTTP response', 1)), []);
  });
});
