import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLogsProbe } from '../../src/probes/logs.js';
import { buildDeployment, buildPod, createContext, createFakeCluster, parseCheck } from './helpers.js';

const v2Logs = [
  '127.0.0.6 - - [01/Jan/2026:00:00:05 +0000] "GET /headers HTTP/1.1" 200 519 "-" "curl/8.16.0"',
  '127.0.0.6 - - [01/Jan/2026:00:00:06 +0000] "GET /headers HTTP/1.1" 200 519 "-" "curl/8.16.0"',
].join('\n');

function mirrorCluster(text: string) {
  return createFakeCluster([buildDeployment('httpbin-v2', { app: 'httpbin', version: 'v2' }), buildPod('httpbin-v2-1', { app: 'httpbin', version: 'v2' }, { containers: ['httpbin', 'istio-proxy'] })], { logs: () => text });
}

describe('logs probe', () => {
  it('counts matching lines since the step began, in the app container', async () => {
    const cluster = mirrorCluster(v2Logs);
    const check = parseCheck({ kind: 'logs', deployment: 'httpbin-v2', count: { pattern: 'GET /headers', min: 2 }, contains: 'curl/8' });
    const r = await createLogsProbe()(check, createContext(cluster, { startedAt: new Date('2026-01-01T00:00:03.750Z') }));
    assert.equal(r.ok, true, r.message);
    assert.match(r.message, /^2 lines match \/GET \/headers\/ in 2 log lines of deployment\/httpbin-v2 \(1 pod\)/);
    assert.deepEqual(cluster.calls.logs, [{ pod: 'httpbin-v2-1', container: 'httpbin', sinceTime: '2026-01-01T00:00:03Z' }]);
  });

  it('fails when mirrored requests are missing, and shows the last lines', async () => {
    const r = await createLogsProbe()(parseCheck({ kind: 'logs', pod: { app: 'httpbin', version: 'v2' }, count: { pattern: 'GET /headers', min: 5 } }), createContext(mirrorCluster(v2Logs)));
    assert.equal(r.ok, false);
    assert.match(r.message, /^2 lines match \/GET \/headers\/, expected at least 5/);
    assert.match(String(r.observed), /httpbin-v2-1: 127\.0\.0\.6/);
  });

  it('notContains names the offending line; `since` counts back from the injected clock', async () => {
    const cluster = mirrorCluster('ok\npanic: boom\n');
    const probe = createLogsProbe(() => Date.parse('2026-01-01T01:00:00Z'));
    const r = await probe(parseCheck({ kind: 'logs', deployment: 'httpbin-v2', container: 'istio-proxy', since: '5m', notContains: 'panic' }), createContext(cluster));
    assert.equal(r.ok, false);
    assert.match(r.message, /^httpbin-v2-1 logged "panic"/);
    assert.deepEqual(cluster.calls.logs[0], { pod: 'httpbin-v2-1', container: 'istio-proxy', sinceTime: '2026-01-01T00:55:00Z' });
  });

  it('fails clearly when the deployment does not exist', async () => {
    await assert.rejects(createLogsProbe()(parseCheck({ kind: 'logs', deployment: 'nope', contains: 'x' }), createContext(createFakeCluster([]))), /deployment nope not found in namespace default/);
  });
});
