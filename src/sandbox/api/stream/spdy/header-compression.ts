// Header block compression (§2.6.10.1): one zlib context per connection and direction, seeded
// with the SPDY/3 dictionary, each block ending on a sync flush so the peer can inflate it alone.
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary.js';
import { SpdyProtocolError } from './frame.js';
import { decodeHeaderBlock, encodeHeaderBlock, type SpdyHeaders } from './header-block.js';

/** Compresses the header blocks this endpoint sends, in order. */
export class HeaderCompressor {
  private readonly deflate = createDeflate({ dictionary: SPDY3_DICTIONARY, level: constants.Z_BEST_COMPRESSION });
  private readonly context = new ZlibContext(this.deflate, Number.POSITIVE_INFINITY);

  /** The compressed block for `headers`. */
  compress(headers: Iterable<[string, string | readonly string[]]>): Promise<Buffer> {
    return this.context.run(encodeHeaderBlock(headers));
  }

  /** Frees the zlib context. */
  close(): void {
    this.deflate.destroy();
  }
}

/** Inflates the header blocks the peer sends, in order; a block may inflate to at most `maxBytes`. */
export class HeaderDecompressor {
  private readonly inflate = createInflate({ dictionary: SPDY3_DICTIONARY });
  private readonly context: ZlibContext;

  constructor(maxBytes = 1 << 16) {
    this.context = new ZlibContext(this.inflate, maxBytes);
  }

  /** The headers in one compressed block; rejects with SpdyProtocolError when it cannot be read. */
  async decompress(block: Buffer): Promise<SpdyHeaders> {
    return decodeHeaderBlock(await this.context.run(block));
  }

  /** Frees the zlib context. */
  close(): void {
    this.inflate.destroy();
  }
}

/** Runs one input at a time through a persistent zlib stream, collecting what a sync flush yields. */
class ZlibContext {
  private queue: Promise<unknown> = Promise.resolve();
  private collected: Buffer[] = [];
  private total = 0;
  private failure: Error | undefined;
  private settle: (() => void) | undefined;

  constructor(
    private readonly stream: Deflate | Inflate,
    private readonly maxBytes: number,
  ) {
    stream.on('data', (chunk: Buffer) => {
      this.total += chunk.length;
      if (this.total > this.maxBytes) this.failure ??= new SpdyProtocolError(`header block inflates beyond ${this.maxBytes} bytes`);
      else this.collected.push(chunk);
    });
    stream.on('error', (error: Error) => {
      this.failure ??= new SpdyProtocolError(`header block: ${error.message}`);
      this.settle?.();
    });
  }

  /** Queues `input`; resolves with its output once every earlier input has been processed. */
  run(input: Buffer): Promise<Buffer> {
    const result = this.queue.then(() => this.transform(input));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private transform(input: Buffer): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.collected = [];
      this.total = 0;
      this.settle = () => {
        this.settle = undefined;
        while (!this.failure && this.stream.read() !== null); // emits anything still buffered to the listener
        if (this.failure) reject(this.failure);
        else resolve(Buffer.concat(this.collected));
      };
      this.stream.write(input);
      this.stream.flush(constants.Z_SYNC_FLUSH, () => this.settle?.());
    });
  }
}
