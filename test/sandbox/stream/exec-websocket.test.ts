// Wire-level checks of pods/exec with a bare WebSocket client: per-protocol status encoding,
// the opening message, v5 half-close, tty merging, and the HTTP errors for refused upgrades.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { SPDY_NOT_SUPPORTED_MESSAGE } from '../../../src/sandbox/api/stream/index.js';
import { POD, startFakeCluster, type FakeCluster } from './fake-cluster.js';
import { createFakeShell } from './fake-shell.js';
import { connectRaw, expectRefusal, expectSession, readAll } from './raw-client.js';

const EXEC = `/api/v1/namespaces/${POD.namespace}/pods/${POD.name}/exec`;

describe('exec over a bare WebSocket', { timeout: 60_000 }, () => {
  let cluster: FakeCluster;

  before(async () => {
    cluster = await startFakeCluster(createFakeShell(POD.name).run);
  });
  after(() => cluster.close());

  it('opens with an empty stdout message and writes the kubelet status on v4', async () => {
    const session = expectSession(await connectRaw(cluster, `${EXEC}?command=sh&command=-c&command=exit+3&stdout=1`, ['v4.channel.k8s.io']));
    assert.equal(session.protocol, 'v4.channel.k8s.io');
    assert.deepEqual((await session.closed).code, 1000);
    assert.deepEqual(session.frames[0], { channel: 1, payload: Buffer.alloc(0) });
    assert.equal(
      session.text(3),
      '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}',
    );
  });

  it('opens on the error channel when only stdin is requested', async () => {
    const session = expectSession(await connectRaw(cluster, `${EXEC}?command=cat&stdin=1`, ['v5.channel.k8s.io']));
    session.ws.send(Buffer.from([255, 0]));
    await session.closed;
    assert.deepEqual(session.frames[0], { channel: 3, payload: Buffer.alloc(0) });
    assert.equal(session.text(3), '{"metadata":{},"status":"Success"}');
  });

  it('writes bare failure text, and nothing on success, for channel.k8s.io and no sub-protocol', async () => {
    const v1 = expectSession(await connectRaw(cluster, `${EXEC}?command=sh&command=-c&command=exit+2&stdout=1`, ['channel.k8s.io']));
    await v1.closed;
    assert.equal(v1.text(3), 'command terminated with non-zero exit code: error executing command [sh -c exit 2], exit code 2');
    const unnamed = expectSession(await connectRaw(cluster, `${EXEC}?command=hostname&stdout=1`, []));
    assert.equal(unnamed.protocol, '');
    await unnamed.closed;
    assert.equal(unnamed.text(1), 'web-0\n');
    assert.equal(unnamed.frames.filter((f) => f.channel === 3).length, 0);
  });

  it('feeds stdin on channel 0 and ends it on the v5 close signal', async () => {
    const session = expectSession(await connectRaw(cluster, `${EXEC}?command=cat&stdin=1&stdout=1`, ['v5.channel.k8s.io']));
    session.ws.send(Buffer.from([0, ...Buffer.from('abc')]));
    session.ws.send(Buffer.from([4, ...Buffer.from('{"Width":80,"Height":24}')]));
    session.ws.send(Buffer.from([0, ...Buffer.from('def')]));
    session.ws.send(Buffer.from([255, 0]));
    assert.equal((await session.closed).code, 1000);
    assert.equal(session.text(1), 'abcdef');
    assert.equal(session.text(3), '{"metadata":{},"status":"Success"}');
  });

  it('ignores the close signal before v5: stdin ends only when the client goes away', async () => {
    const session = expectSession(await connectRaw(cluster, `${EXEC}?command=cat&stdin=1&stdout=1`, ['v4.channel.k8s.io']));
    session.ws.send(Buffer.from([0, ...Buffer.from('x')]));
    session.ws.send(Buffer.from([255, 0]));
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(session.frames.filter((f) => f.channel === 3).length, 0);
    session.ws.close();
    await session.closed;
    assert.equal(session.text(1), 'x');
  });

  it('sends stderr on the stdout channel under a tty', async () => {
    const session = expectSession(await connectRaw(cluster, `${EXEC}?command=tty-check&stdout=1&stderr=1&tty=1`, ['v5.channel.k8s.io']));
    await session.closed;
    assert.equal(session.text(1), 'tty=true\nto-stderr\n');
    assert.equal(session.frames.filter((f) => f.channel === 2).length, 0);
  });

  it('refuses unsupported sub-protocols with 403 and a Status naming what is supported', async () => {
    const refusal = expectRefusal(await connectRaw(cluster, `${EXEC}?command=ls&stdout=1`, ['base64.channel.k8s.io']));
    assert.equal(refusal.statusCode, 403);
    assert.equal(refusal.body.kind, 'Status');
    assert.equal(
      refusal.body.message,
      'unable to upgrade websocket connection: requested protocol(s) are not supported: [base64.channel.k8s.io]; supports [v5.channel.k8s.io v4.channel.k8s.io channel.k8s.io]',
    );
  });

  it('refuses SPDY upgrades with a Status saying SPDY is not supported', async () => {
    const response = await new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = request(`${cluster.server}${EXEC}?command=ls&stdout=1`, {
        method: 'POST',
        ca: cluster.caPem,
        headers: {
          Authorization: `Bearer ${cluster.token}`,
          Connection: 'Upgrade',
          Upgrade: 'SPDY/3.1',
          'X-Stream-Protocol-Version': 'v5.channel.k8s.io',
        },
      });
      req.once('response', (res) => void readAll(res).then((text) => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) })));
      req.once('error', reject);
      req.end();
    });
    assert.equal(response.status, 400);
    assert.equal(response.body.message, SPDY_NOT_SUPPORTED_MESSAGE);
    assert.match(response.body.message, /^SPDY is not supported by the istio-lab sandbox/);
  });

  it('refuses a request without any stream with 400', async () => {
    const refusal = expectRefusal(await connectRaw(cluster, `${EXEC}?command=ls`, ['v5.channel.k8s.io']));
    assert.equal(refusal.statusCode, 400);
    assert.equal(refusal.body.message, 'you must specify at least 1 of stdin, stdout, stderr');
  });

  it('answers a plain GET with 400 Upgrade request required', async () => {
    const response = await fetchStatus(cluster, `${EXEC}?command=ls&stdout=1`);
    assert.equal(response.status, 400);
    assert.equal(response.body.message, 'Upgrade request required');
  });
});

async function fetchStatus(cluster: FakeCluster, path: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(`${cluster.server}${path}`, { ca: cluster.caPem, headers: { Authorization: `Bearer ${cluster.token}` } });
    req.once('response', (res) => void readAll(res).then((text) => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) })));
    req.once('error', reject);
    req.end();
  });
}
