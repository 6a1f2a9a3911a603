// The server side of a SPDY/3.1 session as spdystream (client-go, the kubelet) expects it, driven
// frame by frame from an in-memory client with its own zlib contexts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GoAwayStatus, RstStatus, SpdySession, type SpdyStream } from '../../../src/sandbox/api/stream/spdy/index.js';
import { SpdyTestClient } from './spdy-test-client.js';

/** A client whose session echoes every accepted stream, upper-cased, and refuses `refuse: yes`. */
function echoClient(maxStreams = 8, accepted: SpdyStream[] = []): SpdyTestClient {
  return new SpdyTestClient(
    (transport) =>
      new SpdySession(transport, {
        maxStreams,
        accept: (headers) => (headers.get('refuse')?.[0] === 'yes' ? 'refused by test' : undefined),
        onStream(stream) {
          accepted.push(stream);
          stream.on('data', (chunk: Buffer) => stream.write(chunk.toString().toUpperCase()));
          stream.on('end', () => stream.end());
        },
      }),
  );
}

describe('SPDY session (server side)', () => {
  it('answers SYN_STREAM with an empty SYN_REPLY and hands the stream its headers', async () => {
    const accepted: SpdyStream[] = [];
    const client = echoClient(8, accepted);
    await client.open(1, { streamtype: 'data', port: '8080', requestid: '0' });
    const reply = await client.waitFor((f) => f.type === 'syn_reply');
    assert.equal(reply.type === 'syn_reply' && reply.streamId, 1);
    assert.deepEqual(reply.headers, new Map());
    assert.deepEqual(accepted[0].headers, new Map([['streamtype', ['data']], ['port', ['8080']], ['requestid', ['0']]]));
  });

  it('carries data both ways and half-closes each side with an empty FIN', async () => {
    const client = echoClient();
    await client.open(1, { a: '1' });
    client.data(1, 'hello ');
    client.data(1, 'spdy', true);
    await client.waitFor((f) => f.type === 'data' && (f.flags & 1) === 1);
    assert.equal(client.dataOn(1), 'HELLO SPDY');
    assert.equal(client.session.openStreams, 0, 'both sides finished: the stream is gone');
  });

  it('splits large writes into DATA frames of at most 64 KiB, end() adding an empty FIN', async () => {
    const client = new SpdyTestClient((transport) => new SpdySession(transport, { maxStreams: 1, accept: () => undefined, onStream: (s) => s.end(Buffer.alloc(200_000, 1)) }));
    await client.open(1, {});
    await client.waitFor((f) => f.type === 'data' && (f.flags & 1) === 1);
    const sizes = client.frames.flatMap((f) => (f.type === 'data' ? [[f.data.length, f.flags]] : []));
    assert.deepEqual(sizes, [[65536, 0], [65536, 0], [65536, 0], [3392, 0], [0, 1]]);
  });

  it('refuses a stream its handler rejects with RST_STREAM CANCEL, as spdystream resets it', async () => {
    const client = echoClient();
    await client.open(1, { refuse: 'yes' });
    const rst = await client.waitFor((f) => f.type === 'rst_stream');
    assert.deepEqual(rst, { type: 'rst_stream', streamId: 1, status: RstStatus.cancel, headers: undefined });
    assert.equal(client.session.openStreams, 0);
  });

  it('resets even and non-increasing stream ids with PROTOCOL_ERROR', async () => {
    const client = echoClient();
    await client.open(2, {});
    await client.open(5, {});
    await client.open(3, {});
    await client.waitFor((f) => f.type === 'rst_stream' && f.streamId === 3);
    const resets = client.frames.filter((f) => f.type === 'rst_stream').map((f) => f.type === 'rst_stream' && [f.streamId, f.status]);
    assert.deepEqual(resets, [
      [2, RstStatus.protocolError],
      [3, RstStatus.protocolError],
    ]);
  });

  it('refuses streams beyond the limit with REFUSED_STREAM and takes new ones once some closed', async () => {
    const accepted: SpdyStream[] = [];
    const client = echoClient(2, accepted);
    for (const id of [1, 3, 5]) await client.open(id, {});
    const rst = await client.waitFor((f) => f.type === 'rst_stream');
    assert.deepEqual(rst.type === 'rst_stream' && [rst.streamId, rst.status], [5, RstStatus.refusedStream]);
    client.send({ type: 'rst_stream', streamId: 1, status: RstStatus.cancel });
    await client.open(7, {});
    await client.waitFor((f) => f.type === 'syn_reply' && f.streamId === 7);
    assert.deepEqual(accepted.map((s) => [s.id, s.destroyed]), [[1, true], [3, false], [7, false]]);
  });

  it("echoes the client's (odd) PINGs and ignores even ones, SETTINGS and WINDOW_UPDATE", async () => {
    const client = echoClient();
    client.send({ type: 'settings', flags: 0, entries: [{ flags: 0, id: 7, value: 65536 }] });
    client.send({ type: 'window_update', streamId: 0, delta: 1000 });
    client.send({ type: 'ping', id: 2 });
    client.send({ type: 'ping', id: 1 }, 5);
    await client.waitFor((f) => f.type === 'ping');
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(client.frames, [{ type: 'ping', id: 1, headers: undefined }]);
  });

  it('stops taking streams after GOAWAY and closes once the last one is gone', async () => {
    const client = echoClient();
    await client.open(1, {});
    await client.waitFor((f) => f.type === 'syn_reply');
    client.send({ type: 'goaway', lastGoodStreamId: 0, status: GoAwayStatus.ok });
    await client.open(3, {});
    await client.waitFor((f) => f.type === 'rst_stream' && f.streamId === 3 && f.status === RstStatus.refusedStream);
    assert.equal(client.closed, false);
    client.data(1, 'bye', true);
    await client.waitFor(() => client.closed);
  });

  it('answers malformed input (a SPDY/2 frame) with GOAWAY PROTOCOL_ERROR and closes the connection', async () => {
    const client = echoClient();
    await client.open(1, {});
    client.session.receive(Buffer.from('8002000600000004 00000001'.replace(' ', ''), 'hex'));
    const goaway = await client.waitFor((f) => f.type === 'goaway');
    assert.deepEqual(goaway, { type: 'goaway', lastGoodStreamId: 1, status: GoAwayStatus.protocolError, headers: undefined });
    await client.waitFor(() => client.closed);
  });

  it('pauses the connection while a stream is not read, and resumes when it is', async () => {
    let held: SpdyStream | undefined;
    const client = new SpdyTestClient((transport) => new SpdySession(transport, { maxStreams: 1, accept: () => undefined, onStream: (s) => (held = s) }));
    await client.open(1, {});
    await client.waitFor((f) => f.type === 'syn_reply');
    client.data(1, Buffer.alloc(64 * 1024));
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(client.paused, true);
    held!.resume();
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(client.paused, false);
  });

  it('tears every stream down when the connection ends', async () => {
    const accepted: SpdyStream[] = [];
    const client = echoClient(8, accepted);
    await client.open(1, {});
    await client.open(3, {});
    await client.waitFor((f) => f.type === 'syn_reply' && f.streamId === 3);
    client.session.end();
    assert.deepEqual(accepted.map((s) => s.destroyed), [true, true]);
  });
});
