// One SPDY stream as a Node Duplex: reading yields the peer's DATA until its FIN, writing sends
// DATA frames, end() sends FIN (a half-close), destroy() without both FINs sends RST_STREAM.
import { Duplex } from 'node:stream';
import { RstStatus } from './frame.js';
import type { SpdyHeaders } from './header-block.js';

/** What a stream needs from its session. */
export interface StreamSink {
  /** Queues DATA (FIN when `fin`); `flushed` runs once the connection can take more. */
  sendData(streamId: number, data: Buffer, fin: boolean, flushed: () => void): void;
  /** Queues RST_STREAM with `status`. */
  sendReset(streamId: number, status: number): void;
  /** The stream's reader is full: stop reading the connection. */
  pauseInput(stream: SpdyStream): void;
  /** The stream's reader wants more: read the connection again unless another stream is full. */
  resumeInput(stream: SpdyStream): void;
  /** The stream is gone (both sides finished, reset or destroyed). */
  forget(stream: SpdyStream): void;
}

/** A stream the peer opened, with the headers of its SYN_STREAM. */
export class SpdyStream extends Duplex {
  private resetDone = false;

  constructor(
    readonly id: number,
    readonly headers: SpdyHeaders,
    private readonly sink: StreamSink,
  ) {
    super({ allowHalfOpen: true });
  }

  /** Called by the session with the payload of a DATA frame. */
  receiveData(data: Buffer): void {
    if (this.readableEnded || this.destroyed || data.length === 0) return;
    if (!this.push(data)) this.sink.pauseInput(this);
  }

  /** Called by the session when the peer half-closed the stream. */
  receiveFin(): void {
    if (!this.destroyed) this.push(null);
  }

  /** Called by the session for the peer's RST_STREAM: both directions are over. */
  receiveReset(): void {
    this.resetDone = true;
    this.destroy();
  }

  /** Tears the stream down at once with RST_STREAM `status` (CANCEL by default). */
  reset(status: number = RstStatus.cancel): void {
    if (!this.resetDone && !this.destroyed) this.sink.sendReset(this.id, status);
    this.resetDone = true;
    this.destroy();
  }

  override _read(): void {
    this.sink.resumeInput(this);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.sink.sendData(this.id, chunk, false, () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.sink.sendData(this.id, Buffer.alloc(0), true, () => callback());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Gone before both sides finished: tell the peer, as spdystream's Reset does.
    if (!this.resetDone && !(this.writableFinished && this.readableEnded)) this.sink.sendReset(this.id, RstStatus.cancel);
    this.resetDone = true;
    this.sink.forget(this);
    callback(error);
  }
}
