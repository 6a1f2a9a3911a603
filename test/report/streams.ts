// Capturing output streams for reporter tests: a fake TTY (cursor moves as real escape codes) and a plain pipe.
import { clearLine, cursorTo, moveCursor, type Direction } from 'node:readline';
import { Writable } from 'node:stream';
import type { RunEvent } from '../../src/runner/events.js';
import { closeReporters, createReporters, fanOut, type CreateReportersOptions } from '../../src/report/reporter.js';

/** A stream that records everything written to it. */
export class CaptureStream extends Writable {
  private chunks: string[] = [];

  /** Everything written so far. */
  get text(): string {
    return this.chunks.join('');
  }

  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.chunks.push(chunk.toString());
    done();
  }
}

/** A capture stream that claims to be a TTY, with the cursor methods tty.WriteStream has. */
export class FakeTtyStream extends CaptureStream {
  readonly isTTY = true;
  readonly columns = 120;
  getColorDepth(): number {
    return 8;
  }
  cursorTo(x: number, y?: number): boolean {
    return y === undefined ? cursorTo(this, x) : cursorTo(this, x, y);
  }
  moveCursor(dx: number, dy: number): boolean {
    return moveCursor(this, dx, dy);
  }
  clearLine(dir: Direction): boolean {
    return clearLine(this, dir);
  }
}

/** Fixed clock: 2024-01-02T03:04:05Z. */
export const fixedNow = () => Date.UTC(2024, 0, 2, 3, 4, 5);

/** Replay events through reporters built from specs; returns what reached stdout. */
export async function replay(specs: string[], events: RunEvent[], opts: Partial<CreateReportersOptions> & { stdout: CaptureStream }): Promise<string> {
  const reporters = createReporters(specs, { env: {}, cwd: process.cwd(), now: fixedNow, ...opts });
  const sink = fanOut(reporters);
  for (const e of events) sink(e);
  await closeReporters(reporters);
  return opts.stdout.text;
}
