// A container's log as the kubelet keeps it: timestamped lines in a bounded ring, plus followers,
// and `writeContainerLog`, which serves GET pods/<name>/log options (tail, since, timestamps, limit, follow).
import type { Writable } from 'node:stream';
import type { Clock } from './determinism.js';
import type { LogOptions } from './pod-runtime.js';

/** One log line and when it was written. */
export interface LogLine {
  time: Date;
  text: string;
}

/** Default number of lines a container log keeps (older lines are dropped, like rotated files). */
export const DEFAULT_LOG_CAPACITY = 5000;

/** The lines one container has written, and the streams following it. */
export class ContainerLog {
  private readonly ring: LogLine[] = [];
  private readonly followers = new Set<{ line(l: LogLine): void; end(): void }>();
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly capacity = DEFAULT_LOG_CAPACITY,
  ) {}

  /** True once the container has exited or been stopped: followers are done. */
  get ended(): boolean {
    return this.closed;
  }

  /** Appends text; each `\n`-separated part is its own line (a trailing newline adds no empty line). */
  append(text: string): void {
    if (this.closed) return;
    const time = this.clock.now();
    const parts = !text.includes('\n') ? [text] : text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
    for (const part of parts) {
      const line = { time, text: part };
      this.ring.push(line);
      for (const f of this.followers) f.line(line);
    }
    // Dropped in batches: one splice per capacity/4 lines instead of a 5000-slot shift on every line.
    if (this.ring.length > this.capacity + Math.max(1, this.capacity >> 2)) this.ring.splice(0, this.ring.length - this.capacity);
  }

  /** The retained lines, oldest first. */
  lines(): LogLine[] {
    return this.ring.slice(Math.max(0, this.ring.length - this.capacity));
  }

  /** Marks the log finished (container exited); followers end. */
  end(): void {
    if (this.closed) return;
    this.closed = true;
    for (const f of this.followers) f.end();
    this.followers.clear();
  }

  /** Receives every later line until `end`; returns the unsubscribe function. */
  follow(line: (l: LogLine) => void, end: () => void): () => void {
    if (this.closed) {
      end();
      return () => undefined;
    }
    const follower = { line, end };
    this.followers.add(follower);
    return () => this.followers.delete(follower);
  }
}

/** The kubelet's timestamp prefix: RFC 3339 with a fixed nine-digit fraction (`…T10:00:00.123000000Z`). */
export function formatLogTimestamp(t: Date): string {
  return t.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/** Writes `log` to `out` per `options`; with follow, keeps writing until `signal` aborts or the log ends. */
export async function writeContainerLog(log: ContainerLog, options: LogOptions, now: Date, out: Writable, signal: AbortSignal): Promise<void> {
  const since = sinceOf(options, now);
  let lines = log.lines();
  if (options.tailLines !== undefined && options.tailLines >= 0) lines = options.tailLines === 0 ? [] : lines.slice(-options.tailLines);
  if (since !== undefined) lines = lines.filter((l) => l.time.getTime() >= since);
  let remaining = options.limitBytes !== undefined && options.limitBytes > 0 ? options.limitBytes : Infinity;
  /** Writes one line; false once the byte limit is reached. */
  const emit = (l: LogLine): boolean => {
    if (remaining <= 0 || out.writableEnded || out.destroyed) return false;
    const bytes = Buffer.from(`${options.timestamps ? `${formatLogTimestamp(l.time)} ` : ''}${l.text}\n`);
    const chunk = bytes.length > remaining ? bytes.subarray(0, remaining) : bytes;
    remaining -= chunk.length;
    out.write(chunk);
    return remaining > 0;
  };
  for (const l of lines) if (!emit(l)) return;
  if (!options.follow || signal.aborted || log.ended) return;
  await new Promise<void>((resolve) => {
    let unfollow = () => {};
    const done = () => {
      unfollow();
      signal.removeEventListener('abort', done);
      out.off('close', done);
      resolve();
    };
    unfollow = log.follow((l) => {
      if (!emit(l)) done();
    }, done);
    signal.addEventListener('abort', done, { once: true });
    out.once('close', done);
  });
}

/** The earliest time to include, from sinceTime (wins) or sinceSeconds; undefined = everything. */
function sinceOf(options: LogOptions, now: Date): number | undefined {
  if (options.sinceTime) {
    // Date.parse handles at most millisecond fractions; drop the rest of a nanosecond timestamp.
    const t = Date.parse(options.sinceTime.replace(/(\.\d{3})\d+/, '$1'));
    if (!Number.isNaN(t)) return t;
  }
  if (options.sinceSeconds !== undefined && options.sinceSeconds > 0) return now.getTime() - options.sinceSeconds * 1000;
  return undefined;
}
