// SPDY/3.1 frames (spec §2.2, §2.6) and their serialization; frame-decoder.ts reads them back.
// Header blocks travel as the compressed bytes they are on the wire; header-compression.ts turns
// them into name/value pairs.

/** The protocol version in every control frame. */
export const SPDY_VERSION = 3;
/** Largest payload a frame's 24-bit length can carry. */
export const MAX_FRAME_PAYLOAD = 0xffffff;
/** FIN on a DATA, SYN_STREAM, SYN_REPLY or HEADERS frame: the sender sends nothing more on the stream. */
export const FLAG_FIN = 0x01;
/** UNIDIRECTIONAL on a SYN_STREAM: the recipient may not send on the stream. */
export const FLAG_UNIDIRECTIONAL = 0x02;

/** Control frame type numbers. */
export const ControlType = {
  synStream: 1,
  synReply: 2,
  rstStream: 3,
  settings: 4,
  ping: 6,
  goAway: 7,
  headers: 8,
  windowUpdate: 9,
} as const;

/** RST_STREAM status codes (§2.6.3). */
export const RstStatus = {
  protocolError: 1,
  invalidStream: 2,
  refusedStream: 3,
  unsupportedVersion: 4,
  cancel: 5,
  internalError: 6,
  flowControlError: 7,
  streamInUse: 8,
  streamAlreadyClosed: 9,
  frameTooLarge: 11,
} as const;

/** GOAWAY status codes (§2.6.6). */
export const GoAwayStatus = { ok: 0, protocolError: 1, internalError: 2 } as const;

/** One SETTINGS entry: flags (8 bits), id (24 bits), value. */
export interface SettingsEntry {
  flags: number;
  id: number;
  value: number;
}

/** A frame in memory. `headerBlock` is the compressed name/value block. */
export type SpdyFrame =
  | { type: 'data'; streamId: number; flags: number; data: Buffer }
  | { type: 'syn_stream'; streamId: number; associatedId: number; priority: number; slot: number; flags: number; headerBlock: Buffer }
  | { type: 'syn_reply'; streamId: number; flags: number; headerBlock: Buffer }
  | { type: 'rst_stream'; streamId: number; status: number }
  | { type: 'settings'; flags: number; entries: SettingsEntry[] }
  | { type: 'ping'; id: number }
  | { type: 'goaway'; lastGoodStreamId: number; status: number }
  | { type: 'headers'; streamId: number; flags: number; headerBlock: Buffer }
  | { type: 'window_update'; streamId: number; delta: number }
  | { type: 'unknown'; controlType: number; flags: number; payload: Buffer };

/** A violation of the framing layer; the session answers it with GOAWAY PROTOCOL_ERROR. */
export class SpdyProtocolError extends Error {
  override name = 'SpdyProtocolError';
}

/** Serializes one frame. */
export function encodeFrame(frame: SpdyFrame): Buffer {
  switch (frame.type) {
    case 'data': {
      const out = header8(frame.streamId & 0x7fffffff, frame.flags, frame.data.length);
      return Buffer.concat([out, frame.data]);
    }
    case 'syn_stream': {
      const body = Buffer.alloc(10);
      body.writeUInt32BE(frame.streamId & 0x7fffffff, 0);
      body.writeUInt32BE(frame.associatedId & 0x7fffffff, 4);
      body[8] = (frame.priority & 0x07) << 5;
      body[9] = frame.slot & 0xff;
      return control(ControlType.synStream, frame.flags, Buffer.concat([body, frame.headerBlock]));
    }
    case 'syn_reply':
    case 'headers':
      return control(frame.type === 'syn_reply' ? ControlType.synReply : ControlType.headers, frame.flags, Buffer.concat([uint32(frame.streamId & 0x7fffffff), frame.headerBlock]));
    case 'rst_stream':
      return control(ControlType.rstStream, 0, Buffer.concat([uint32(frame.streamId & 0x7fffffff), uint32(frame.status)]));
    case 'settings': {
      const body = Buffer.alloc(4 + frame.entries.length * 8);
      body.writeUInt32BE(frame.entries.length, 0);
      frame.entries.forEach((e, i) => {
        body.writeUInt32BE((((e.flags & 0xff) << 24) | (e.id & 0xffffff)) >>> 0, 4 + i * 8);
        body.writeUInt32BE(e.value >>> 0, 8 + i * 8);
      });
      return control(ControlType.settings, frame.flags, body);
    }
    case 'ping':
      return control(ControlType.ping, 0, uint32(frame.id));
    case 'goaway':
      return control(ControlType.goAway, 0, Buffer.concat([uint32(frame.lastGoodStreamId & 0x7fffffff), uint32(frame.status)]));
    case 'window_update':
      return control(ControlType.windowUpdate, 0, Buffer.concat([uint32(frame.streamId & 0x7fffffff), uint32(frame.delta & 0x7fffffff)]));
    case 'unknown':
      return control(frame.controlType, frame.flags, frame.payload);
  }
}

function control(type: number, flags: number, body: Buffer): Buffer {
  if (body.length > MAX_FRAME_PAYLOAD) throw new RangeError(`frame payload of ${body.length} bytes exceeds ${MAX_FRAME_PAYLOAD}`);
  const head = header8(((0x8000 | SPDY_VERSION) << 16) | type, flags, body.length);
  return Buffer.concat([head, body]);
}

function header8(firstWord: number, flags: number, length: number): Buffer {
  if (length > MAX_FRAME_PAYLOAD) throw new RangeError(`frame payload of ${length} bytes exceeds ${MAX_FRAME_PAYLOAD}`);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(firstWord >>> 0, 0);
  head.writeUInt32BE((((flags & 0xff) << 24) | length) >>> 0, 4);
  return head;
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}
