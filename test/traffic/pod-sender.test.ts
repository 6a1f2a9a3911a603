import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPodSender } from '../../src/traffic/index.js';
import { createFakeCluster, curlOutput } from '../probes/helpers.js';

const target = { namespace: 'default', pod: 'sleep-1', container: 'sleep' };
const spec = { method: 'GET', path: '/headers' };

describe('pod sender (curl via exec)', () => {
  it('sends a batch through one shell loop', async () => {
    const cluster = createFakeCluster([], { exec: (_n, _p, _c, argv) => ({ code: 0, stdout: curlOutput(200, { 'x-version': 'v1' }, 'ok').repeat(Number(/seq 1 (\d+)/.exec(argv[2])![1])), stderr: '' }) });
    const sender = createPodSender(cluster, target, 'http://httpbin:8000/headers', spec);
    const out = await sender.sendBatch(5, new AbortController().signal);
    assert.equal(out.length, 5);
    assert.equal(cluster.calls.exec.length, 1);
    assert.equal(out[4].headers['x-version'], 'v1');
  });

  it('falls back to one exec per request when the shell cannot loop', async () => {
    const cluster = createFakeCluster([], {
      exec: (_n, _p, _c, argv) => (argv[0] === 'sh' ? { code: 2, stdout: '', stderr: 'sh: syntax error: unsupported "for"' } : { code: 0, stdout: curlOutput(200, {}, 'ok'), stderr: '' }),
    });
    const sender = createPodSender(cluster, target, 'http://httpbin:8000/headers', spec);
    const out = await sender.sendBatch(3, new AbortController().signal);
    assert.equal(out.length, 3);
    assert.deepEqual(cluster.calls.exec.map((a) => a[0]), ['sh', 'curl', 'curl', 'curl']);
    await sender.sendBatch(2, new AbortController().signal);
    assert.equal(cluster.calls.exec.filter((a) => a[0] === 'sh').length, 1, 'remembers that the loop does not work');
  });

  it('says so when curl cannot run at all', async () => {
    const cluster = createFakeCluster([], { exec: () => ({ code: 127, stdout: '', stderr: 'exec: "curl": executable file not found in $PATH' }) });
    const sender = createPodSender(cluster, target, 'http://httpbin:8000/', spec);
    await assert.rejects(sender.sendBatch(2, new AbortController().signal), /cannot run curl in pod default\/sleep-1 \(container sleep\): exec: "curl"/);
  });

  it('pads a batch cut short by the exec', async () => {
    const cluster = createFakeCluster([], { exec: () => ({ code: 124, stdout: curlOutput(200, {}, 'ok'), stderr: 'istio-lab: exec timed out' }) });
    const out = await createPodSender(cluster, target, 'http://h/', spec).sendBatch(3, new AbortController().signal);
    assert.deepEqual(out.map((r) => r.status), [200, 0, 0]);
    assert.match(out[1].error!, /exec ended after 1 of 3 requests: istio-lab: exec timed out/);
  });
});
