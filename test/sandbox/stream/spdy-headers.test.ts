// SPDY/3 header blocks: the name/value layout, the dictionary (checked through a compressed
// block from Chromium's SPDY/3 framer tests), and per-connection zlib contexts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { constants, inflateSync } from 'node:zlib';
import {
  HeaderCompressor,
  HeaderDecompressor,
  SPDY3_DICTIONARY,
  SpdyProtocolError,
  decodeHeaderBlock,
  encodeHeaderBlock,
} from '../../../src/sandbox/api/stream/spdy/index.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
/** Chromium's compressed SPDY/3 block for bar: foo, foo: bar (CreateSynReplyCompressed, kV3FrameData). */
const CHROMIUM_BLOCK = hex('38eae3c6a7c202e50e50c24b4a04e50b6680004acbcf07082010 95969f0fa200022829b108208000000000ffff');
/** adler32 of the SPDY/3 dictionary, as it appears in every zlib header of SPDY/3. */
const DICTIONARY_ID = 'e3c6a7c2';

describe('SPDY/3 header block layout', () => {
  it('lays out pairs with 32-bit lengths and lower-case names, as in the spec', () => {
    const block = encodeHeaderBlock([
      ['bar', 'foo'],
      ['Foo', 'bar'],
    ]);
    assert.deepEqual(block, hex('00000002 00000003 626172 00000003 666f6f 00000003 666f6f 00000003 626172'));
    assert.deepEqual(decodeHeaderBlock(block), new Map([['bar', ['foo']], ['foo', ['bar']]]));
  });

  it('joins several values of one name with NUL and splits them again', () => {
    const block = encodeHeaderBlock([['accept', ['a', 'b']], ['empty', '']]);
    assert.deepEqual(decodeHeaderBlock(block), new Map([['accept', ['a', 'b']], ['empty', ['']]]));
  });

  it('refuses truncated blocks, upper-case or repeated names and trailing bytes', () => {
    assert.throws(() => decodeHeaderBlock(hex('00000001 00000003 6261')), SpdyProtocolError);
    assert.throws(() => decodeHeaderBlock(hex('000000')), /truncated/);
    assert.throws(() => decodeHeaderBlock(hex('00000001 00000003 426172 00000000')), /not lower case/);
    assert.throws(() => decodeHeaderBlock(hex('00000002 00000001 61 00000000 00000001 61 00000000')), /appears twice/);
    assert.throws(() => decodeHeaderBlock(hex('00000000 ff')), /1 bytes after/);
  });
});

describe('SPDY/3 header compression', () => {
  it('has the 1423-byte dictionary of the spec', () => {
    assert.equal(SPDY3_DICTIONARY.length, 1423);
    assert.ok(SPDY3_DICTIONARY.subarray(0, 11).equals(Buffer.from('\0\0\0\x07options', 'latin1')));
    assert.ok(SPDY3_DICTIONARY.toString('latin1').endsWith('utf-,*,enq=0.'));
  });

  it("inflates Chromium's compressed block (zlib checks the dictionary id)", async () => {
    const inflater = new HeaderDecompressor();
    assert.deepEqual(await inflater.decompress(CHROMIUM_BLOCK), new Map([['bar', ['foo']], ['foo', ['bar']]]));
    inflater.close();
  });

  it('compresses with the dictionary so that any zlib inflates a block to its layout', async () => {
    const deflater = new HeaderCompressor();
    const headers: [string, string][] = [['streamtype', 'error'], ['port', '8080'], ['requestid', '0']];
    const block = await deflater.compress(headers);
    assert.equal(block.subarray(2, 6).toString('hex'), DICTIONARY_ID);
    assert.equal(block.subarray(-4).toString('hex'), '0000ffff', 'each block ends on a sync flush');
    assert.deepEqual(inflateSync(block, { dictionary: SPDY3_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH }), encodeHeaderBlock(headers));
    deflater.close();
  });

  it('keeps one context per direction: later blocks depend on earlier ones', async () => {
    const deflater = new HeaderCompressor();
    const inflater = new HeaderDecompressor();
    const headers: [string, string][] = [['streamtype', 'data'], ['port', '8080'], ['requestid', '1']];
    const first = await deflater.compress(headers);
    const second = await deflater.compress(headers);
    assert.ok(second.length < first.length, `a repeat (${second.length} bytes) reuses the window of the first (${first.length})`);
    assert.throws(() => inflateSync(second, { dictionary: SPDY3_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH }));
    const [a, b] = await Promise.all([inflater.decompress(first), inflater.decompress(second)]);
    assert.deepEqual(a, new Map(headers.map(([k, v]) => [k, [v]])));
    assert.deepEqual(b, a);
    deflater.close();
    inflater.close();
  });

  it('refuses a corrupt block, and everything after it on that context', async () => {
    const inflater = new HeaderDecompressor();
    await assert.rejects(inflater.decompress(hex('78bb00000000')), SpdyProtocolError);
    await assert.rejects(inflater.decompress(CHROMIUM_BLOCK), SpdyProtocolError);
    inflater.close();
  });

  it('refuses a block that inflates beyond the limit (a zlib bomb)', async () => {
    const deflater = new HeaderCompressor();
    const bomb = await deflater.compress([['x', 'a'.repeat(200_000)]]);
    assert.ok(bomb.length < 2000);
    await assert.rejects(new HeaderDecompressor(64 * 1024).decompress(bomb), /inflates beyond 65536 bytes/);
    deflater.close();
  });
});
