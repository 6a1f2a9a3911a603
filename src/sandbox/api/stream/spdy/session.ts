// The server side of one SPDY/3.1 connection, as spdystream (the library behind client-go and
// the kubelet) speaks it: the client opens odd-numbered streams, the server answers each with
// SYN_REPLY or RST_STREAM, echoes the client's PINGs, and stops taking streams after GOAWAY.
// Like spdystream, it neither sends nor enforces flow-control windows (SETTINGS and
// WINDOW_UPDATE are read and ignored); backpressure comes from the connection itself.
import { FLAG_FIN, GoAwayStatus, RstStatus, encodeFrame, type SpdyFrame } from './frame.js';
import { FrameDecoder } from './frame-decoder.js';
import { HeaderCompressor, HeaderDecompressor } from './header-compression.js';
import type { SpdyHeaders } from './header-block.js';
import { SpdyStream, type StreamSink } from './stream.js';

/** Largest DATA payload the session sends in one frame. */
const MAX_DATA_CHUNK = 1 << 16;

/** The byte connection under a session (a socket, or a WebSocket carrying SPDY in binary messages). */
export interface SpdyTransport {
  /** Sends bytes in order; `flushed` runs once the transport can take more (at once if closed). */
  write(bytes: Buffer, flushed: () => void): void;
  /** Stops delivering received bytes until resume(). */
  pause(): void;
  /** Delivers received bytes again. */
  resume(): void;
  /** Ends the connection after what was written. */
  close(): void;
}

/** How a session treats the streams its client opens. */
export interface SpdySessionOptions {
  /** Streams open at once; a SYN_STREAM beyond it gets RST_STREAM REFUSED_STREAM. */
  maxStreams: number;
  /** Called for each SYN_STREAM: undefined accepts it (SYN_REPLY), a reason refuses it (RST_STREAM CANCEL). */
  accept(headers: SpdyHeaders): string | undefined;
  /** Called with each accepted stream once its SYN_REPLY is queued. */
  onStream(stream: SpdyStream): void;
  /** Called with a refused stream's reason (for logs). */
  onRefused?(reason: string, headers: SpdyHeaders): void;
}

/** Server side of one SPDY connection; feed it the transport's bytes and its end. */
export class SpdySession implements StreamSink {
  private readonly decoder = new FrameDecoder();
  private readonly inflater = new HeaderDecompressor();
  private readonly deflater = new HeaderCompressor();
  private readonly streams = new Map<number, SpdyStream>();
  private readonly full = new Set<SpdyStream>();
  private lastStreamId = 0;
  private incoming: Promise<void> = Promise.resolve();
  private outgoing: Promise<void> = Promise.resolve();
  private goneAway = false;
  private ended = false;
  private corrupt = false;

  constructor(
    private readonly transport: SpdyTransport,
    private readonly options: SpdySessionOptions,
  ) {}

  /** Streams currently open. */
  get openStreams(): number {
    return this.streams.size;
  }

  /** Bytes received from the transport. */
  receive(bytes: Buffer): void {
    if (this.ended || this.corrupt) return;
    this.decoder.append(bytes);
    try {
      for (let frame = this.decoder.next(); frame; frame = this.decoder.next()) {
        const next = frame;
        this.incoming = this.incoming.then(() => (this.ended ? undefined : this.handle(next))).catch(() => this.fail());
      }
    } catch {
      // Frames before the malformed one are handled first, as they arrived; nothing after it is read.
      this.corrupt = true;
      this.incoming = this.incoming.then(() => this.fail());
    }
  }

  /** The transport closed: every stream is torn down. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const stream of [...this.streams.values()]) stream.destroy();
    this.inflater.close();
    this.deflater.close();
  }

  /** Says GOAWAY (status OK) and closes the transport once it is written. */
  close(status: number = GoAwayStatus.ok): void {
    if (this.ended) return;
    this.goneAway = true;
    this.queue(() => encodeFrame({ type: 'goaway', lastGoodStreamId: this.lastStreamId, status }));
    this.outgoing = this.outgoing.then(() => this.transport.close());
  }

  sendData(streamId: number, data: Buffer, fin: boolean, flushed: () => void): void {
    if (this.ended) return flushed();
    const flags = fin ? FLAG_FIN : 0;
    if (data.length === 0) return this.queue(() => encodeFrame({ type: 'data', streamId, flags, data }), flushed);
    for (let offset = 0; offset < data.length; offset += MAX_DATA_CHUNK) {
      const last = offset + MAX_DATA_CHUNK >= data.length;
      const chunk = data.subarray(offset, offset + MAX_DATA_CHUNK);
      this.queue(() => encodeFrame({ type: 'data', streamId, flags: last ? flags : 0, data: chunk }), last ? flushed : undefined);
    }
  }

  sendReset(streamId: number, status: number): void {
    if (!this.ended) this.queue(() => encodeFrame({ type: 'rst_stream', streamId, status }));
  }

  pauseInput(stream: SpdyStream): void {
    if (this.full.size === 0) this.transport.pause();
    this.full.add(stream);
  }

  resumeInput(stream: SpdyStream): void {
    if (this.full.delete(stream) && this.full.size === 0) this.transport.resume();
  }

  forget(stream: SpdyStream): void {
    this.resumeInput(stream);
    this.streams.delete(stream.id);
    if (this.goneAway && this.streams.size === 0 && !this.ended) this.outgoing = this.outgoing.then(() => this.transport.close());
  }

  /** Queues bytes behind everything sent before (header compression is asynchronous). */
  private queue(build: () => Buffer | Promise<Buffer>, flushed?: () => void): void {
    this.outgoing = this.outgoing
      .then(async () => {
        if (this.ended) return flushed?.();
        const bytes = await build();
        await new Promise<void>((resolve) => this.transport.write(bytes, resolve));
        flushed?.();
      })
      .catch(() => {
        flushed?.();
        this.fail();
      });
  }

  private async handle(frame: SpdyFrame): Promise<void> {
    switch (frame.type) {
      case 'syn_stream':
        return this.open(frame.streamId, frame.flags, await this.inflater.decompress(frame.headerBlock));
      case 'syn_reply':
      case 'headers': {
        await this.inflater.decompress(frame.headerBlock); // keeps the zlib context in step; nothing to do with them
        if (frame.flags & FLAG_FIN) this.streams.get(frame.streamId)?.receiveFin();
        return;
      }
      case 'data': {
        const stream = this.streams.get(frame.streamId);
        stream?.receiveData(frame.data);
        if (frame.flags & FLAG_FIN) stream?.receiveFin();
        return;
      }
      case 'rst_stream':
        return this.streams.get(frame.streamId)?.receiveReset();
      case 'ping':
        // Odd ids are the client's pings, answered with the same frame; even ids would answer ours.
        if (frame.id % 2 === 1) this.queue(() => encodeFrame(frame));
        return;
      case 'goaway':
        this.goneAway = true;
        if (this.streams.size === 0) this.outgoing = this.outgoing.then(() => this.transport.close());
        return;
      case 'settings':
      case 'window_update':
      case 'unknown':
        return;
    }
  }

  /** Accepts or refuses the stream a SYN_STREAM opens. */
  private open(id: number, flags: number, headers: SpdyHeaders): void {
    if (id % 2 === 0 || id <= this.lastStreamId) return this.sendReset(id, RstStatus.protocolError);
    this.lastStreamId = id;
    if (this.goneAway || this.streams.size >= this.options.maxStreams) return this.sendReset(id, RstStatus.refusedStream);
    const refusal = this.options.accept(headers);
    if (refusal !== undefined) {
      this.options.onRefused?.(refusal, headers);
      return this.sendReset(id, RstStatus.cancel);
    }
    const stream = new SpdyStream(id, headers, this);
    this.streams.set(id, stream);
    this.queue(async () => encodeFrame({ type: 'syn_reply', streamId: id, flags: 0, headerBlock: await this.deflater.compress([]) }));
    if (flags & FLAG_FIN) stream.receiveFin();
    this.options.onStream(stream);
  }

  /** A protocol violation: GOAWAY PROTOCOL_ERROR, then the connection closes. */
  private fail(): void {
    if (this.ended || this.goneAway) {
      this.transport.close();
      return;
    }
    this.close(GoAwayStatus.protocolError);
  }
}
