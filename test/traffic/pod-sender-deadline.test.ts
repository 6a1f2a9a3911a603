// The pod sender under a deadline (the check's remaining time): curl's -m and the exec timeout are cut
// to it, requests the cut stopped come back as timeouts, and no exec starts once the time is up.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPodSender } from '../../src/traffic/index.js';
import { createFakeCluster, curlOutput } from '../probes/helpers.js';

const target = { namespace: 'default', pod: 'curl-1', container: 'curl' };
const spec = { method: 'GET', path: '/delay/10' };
const signal = new AbortController().signal;

describe('pod sender with a deadline', () => {
  it('cuts curl -m and the exec timeout to the time left (plus a 0.5 s grace)', async () => {
    const timeouts: (number | undefined)[] = [];
    const cluster = createFakeCluster([], { exec: (_n, _p, _c, argv) => ({ code: 0, stdout: curlOutput(200, {}, 'ok').repeat(argv[0] === 'sh' ? 3 : 1), stderr: '' }) });
    const exec = cluster.exec.bind(cluster);
    cluster.exec = (ns, pod, c, argv, opts) => (timeouts.push(opts?.timeoutMs), exec(ns, pod, c, argv, opts));
    const now = 1_000_000;
    const sender = createPodSender(cluster, target, 'http://httpbin:8000/delay/10', spec, { deadline: now + 2340, now: () => now });
    await sender.sendBatch(1, signal);
    await sender.sendBatch(3, signal);
    assert.deepEqual(cluster.calls.exec[0].slice(0, 6), ['curl', '-s', '-i', '-w', cluster.calls.exec[0][4], '-m']);
    assert.equal(cluster.calls.exec[0][6], '2.4', 'curl -m rounds the 2.34 s left up to 0.1 s');
    assert.match(cluster.calls.exec[1][2], / -m 2\.4 /);
    assert.deepEqual(timeouts, [2840, 2840]);
    const unbounded = createFakeCluster([], { exec: () => ({ code: 0, stdout: curlOutput(200, {}, 'ok'), stderr: '' }) });
    await createPodSender(unbounded, target, 'http://h/', spec).sendBatch(1, signal);
    assert.equal(unbounded.calls.exec[0][6], '30', 'without a deadline curl gets 30 s');
  });

  it('pads what the deadline cut off with timeouts, and starts no exec after it', async () => {
    let clock = 0;
    const cluster = createFakeCluster([], {
      exec: () => {
        clock += 2500;
        return { code: 124, stdout: curlOutput(200, {}, 'ok'), stderr: 'istio-lab: exec timed out after 2500ms\n' };
      },
    });
    const sender = createPodSender(cluster, target, 'http://h/', spec, { deadline: 2000, now: () => clock });
    const out = await sender.sendBatch(3, signal);
    assert.deepEqual(out.map((r) => [r.status, r.transport?.reason]), [[200, undefined], [0, 'timeout'], [0, 'timeout']]);
    assert.equal(out[1].error, "no response before the check's timeout ran out (the exec was stopped after 2.5 s)");
    await assert.rejects(sender.sendBatch(1, signal), /the check's timeout ran out before the next request from pod default\/curl-1 \(container curl\); raise eventually\.timeout/);
    assert.equal(cluster.calls.exec.length, 1);
  });
});
