// kube-proxy's NodePort listeners (src/sandbox/mesh/node-ports.ts) over real TCP: a request reaches the
// picked endpoint's inbound side, is cancelled only when its client leaves before the response, and
// a client that leaves mid-body neither reaches the endpoint nor takes the sandbox down.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { request } from 'node:http';
import type { KubeObject } from '../../../src/sandbox/types.js';
import type { MeshResult, MeshSnapshot, PodDelivery } from '../../../src/sandbox/mesh/types.js';
import { NodePortProxy } from '../../../src/sandbox/mesh/node-ports.js';

const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30000 + Math.floor(Math.random() * 2700) }] } };
const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'default', uid: 'u1', labels: { app: 'web' } }, spec: { containers: [{ name: 'web', ports: [{ containerPort: 8080 }] }] }, status: { podIP: '10.0.0.9', conditions: [{ type: 'Ready', status: 'True' }] } };
const snapshot = { services: [svc], pods: [pod] } as unknown as MeshSnapshot;

/** What deliver saw, and how it answers (replaceable per test). */
const seen: { path: string; signal?: AbortSignal }[] = [];
let answer: (signal: AbortSignal) => Promise<MeshResult> = async () => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: Buffer.from('ok') });
const deliver: PodDelivery = async (_pod, port, req, meta) => {
  assert.equal(port, 8080);
  seen.push({ path: req.path, signal: meta.signal });
  return answer(meta.signal!);
};

let proxy: NodePortProxy;
const nodePort = () => svc.spec.ports[0].nodePort as number;
const unhandled: unknown[] = [];
const onUnhandled = (err: unknown) => unhandled.push(err);

before(() => {
  process.on('unhandledRejection', onUnhandled);
  proxy = new NodePortProxy({
    snapshot: () => snapshot,
    deliver,
    random: () => 0,
    events: { record: () => undefined },
    // A NodePort in use on this host moves, as in the sandbox.
    reassign: (_s, _from, to) => {
      svc.spec.ports[0].nodePort = to;
      proxy.sync([svc]);
    },
  });
  proxy.sync([svc]);
});
after(() => {
  proxy.close();
  process.off('unhandledRejection', onUnhandled);
});

function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port: nodePort(), path, agent: false, headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    r.on('error', reject);
    r.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function untilListening(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await get('/ready').then(() => true, () => false)) return;
    await sleep(20);
  }
  assert.fail('the NodePort never answered');
}

describe('NodePort listeners', () => {
  it('deliver the request to the endpoint and leave a completed request uncancelled', async () => {
    await untilListening();
    seen.length = 0;
    const r = await get('/hello');
    assert.deepEqual(r, { status: 200, body: 'ok' });
    await sleep(50); // the server side has closed the connection by now
    assert.equal(seen.length, 1);
    assert.equal(seen[0].path, '/hello');
    assert.equal(seen[0].signal!.aborted, false);
  });

  it('cancel the request when its client goes away before the response', async () => {
    seen.length = 0;
    let cancelled!: () => void;
    const wasCancelled = new Promise<void>((r) => (cancelled = r));
    answer = (signal) => new Promise((resolve) => signal.addEventListener('abort', () => (cancelled(), resolve({ failure: 'reset', message: 'cancelled' }))));
    const socket = connect(nodePort(), '127.0.0.1');
    socket.write(`GET /slow HTTP/1.1\r\nHost: web\r\n\r\n`);
    while (!seen.length) await sleep(10);
    socket.destroy();
    await Promise.race([wasCancelled, sleep(2000).then(() => assert.fail('the request was not cancelled'))]);
  });

  it('survive a client that leaves mid-body, without reaching the endpoint', async () => {
    seen.length = 0;
    answer = async () => ({ status: 200, headers: {}, body: Buffer.from('ok') });
    const socket = connect(nodePort(), '127.0.0.1');
    socket.write(`POST /upload HTTP/1.1\r\nHost: web\r\nContent-Length: 100\r\n\r\n0123456789`);
    await sleep(50);
    socket.destroy();
    await sleep(100);
    assert.equal(seen.length, 0);
    assert.deepEqual(unhandled, []);
    assert.deepEqual(await get('/after'), { status: 200, body: 'ok' });
  });
});
