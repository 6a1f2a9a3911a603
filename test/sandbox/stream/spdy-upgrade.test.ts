// pods/portforward's SPDY upgrades on the real sandbox API server, spoken by hand (no kubectl
// needed): the 101 answer, a request to httpbin through a stream pair, and every refusal.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api, KubernetesObjectApi } from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { FrameDecoder, HeaderCompressor, encodeFrame, type SpdyFrame } from '../../../src/sandbox/api/stream/spdy/index.js';
import { eventually, startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';

/** What an upgrade request got: the status, headers and body, and the socket after a 101. */
interface UpgradeResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  socket?: Socket;
}

describe('SPDY upgrades of pods/portforward on the sandbox API server', { timeout: 30_000 }, () => {
  let sb: TestSandbox;
  let path: string;
  const sockets: Socket[] = [];
  const upgrade = (method: string, target: string, headers: Record<string, string>, auth = true): Promise<UpgradeResult> => {
    const cluster = sb.kc.getCurrentCluster()!;
    const url = new URL(target, cluster.server);
    const all = { Connection: 'Upgrade', ...(auth ? { Authorization: `Bearer ${sb.kc.getCurrentUser()!.token}` } : {}), ...headers };
    return new Promise((resolve, reject) => {
      const req = request(url, { method, headers: all, ca: Buffer.from(cluster.caData!, 'base64') });
      req.on('upgrade', (res, socket: Socket) => {
        sockets.push(socket);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '', socket });
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });
  };
  const spdy = { Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'portforward.k8s.io' };
  const tunnel = (protocol: string) => ({ Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Protocol': protocol });

  before(async () => {
    sb = await startTestSandbox();
    const objects = KubernetesObjectApi.makeApiClient(sb.kc);
    for (const doc of yaml.loadAll(readFileSync('manifests/samples/httpbin.yaml', 'utf8')) as any[]) {
      await objects.create({ ...doc, metadata: { ...doc.metadata, namespace: 'default' } });
    }
    const core = sb.kc.makeApiClient(CoreV1Api);
    const pod = await eventually(async () => {
      const list = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=httpbin' });
      return list.items.find((p) => p.status?.phase === 'Running')?.metadata?.name;
    }, 15_000);
    path = `/api/v1/namespaces/default/pods/${pod}/portforward`;
  });
  after(async () => {
    sockets.forEach((socket) => socket.destroy());
    await sb?.dispose();
  });

  it('answers 101 with Upgrade: SPDY/3.1 and the negotiated protocol, then forwards to httpbin', async () => {
    const res = await upgrade('POST', path, { ...spdy, 'X-Stream-Protocol-Version': 'portforward.k8s.io, v2.portforward.k8s.io' });
    assert.equal(res.status, 101);
    assert.equal(res.headers.upgrade, 'SPDY/3.1');
    assert.equal(res.headers['x-stream-protocol-version'], 'portforward.k8s.io');
    const socket = res.socket!;
    const deflater = new HeaderCompressor();
    const frames: SpdyFrame[] = [];
    const decoder = new FrameDecoder();
    socket.on('data', (bytes: Buffer) => frames.push(...decoder.push(bytes)));
    const open = async (id: number, type: string): Promise<void> => {
      const headerBlock = await deflater.compress([['streamtype', type], ['port', '8080'], ['requestid', '0']]);
      socket.write(encodeFrame({ type: 'syn_stream', streamId: id, associatedId: 0, priority: 0, slot: 0, flags: 0, headerBlock }));
    };
    await open(1, 'error');
    await open(3, 'data');
    socket.write(encodeFrame({ type: 'data', streamId: 3, flags: 0, data: Buffer.from('GET /status/418 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n') }));
    await eventually(() => frames.some((f) => f.type === 'data' && f.streamId === 3 && f.flags === 1), 5000);
    const replies = frames.filter((f) => f.type === 'syn_reply').map((f) => f.type === 'syn_reply' && f.streamId);
    assert.deepEqual(replies, [1, 3]);
    const answer = Buffer.concat(frames.flatMap((f) => (f.type === 'data' && f.streamId === 3 ? [f.data] : []))).toString();
    assert.match(answer, /^HTTP\/1\.1 418 I'm a Teapot\r\n[^]*\r\n\r\nI'm a teapot!$/);
    deflater.close();
  });

  it('requires the token, as every route does', async () => {
    const res = await upgrade('POST', path, spdy, false);
    assert.equal(res.status, 401);
    assert.equal(JSON.parse(res.body).reason, 'Unauthorized');
  });

  it('refuses SPDY without X-Stream-Protocol-Version, or without portforward.k8s.io in it', async () => {
    const missing = await upgrade('POST', path, { Upgrade: 'SPDY/3.1' });
    assert.equal(missing.status, 400);
    assert.equal(JSON.parse(missing.body).message, 'unable to upgrade: X-Stream-Protocol-Version is required');
    const other = await upgrade('POST', path, { ...spdy, 'X-Stream-Protocol-Version': 'v4.channel.k8s.io' });
    assert.equal(other.status, 403);
    assert.equal(JSON.parse(other.body).message, 'unable to upgrade: unable to negotiate protocol: client supports [v4.channel.k8s.io], server accepts [portforward.k8s.io]');
  });

  it('refuses a WebSocket tunnel of another SPDY protocol the way the kubelet handshake does', async () => {
    const res = await upgrade('GET', path, tunnel('SPDY/3.1+remotecommand.k8s.io'));
    assert.equal(res.status, 403);
    assert.match(JSON.parse(res.body).message, /client supports \[remotecommand\.k8s\.io\], server accepts \[portforward\.k8s\.io\]/);
  });

  it('refuses malformed ports whatever the transport, and unknown pods', async () => {
    const badPorts = await upgrade('POST', `${path}?ports=http`, spdy);
    assert.equal(badPorts.status, 400);
    assert.equal(JSON.parse(badPorts.body).message, 'cannot convert to []int32: invalid port "http"');
    const missingPod = await upgrade('GET', '/api/v1/namespaces/default/pods/nope/portforward', tunnel('SPDY/3.1+portforward.k8s.io'));
    assert.equal(missingPod.status, 404);
  });
});
