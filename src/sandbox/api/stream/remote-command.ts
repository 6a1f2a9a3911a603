// One exec/attach session over an open channel WebSocket: stdin/stdout/stderr on their
// channels, the handler's outcome as a Status on the error channel, then a normal close.
import { PassThrough, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { WebSocket } from 'ws';
import type { ExecHandler } from '../../types.js';
import { Channel, decodeFrame, encodeFrame, supportsCloseSignal, toBuffer } from './channel-protocol.js';
import { createChannelWritable, createDiscardWritable } from './channel-writable.js';
import {
  buildInternalErrorStatus,
  buildKubeletExecStatus,
  buildSuccessStatus,
  encodeStatusPayload,
  type StreamStatus,
} from './exec-status.js';
import type { ExecParams } from './stream-query.js';

/** Which subresource a session serves: attach reports success whatever the exit code. */
export type RemoteCommandKind = 'exec' | 'attach';

/** Serves one session on `ws`; resolves once the status is sent or the client went away. */
export async function serveRemoteCommand(
  ws: WebSocket,
  protocol: string,
  params: ExecParams,
  run: ExecHandler,
  kind: RemoteCommandKind,
): Promise<void> {
  const controller = new AbortController();
  const stdin = params.stdin ? new PassThrough() : undefined;
  const stdout = params.stdout ? createChannelWritable(ws, Channel.stdout) : createDiscardWritable();
  // A TTY has one output stream: the command's stderr lands on stdout, as in a real terminal.
  const stderr = params.tty ? stdout : params.stderr ? createChannelWritable(ws, Channel.stderr) : createDiscardWritable();

  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => receiveFrame(ws, protocol, toBuffer(data), stdin));
  ws.once('close', () => {
    controller.abort();
    stdin?.end();
  });
  announceOpen(ws, params);

  let status: StreamStatus;
  try {
    const code = await run(params.command, { stdin, stdout, stderr, tty: params.tty, signal: controller.signal });
    status = kind === 'attach' ? buildSuccessStatus() : buildKubeletExecStatus(params.command, normalizeExitCode(code));
  } catch (error) {
    const verb = kind === 'attach' ? 'attaching to container' : 'executing command in container';
    status = buildInternalErrorStatus(`error ${verb}: ${error instanceof Error ? error.message : String(error)}`);
  }
  ws.resume(); // input the command left unread must not hold back the close handshake
  await Promise.all([endWritable(stdout), endWritable(stderr)]);
  if (controller.signal.aborted || ws.readyState !== WebSocket.OPEN) return;
  const payload = encodeStatusPayload(status, protocol);
  if (payload !== undefined) ws.send(encodeFrame(Channel.error, payload), { binary: true });
  ws.close(1000);
}

/** Sends the empty message on the lowest writable channel that tells clients the session is up. */
function announceOpen(ws: WebSocket, params: ExecParams): void {
  const channel = params.stdout ? Channel.stdout : params.stderr ? Channel.stderr : Channel.error;
  ws.send(encodeFrame(channel), { binary: true });
}

/** Routes one client message: stdin data, v5's close signal for stdin; resize and the rest are ignored. */
function receiveFrame(ws: WebSocket, protocol: string, message: Buffer, stdin: PassThrough | undefined): void {
  const frame = decodeFrame(message);
  if (!frame || !stdin || stdin.writableEnded) return;
  if (frame.channel === Channel.stdin && frame.payload.length > 0) {
    if (!stdin.write(frame.payload) && !ws.isPaused) {
      // Backpressure: stop reading the socket until the command has consumed its input.
      ws.pause();
      stdin.once('drain', () => ws.resume());
    }
  } else if (frame.channel === Channel.close && supportsCloseSignal(protocol) && frame.payload[0] === Channel.stdin) {
    stdin.end();
  }
}

/** Flushes and ends a stream the handler may already have ended. */
async function endWritable(stream: Writable): Promise<void> {
  if (!stream.writableEnded) stream.end();
  await finished(stream).catch(() => undefined);
}

/** Maps a handler's return value to a process exit status (0–255), as waitpid would report it. */
function normalizeExitCode(code: number): number {
  const integer = Number.isFinite(code) ? Math.trunc(code) : 1;
  return ((integer % 256) + 256) % 256;
}
