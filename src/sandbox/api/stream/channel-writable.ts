// A Writable whose chunks leave as binary messages on one channel of a channel WebSocket.
import { Writable } from 'node:stream';
import { WebSocket } from 'ws';
import { encodeFrame } from './channel-protocol.js';

/** Bytes queued in the WebSocket beyond which writers wait for the socket to drain. */
const HIGH_WATER_MARK = 1 << 20;

/** Writable that frames each chunk for `channel`; writes after the socket closed are dropped. */
export function createChannelWritable(ws: WebSocket, channel: number): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (chunk.length === 0 || ws.readyState !== WebSocket.OPEN) {
        callback();
        return;
      }
      const frame = encodeFrame(channel, chunk);
      if (ws.bufferedAmount + frame.length <= HIGH_WATER_MARK) {
        ws.send(frame, { binary: true });
        callback();
      } else {
        ws.send(frame, { binary: true }, () => callback());
      }
    },
  });
}

/** Writable that discards everything (a stream the client did not ask for). */
export function createDiscardWritable(): Writable {
  return new Writable({ write: (_chunk, _encoding, callback) => callback() });
}
