// Port-forward over a SPDY session as the kubelet serves it (httpstream.go): error/data stream
// pairs joined by requestid, header checks, the error text, half-closes and resets.
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { serveSpdyPortForward, validateStreamHeaders } from '../../../src/sandbox/api/stream/spdy-portforward.js';
import { RstStatus, type SpdyHeaders } from '../../../src/sandbox/api/stream/spdy/index.js';
import { connectLocalTcp } from './fake-cluster.js';
import { SpdyTestClient } from './spdy-test-client.js';

const headers = (pairs: Record<string, string>): SpdyHeaders => new Map(Object.entries(pairs).map(([k, v]) => [k, [v]]));

describe('port-forward over SPDY (kubelet semantics)', { timeout: 10_000 }, () => {
  let echo: Server;
  let echoPort: number;
  const podSides: Socket[] = [];
  before(async () => {
    echo = createServer((socket) => {
      podSides.push(socket);
      socket.on('data', (d) => socket.write(d.toString().toUpperCase()));
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    echoPort = (echo.address() as AddressInfo).port;
  });
  after(() => {
    podSides.forEach((socket) => socket.destroy());
    echo.close();
  });

  const client = (): SpdyTestClient => new SpdyTestClient((transport) => serveSpdyPortForward(transport, connectLocalTcp, 'web-0, uid '));
  const openPair = async (c: SpdyTestClient, errorId: number, port: number, requestId: string): Promise<void> => {
    await c.open(errorId, { streamtype: 'error', port: String(port), requestid: requestId });
    c.data(errorId, '', true); // kubectl closes its side of the error stream at once
    await c.open(errorId + 2, { streamtype: 'data', port: String(port), requestid: requestId });
  };

  it('checks stream headers with the kubelet\'s messages', () => {
    assert.equal(validateStreamHeaders(headers({ streamtype: 'data', port: '80' })), undefined);
    assert.equal(validateStreamHeaders(headers({ streamtype: 'data' })), '"port" header is required');
    assert.equal(validateStreamHeaders(headers({ port: 'http' })), 'unable to parse "http" as a port: strconv.ParseUint: parsing "http": invalid syntax');
    assert.equal(validateStreamHeaders(headers({ port: '70000' })), 'unable to parse "70000" as a port: strconv.ParseUint: parsing "70000": value out of range');
    assert.equal(validateStreamHeaders(headers({ port: '0' })), 'port "0" must be > 0');
    assert.equal(validateStreamHeaders(headers({ port: '80' })), '"streamType" header is required');
    assert.equal(validateStreamHeaders(headers({ port: '80', streamtype: 'resize' })), 'invalid stream type "resize"');
  });

  it('resets a stream with bad headers instead of replying', async () => {
    const c = client();
    await c.open(1, { streamtype: 'data' });
    const rst = await c.waitFor((f) => f.type === 'rst_stream');
    assert.deepEqual(rst.type === 'rst_stream' && [rst.streamId, rst.status], [1, RstStatus.cancel]);
  });

  it('wires the data stream of a complete pair to the pod port, both ways', async () => {
    const c = client();
    await openPair(c, 1, echoPort, '0');
    c.data(3, 'ping');
    await c.waitFor(() => c.dataOn(3) === 'PING');
    assert.equal(c.dataOn(1), '', 'nothing on the error stream');
  });

  it('keeps concurrent pairs apart by requestid, whatever order their streams come in', async () => {
    const c = client();
    await c.open(1, { streamtype: 'error', port: String(echoPort), requestid: '7' });
    await c.open(3, { streamtype: 'error', port: String(echoPort), requestid: '8' });
    await c.open(5, { streamtype: 'data', port: String(echoPort), requestid: '8' });
    await c.open(7, { streamtype: 'data', port: String(echoPort), requestid: '7' });
    c.data(5, 'eight');
    c.data(7, 'seven');
    await c.waitFor(() => c.dataOn(5) === 'EIGHT' && c.dataOn(7) === 'SEVEN');
  });

  it('writes the kubelet\'s error on the error stream when the port is closed, then FINs both', async () => {
    const closed = await unusedPort();
    const c = client();
    await openPair(c, 1, closed, '0');
    await c.waitFor(() => c.finished(1) && c.finished(3));
    assert.equal(c.dataOn(1), `error forwarding port ${closed} to pod web-0, uid : connect ECONNREFUSED 127.0.0.1:${closed}`);
    const fins = c.frames.filter((f) => f.type === 'data' && f.flags === 1).map((f) => f.type === 'data' && f.streamId);
    assert.deepEqual(fins, [1, 3], 'the error stream is closed before the data stream');
    c.data(3, 'late', true);
    await waitUntil(() => c.session.openStreams === 0);
  });

  it('finishes both streams once the pod closes the connection', async () => {
    const greeter = createServer((socket) => socket.end('bye'));
    await new Promise<void>((resolve) => greeter.listen(0, '127.0.0.1', resolve));
    const c = client();
    await openPair(c, 1, (greeter.address() as AddressInfo).port, '0');
    await c.waitFor(() => c.finished(1) && c.finished(3));
    assert.equal(c.dataOn(3), 'bye');
    assert.equal(c.session.openStreams, 1, 'the data stream waits for the client to finish its side');
    c.data(3, '', true);
    await waitUntil(() => c.session.openStreams === 0);
    greeter.close();
  });

  it('closes the pod-side connection when the client resets the data stream', async () => {
    const c = client();
    const before = podSides.length;
    await openPair(c, 1, echoPort, '0');
    c.data(3, 'x');
    await c.waitFor(() => c.dataOn(3) === 'X');
    const podSide = podSides[before];
    const podClosed = new Promise((resolve) => podSide.once('close', resolve));
    c.send({ type: 'rst_stream', streamId: 3, status: RstStatus.cancel });
    await podClosed;
  });

  it('pairs streams of clients that send no requestid by stream id, as the kubelet guesses', async () => {
    const c = client();
    await c.open(1, { streamtype: 'error', port: String(echoPort) });
    await c.open(3, { streamtype: 'data', port: String(echoPort) });
    c.data(3, 'old');
    await c.waitFor(() => c.dataOn(3) === 'OLD');
  });

  it('reports a second stream of the same type for one request on its error stream', async () => {
    const c = client();
    await c.open(1, { streamtype: 'error', port: String(echoPort), requestid: '0' });
    await c.open(3, { streamtype: 'error', port: String(echoPort), requestid: '0' });
    await c.waitFor((f) => f.type === 'rst_stream' && f.streamId === 3);
    assert.equal(c.dataOn(1), 'error processing stream for request 0: error stream already assigned');
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
