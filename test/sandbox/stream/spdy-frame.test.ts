// SPDY/3.1 frame codec: byte vectors from Chromium's SPDY/3 framer tests (spdy_framer_test.cc),
// round trips of every frame type, and reassembly of frames cut at any byte.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FrameDecoder,
  SpdyProtocolError,
  encodeFrame,
  type SpdyFrame,
} from '../../../src/sandbox/api/stream/spdy/index.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const decodeOne = (bytes: Buffer): SpdyFrame => {
  const frames = new FrameDecoder().push(bytes);
  assert.equal(frames.length, 1);
  return frames[0];
};
/** Uncompressed bar: foo, foo: bar block, as in Chromium's "uncompressed" frame vectors. */
const BAR_FOO_BLOCK = hex('00000002 00000003 626172 00000003 666f6f 00000003 666f6f 00000003 626172');

describe('SPDY/3.1 frame codec', () => {
  const vectors: [string, string, SpdyFrame][] = [
    ['RST_STREAM', '80030003 00000008 00000001 00000001', { type: 'rst_stream', streamId: 1, status: 1 }],
    ['RST_STREAM with max stream id, INTERNAL_ERROR', '80030003 00000008 7fffffff 00000006', { type: 'rst_stream', streamId: 0x7fffffff, status: 6 }],
    ['SETTINGS, network byte order', '80030004 0000000c 00000001 01020304 0a0b0c0d', { type: 'settings', flags: 0, entries: [{ flags: 1, id: 0x020304, value: 0x0a0b0c0d }] }],
    ['empty SETTINGS', '80030004 00000004 00000000', { type: 'settings', flags: 0, entries: [] }],
    ['PING', '80030006 00000004 12345678', { type: 'ping', id: 0x12345678 }],
    ['GOAWAY', '80030007 00000008 00000000 00000000', { type: 'goaway', lastGoodStreamId: 0, status: 0 }],
    ['GOAWAY with max stream id, INTERNAL_ERROR', '80030007 00000008 7fffffff 00000002', { type: 'goaway', lastGoodStreamId: 0x7fffffff, status: 2 }],
    ['WINDOW_UPDATE', '80030009 00000008 00000001 00000001', { type: 'window_update', streamId: 1, delta: 1 }],
    ['WINDOW_UPDATE with max delta', '80030009 00000008 00000001 7fffffff', { type: 'window_update', streamId: 1, delta: 0x7fffffff }],
    ['SYN_REPLY, uncompressed block', `80030002 00000024 00000001 ${BAR_FOO_BLOCK.toString('hex')}`, { type: 'syn_reply', streamId: 1, flags: 0, headerBlock: BAR_FOO_BLOCK }],
    ['HEADERS, FIN, max stream id', `80030008 01000024 7fffffff ${BAR_FOO_BLOCK.toString('hex')}`, { type: 'headers', streamId: 0x7fffffff, flags: 1, headerBlock: BAR_FOO_BLOCK }],
    ['DATA with FIN', '00000001 01000006 68656c6c6f21', { type: 'data', streamId: 1, flags: 1, data: Buffer.from('hello!') }],
    ['empty DATA with FIN (a half-close)', '00000003 01000000', { type: 'data', streamId: 3, flags: 1, data: Buffer.alloc(0) }],
  ];
  for (const [name, bytes, frame] of vectors) {
    it(`encodes and decodes ${name} byte for byte`, () => {
      assert.deepEqual(encodeFrame(frame), hex(bytes));
      assert.deepEqual(decodeOne(hex(bytes)), frame);
    });
  }

  it('decodes the fixed part of a compressed SYN_STREAM (low priority, no FIN)', () => {
    const block = hex('38eae3c6a7c202e50e50c24b4a04e50b6680004acbcf07082010 95969f0fa200022829b108208000000000ffff');
    const frame = decodeOne(Buffer.concat([hex('80030001 00000037 00000001 00000000 8000'), block]));
    assert.deepEqual(frame, { type: 'syn_stream', streamId: 1, associatedId: 0, priority: 4, slot: 0, flags: 0, headerBlock: block });
    assert.deepEqual(encodeFrame(frame).subarray(0, 18), hex('80030001 00000037 00000001 00000000 8000'));
  });

  it('round-trips frames cut at every byte boundary, several to a chunk', () => {
    const frames: SpdyFrame[] = [
      { type: 'syn_stream', streamId: 5, associatedId: 3, priority: 7, slot: 2, flags: 2, headerBlock: Buffer.from('opaque block') },
      { type: 'data', streamId: 5, flags: 0, data: Buffer.alloc(300, 7) },
      { type: 'ping', id: 1 },
      { type: 'rst_stream', streamId: 5, status: 5 },
      { type: 'unknown', controlType: 0x0a, flags: 0, payload: Buffer.from([1, 2, 3]) },
    ];
    const wire = Buffer.concat(frames.map(encodeFrame));
    for (const size of [1, 3, 7, 64, wire.length]) {
      const decoder = new FrameDecoder();
      const out: SpdyFrame[] = [];
      for (let i = 0; i < wire.length; i += size) out.push(...decoder.push(wire.subarray(i, i + size)));
      assert.deepEqual(out, frames, `chunks of ${size}`);
    }
  });

  it('holds back a frame until all of it has arrived', () => {
    const decoder = new FrameDecoder();
    const wire = encodeFrame({ type: 'data', streamId: 1, flags: 0, data: Buffer.from('abcdef') });
    assert.deepEqual(decoder.push(wire.subarray(0, 9)), []);
    assert.deepEqual(decoder.push(wire.subarray(9)), [{ type: 'data', streamId: 1, flags: 0, data: Buffer.from('abcdef') }]);
  });

  it('refuses other versions, malformed lengths, stream 0 data and oversized control frames', () => {
    assert.throws(() => new FrameDecoder().push(hex('80020006 00000004 00000001')), SpdyProtocolError);
    assert.throws(() => new FrameDecoder().push(hex('80030006 00000005 0000000100')), /6 has a 5-byte payload/);
    assert.throws(() => new FrameDecoder().push(hex('80030004 0000000c 00000002 00000001 00000001')), SpdyProtocolError);
    assert.throws(() => new FrameDecoder().push(hex('00000000 00000001 ff')), /stream 0/);
    assert.throws(() => new FrameDecoder(16).push(hex('80030001 00000400')), /exceeds the 16-byte limit/);
  });

  it('refuses to encode a payload beyond 24 bits', () => {
    assert.throws(() => encodeFrame({ type: 'data', streamId: 1, flags: 0, data: Buffer.alloc(0x1000000) }), RangeError);
  });
});
