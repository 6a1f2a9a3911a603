// Reads SPDY/3.1 frames back from a byte stream cut anywhere (the inverse of encodeFrame).
import { ControlType, SPDY_VERSION, SpdyProtocolError, type SpdyFrame } from './frame.js';

/**
 * Reassembles frames from a byte stream cut anywhere. A control frame longer than
 * `maxControlLength` is refused before it is buffered.
 */
export class FrameDecoder {
  private buffered: Buffer = Buffer.alloc(0);

  constructor(private readonly maxControlLength = 1 << 16) {}

  /** Appends bytes and returns every frame now complete; throws SpdyProtocolError on malformed input. */
  push(bytes: Buffer): SpdyFrame[] {
    this.append(bytes);
    const frames: SpdyFrame[] = [];
    for (let frame = this.next(); frame; frame = this.next()) frames.push(frame);
    return frames;
  }

  /** Appends received bytes. */
  append(bytes: Buffer): void {
    this.buffered = this.buffered.length === 0 ? bytes : Buffer.concat([this.buffered, bytes]);
  }

  /** The next complete frame, or undefined; throws SpdyProtocolError when the next frame is malformed. */
  next(): SpdyFrame | undefined {
    if (this.buffered.length < 8) return undefined;
    const isControl = (this.buffered[0] & 0x80) !== 0;
    const length = this.buffered.readUInt32BE(4) & 0xffffff;
    if (isControl && length > this.maxControlLength) throw new SpdyProtocolError(`control frame of ${length} bytes exceeds the ${this.maxControlLength}-byte limit`);
    if (this.buffered.length < 8 + length) return undefined;
    const frame = this.buffered.subarray(0, 8 + length);
    this.buffered = this.buffered.subarray(8 + length);
    return isControl ? decodeControl(frame) : decodeData(frame);
  }
}

function decodeData(frame: Buffer): SpdyFrame {
  const streamId = frame.readUInt32BE(0) & 0x7fffffff;
  if (streamId === 0) throw new SpdyProtocolError('DATA frame on stream 0');
  return { type: 'data', streamId, flags: frame[4], data: Buffer.from(frame.subarray(8)) };
}

function decodeControl(frame: Buffer): SpdyFrame {
  const version = frame.readUInt16BE(0) & 0x7fff;
  if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
  const type = frame.readUInt16BE(2);
  const flags = frame[4];
  const body = frame.subarray(8);
  const need = (n: number, exact = true): void => {
    if (exact ? body.length !== n : body.length < n) throw new SpdyProtocolError(`control frame type ${type} has a ${body.length}-byte payload`);
  };
  const id = (offset: number): number => body.readUInt32BE(offset) & 0x7fffffff;
  switch (type) {
    case ControlType.synStream:
      need(10, false);
      return { type: 'syn_stream', streamId: id(0), associatedId: id(4), priority: body[8] >> 5, slot: body[9], flags, headerBlock: Buffer.from(body.subarray(10)) };
    case ControlType.synReply:
    case ControlType.headers:
      need(4, false);
      return { type: type === ControlType.synReply ? 'syn_reply' : 'headers', streamId: id(0), flags, headerBlock: Buffer.from(body.subarray(4)) };
    case ControlType.rstStream:
      need(8);
      return { type: 'rst_stream', streamId: id(0), status: body.readUInt32BE(4) };
    case ControlType.settings: {
      need(4, false);
      const count = body.readUInt32BE(0);
      need(4 + count * 8);
      const entries = Array.from({ length: count }, (_, i) => {
        const word = body.readUInt32BE(4 + i * 8);
        return { flags: word >>> 24, id: word & 0xffffff, value: body.readUInt32BE(8 + i * 8) };
      });
      return { type: 'settings', flags, entries };
    }
    case ControlType.ping:
      need(4);
      return { type: 'ping', id: body.readUInt32BE(0) };
    case ControlType.goAway:
      need(8);
      return { type: 'goaway', lastGoodStreamId: id(0), status: body.readUInt32BE(4) };
    case ControlType.windowUpdate:
      need(8);
      return { type: 'window_update', streamId: id(0), delta: id(4) };
    default:
      return { type: 'unknown', controlType: type, flags, payload: Buffer.from(body) };
  }
}

