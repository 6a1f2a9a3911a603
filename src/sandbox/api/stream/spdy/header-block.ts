// The uncompressed name/value header block of SYN_STREAM, SYN_REPLY and HEADERS (§2.6.10):
// a 32-bit pair count, then per pair a 32-bit length and the lower-case name, a 32-bit length
// and the value, several values of one name joined by NUL.
import { SpdyProtocolError } from './frame.js';

/** Header names (lower case) and their values. */
export type SpdyHeaders = Map<string, string[]>;

/** Lays out `headers` (names are lower-cased, as SPDY requires). */
export function encodeHeaderBlock(headers: Iterable<[string, string | readonly string[]]>): Buffer {
  const parts: Buffer[] = [];
  let count = 0;
  for (const [name, value] of headers) {
    const values = typeof value === 'string' ? [value] : value;
    parts.push(lengthPrefixed(Buffer.from(name.toLowerCase(), 'utf8')), lengthPrefixed(Buffer.from(values.join('\0'), 'utf8')));
    count++;
  }
  const head = Buffer.alloc(4);
  head.writeUInt32BE(count);
  return Buffer.concat([head, ...parts]);
}

/** Parses a decompressed block; throws SpdyProtocolError for a truncated block, an upper-case or repeated name. */
export function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  let offset = 0;
  const read = (): string => {
    if (offset + 4 > block.length) throw new SpdyProtocolError('truncated header block');
    const length = block.readUInt32BE(offset);
    if (offset + 4 + length > block.length) throw new SpdyProtocolError('truncated header block');
    const text = block.toString('utf8', offset + 4, offset + 4 + length);
    offset += 4 + length;
    return text;
  };
  if (block.length < 4) throw new SpdyProtocolError('truncated header block');
  const count = block.readUInt32BE(0);
  offset = 4;
  const headers: SpdyHeaders = new Map();
  for (let i = 0; i < count; i++) {
    const name = read();
    const value = read();
    if (name !== name.toLowerCase()) throw new SpdyProtocolError(`header name "${name}" is not lower case`);
    if (headers.has(name)) throw new SpdyProtocolError(`header "${name}" appears twice`);
    headers.set(name, value.split('\0'));
  }
  if (offset !== block.length) throw new SpdyProtocolError(`${block.length - offset} bytes after the last header`);
  return headers;
}

/** The first value of `name`, or undefined. */
export function firstHeader(headers: SpdyHeaders, name: string): string | undefined {
  return headers.get(name)?.[0];
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const out = Buffer.alloc(4 + bytes.length);
  out.writeUInt32BE(bytes.length);
  bytes.copy(out, 4);
  return out;
}
