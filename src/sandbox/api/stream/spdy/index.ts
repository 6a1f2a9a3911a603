// SPDY/3.1 as kubectl's port-forward speaks it: frame codec, header block codec with its zlib
// contexts, and the server side of a session whose streams are Node Duplex streams.
export { SPDY3_DICTIONARY } from './dictionary.js';
export {
  ControlType,
  FLAG_FIN,
  FLAG_UNIDIRECTIONAL,
  GoAwayStatus,
  MAX_FRAME_PAYLOAD,
  RstStatus,
  SPDY_VERSION,
  SpdyProtocolError,
  encodeFrame,
  type SettingsEntry,
  type SpdyFrame,
} from './frame.js';
export { FrameDecoder } from './frame-decoder.js';
export { decodeHeaderBlock, encodeHeaderBlock, firstHeader, type SpdyHeaders } from './header-block.js';
export { HeaderCompressor, HeaderDecompressor } from './header-compression.js';
export { SpdySession, type SpdySessionOptions, type SpdyTransport } from './session.js';
export { SpdyStream } from './stream.js';
