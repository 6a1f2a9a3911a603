// Test helper: the client end of an in-memory SPDY connection to a server SpdySession, with its
// own frame decoder and per-direction zlib contexts, recording every frame the server sends.
import {
  FrameDecoder,
  HeaderCompressor,
  HeaderDecompressor,
  encodeFrame,
  type SpdyFrame,
  type SpdyHeaders,
  type SpdySession,
  type SpdyTransport,
} from '../../../src/sandbox/api/stream/spdy/index.js';

/** A frame the server sent, with its header block inflated. */
export type ReceivedFrame = SpdyFrame & { headers?: SpdyHeaders };

/** The client side; `session` is built on the transport this client provides. */
export class SpdyTestClient {
  readonly frames: ReceivedFrame[] = [];
  readonly session: SpdySession;
  closed = false;
  paused = false;
  private readonly decoder = new FrameDecoder();
  private readonly deflater = new HeaderCompressor();
  private readonly inflater = new HeaderDecompressor();
  private inbound: Promise<void> = Promise.resolve();

  constructor(createSession: (transport: SpdyTransport) => SpdySession) {
    this.session = createSession({
      write: (bytes, flushed) => {
        for (const frame of this.decoder.push(bytes)) this.inbound = this.inbound.then(() => this.record(frame));
        flushed();
      },
      pause: () => void (this.paused = true),
      resume: () => void (this.paused = false),
      close: () => {
        this.closed = true;
        this.session.end();
      },
    });
  }

  /** Opens stream `id` with `headers`. */
  async open(id: number, headers: Record<string, string>, flags = 0): Promise<void> {
    const headerBlock = await this.deflater.compress(Object.entries(headers));
    this.session.receive(encodeFrame({ type: 'syn_stream', streamId: id, associatedId: 0, priority: 0, slot: 0, flags, headerBlock }));
  }

  /** Sends any frame as bytes, optionally cut in two to exercise reassembly. */
  send(frame: SpdyFrame, splitAt?: number): void {
    const bytes = encodeFrame(frame);
    if (splitAt === undefined) return this.session.receive(bytes);
    this.session.receive(bytes.subarray(0, splitAt));
    this.session.receive(bytes.subarray(splitAt));
  }

  /** Sends DATA on `id` (FIN when `fin`). */
  data(id: number, payload: string | Buffer, fin = false): void {
    this.send({ type: 'data', streamId: id, flags: fin ? 1 : 0, data: Buffer.from(payload) });
  }

  /** Waits until some received frame matches. */
  async waitFor(match: (frame: ReceivedFrame) => boolean, timeoutMs = 3000): Promise<ReceivedFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.inbound;
      const found = this.frames.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching frame; got ${JSON.stringify(this.frames.map((f) => f.type))}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Every DATA payload received on `id`, concatenated. */
  dataOn(id: number): string {
    return Buffer.concat(this.frames.flatMap((f) => (f.type === 'data' && f.streamId === id ? [f.data] : []))).toString();
  }

  /** True once the server sent FIN on `id`. */
  finished(id: number): boolean {
    return this.frames.some((f) => f.type === 'data' && f.streamId === id && (f.flags & 1) === 1);
  }

  private async record(frame: SpdyFrame): Promise<void> {
    const headers = 'headerBlock' in frame ? await this.inflater.decompress(frame.headerBlock) : undefined;
    this.frames.push({ ...frame, headers });
  }
}
