// Where a reporter's text goes: a live stream (stdout) or a file written once at close; either way
// with credentials redacted (redact.ts), whatever the reporter rendered.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { redactText } from './redact.js';
import type { TerminalStream } from './terminal.js';

/** A text destination. */
export interface ReportOutput {
  /** The live stream, for terminal libraries (spinners); undefined for files. */
  readonly stream?: TerminalStream;
  /** Human-readable destination (`stdout` or the file path), for messages. */
  readonly label: string;
  /** Append text (a file output buffers it until close). */
  write(text: string): void;
  /** Flush: wait for the stream to drain, or create the file's folder and write it. */
  close(): Promise<void>;
}

/** Output that writes straight to a stream and never ends it. */
export function createStreamOutput(stream: TerminalStream, label = 'stdout'): ReportOutput {
  return {
    stream,
    label,
    write: (text) => void stream.write(redactText(text)),
    close: () => new Promise<void>((resolve) => stream.write('', () => resolve())),
  };
}

/** Output that buffers text and writes the file at `path` (absolute) on close. */
export function createFileOutput(path: string): ReportOutput {
  const chunks: string[] = [];
  return {
    label: path,
    write: (text) => void chunks.push(redactText(text)),
    async close() {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, chunks.join(''), 'utf8');
    },
  };
}
