// pods/exec and pods/attach over WebSocket (channel.k8s.io v1/v4/v5), served in-process.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ExecHandler } from '../../types.js';
import { acceptChannelUpgrade } from './accept-upgrade.js';
import { REMOTE_COMMAND_PROTOCOLS } from './channel-protocol.js';
import { serveRemoteCommand, type RemoteCommandKind } from './remote-command.js';
import { validateExecParams, type ExecParams } from './stream-query.js';

export { parseAttachQuery, parseExecQuery, type ExecParams } from './stream-query.js';

/**
 * Upgrades a pods/exec request and runs `run(params.command, streams)` in it; the exit code is
 * reported on the error channel as the real cluster reports it. The caller has already resolved
 * the pod and container (and answered 404/400 for those itself).
 */
export function handleExecUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  params: ExecParams,
  run: ExecHandler,
): void {
  startSession(req, socket, head, params, run, 'exec');
}

/** Upgrades a pods/attach request; `run` gets an empty argv and its exit code is not reported. */
export function handleAttachUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  params: ExecParams,
  run: ExecHandler,
): void {
  startSession(req, socket, head, { ...params, command: [] }, run, 'attach');
}

/** Upgrades (after checking transport, then parameters) and serves one session. */
function startSession(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  params: ExecParams,
  run: ExecHandler,
  kind: RemoteCommandKind,
): void {
  const validate = (): string | undefined => validateExecParams(params, kind === 'exec');
  void acceptChannelUpgrade(req, socket, head, REMOTE_COMMAND_PROTOCOLS, validate)
    .then((accepted) => accepted && serveRemoteCommand(accepted.ws, accepted.protocol, params, run, kind))
    .catch(() => socket.destroy());
}
