// pods/portforward over TLS: @kubernetes/client-node's PortForward against local TCP servers, the
// wire layout for several ports, and which transport each kubectl release picks (SPDY tunnelled in
// a WebSocket, or plain SPDY).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { KubeConfig, PortForward } from '@kubernetes/client-node';
import type { WebSocket } from 'ws';
import { POD, startFakeCluster, type FakeCluster } from './fake-cluster.js';
import { createFakeShell } from './fake-shell.js';
import { connectRaw, expectRefusal, expectSession, type RawSession } from './raw-client.js';
import { hasKubectl } from '../../helpers/sandbox.js';
import { startPortForward } from './port-forward-process.js';

const PORT_FORWARD = `/api/v1/namespaces/${POD.namespace}/pods/${POD.name}/portforward`;

describe('port-forward', { timeout: 60_000 }, () => {
  let cluster: FakeCluster;
  let kc: KubeConfig;
  let echo: Server;
  let echoPort: number;

  before(async () => {
    cluster = await startFakeCluster(createFakeShell(POD.name).run);
    kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfigPath);
    echo = await listen((socket) => socket.pipe(socket));
    echoPort = (echo.address() as AddressInfo).port;
  });
  after(async () => {
    echo.close();
    await cluster.close();
  });

  it('round-trips bytes to a TCP server through client-node over v4.channel.k8s.io', async () => {
    const output = new PassThrough();
    const errors = collect(new PassThrough());
    const input = new PassThrough();
    const ws = (await new PortForward(kc).portForward(POD.namespace, POD.name, [echoPort], output, errors.stream, input)) as unknown as WebSocket;
    assert.equal(ws.protocol, 'v4.channel.k8s.io');
    input.write('ping ');
    input.write(Buffer.from([0, 1, 2, 255]));
    const expected = Buffer.concat([Buffer.from('ping '), Buffer.from([0, 1, 2, 255])]);
    assert.deepEqual(await readBytes(output, expected.length), expected);
    const closed = once(ws, 'close');
    input.end();
    await closed;
    assert.equal(errors.text(), '');
  });

  it('relays what the pod sends and closes normally once its connection ends', async () => {
    const greeter = await listen((socket) => socket.end('hello from the pod\n'));
    const output = collect(new PassThrough());
    const ws = (await new PortForward(kc).portForward(POD.namespace, POD.name, [(greeter.address() as AddressInfo).port], output.stream, new PassThrough(), new PassThrough())) as unknown as WebSocket;
    const [code] = (await once(ws, 'close')) as [number];
    greeter.close();
    assert.equal(code, 1000);
    assert.equal(output.text(), 'hello from the pod\n');
  });

  it('reports a failed connection on the error channel, as the kubelet words it', async () => {
    const closedPort = await unusedPort();
    const errors = collect(new PassThrough());
    const ws = (await new PortForward(kc).portForward(POD.namespace, POD.name, [closedPort], new PassThrough(), errors.stream, new PassThrough())) as unknown as WebSocket;
    await once(ws, 'close');
    assert.match(errors.text(), new RegExp(`^error forwarding port ${closedPort} to pod web-0, uid : connect ECONNREFUSED 127\\.0\\.0\\.1:${closedPort}$`));
  });

  it('opens a data and an error channel per port, each starting with the little-endian port (no sub-protocol)', async () => {
    const other = await listen((socket) => socket.on('data', (d) => socket.write(Buffer.from(d.toString().toUpperCase()))));
    const otherPort = (other.address() as AddressInfo).port;
    const session = expectSession(await connectRaw(cluster, `${PORT_FORWARD}?ports=${echoPort},${otherPort}`, []));
    assert.equal(session.protocol, '');
    await waitFor(() => session.frames.length >= 4);
    assert.deepEqual(
      session.frames.slice(0, 4).map((f) => [f.channel, f.payload.readUInt16LE(0)]),
      [
        [0, echoPort],
        [1, echoPort],
        [2, otherPort],
        [3, otherPort],
      ],
    );
    session.ws.send(Buffer.from([0, ...Buffer.from('first')]));
    session.ws.send(Buffer.from([2, ...Buffer.from('second')]));
    await waitFor(() => dataAfterPort(session, 0) === 'first' && dataAfterPort(session, 2) === 'SECOND');
    session.ws.close();
    await session.closed;
    other.close();
  });

  it('closes the pod-side connection when the client disconnects', async () => {
    let podSide: Socket | undefined;
    const server = await listen((socket) => (podSide = socket));
    const ws = (await new PortForward(kc).portForward(POD.namespace, POD.name, [(server.address() as AddressInfo).port], new PassThrough(), new PassThrough(), new PassThrough())) as unknown as WebSocket;
    await waitFor(() => podSide !== undefined);
    const podClosed = once(podSide!, 'close');
    ws.close();
    await podClosed;
    server.close();
  });

  it('refuses a WebSocket request without ports', async () => {
    const refusal = expectRefusal(await connectRaw(cluster, PORT_FORWARD, ['v4.channel.k8s.io']));
    assert.equal(refusal.statusCode, 400);
    assert.equal(refusal.body.message, 'query parameter "port" is required');
  });

  it('serves kubectl 1.32 over the SPDY-in-WebSocket tunnel, with no fallback to SPDY', { skip: !hasKubectl && 'kubectl is not installed' }, async () => {
    cluster.requests.length = 0;
    await echoThroughKubectl(cluster, echoPort);
    assert.deepEqual(upgradeAttempts(cluster), [['GET', PORT_FORWARD, 'websocket', 'SPDY/3.1+portforward.k8s.io']]);
  });

  it('serves kubectl 1.30, which goes straight to a SPDY/3.1 upgrade', { skip: !hasKubectl && 'kubectl is not installed' }, async () => {
    const old = await startFakeCluster(createFakeShell(POD.name).run, undefined, 30);
    try {
      await echoThroughKubectl(old, echoPort);
      assert.deepEqual(upgradeAttempts(old), [['POST', PORT_FORWARD, 'SPDY/3.1', 'portforward.k8s.io']]);
    } finally {
      await old.close();
    }
  });
});

/** Runs `kubectl port-forward` to the echo server and round-trips bytes through its local port. */
async function echoThroughKubectl(cluster: FakeCluster, echoPort: number): Promise<void> {
  const env = { ...process.env, HOME: cluster.dir, KUBECONFIG: '' };
  const pf = await startPortForward(['--kubeconfig', cluster.kubeconfigPath, 'port-forward', `pod/${POD.name}`, `:${echoPort}`], env);
  try {
    const socket = connect(pf.localPort, '127.0.0.1');
    socket.end(Buffer.from([0, 1, 2, 255, ...Buffer.from(' through SPDY')]));
    const echoed = Buffer.concat(await socket.toArray());
    assert.deepEqual(echoed, Buffer.from([0, 1, 2, 255, ...Buffer.from(' through SPDY')]));
  } finally {
    await pf.stop();
  }
}

/** Method, path, Upgrade and requested protocol of each upgrade the cluster saw. */
function upgradeAttempts(cluster: FakeCluster): (string | undefined)[][] {
  return cluster.requests.filter((r) => r.upgrade).map((r) => [r.method, r.url, r.upgrade, r.protocols ?? r.streamProtocol]);
}

/** Accumulates everything written to `stream`. */
function collect(stream: PassThrough): { stream: PassThrough; text: () => string } {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString() };
}

function listen(onConnection: (socket: Socket) => void): Promise<Server> {
  const server = createServer(onConnection);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function unusedPort(): Promise<number> {
  const server = await listen(() => undefined);
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function readBytes(stream: PassThrough, length: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    total += (chunk as Buffer).length;
    if (total >= length) break;
  }
  return Buffer.concat(chunks);
}

/** Data received on `channel` after its two-byte port header. */
function dataAfterPort(session: RawSession, channel: number): string {
  return Buffer.concat(session.frames.filter((f) => f.channel === channel).map((f) => f.payload)).subarray(2).toString();
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
