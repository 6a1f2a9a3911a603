// HTTP errors for streaming requests that cannot be upgraded, as a Status body the clients
// decode: unsupported sub-protocols, SPDY for exec/attach (only port-forward speaks it), bad parameters.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { parseProtocolHeader } from './channel-protocol.js';

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  500: 'InternalError',
};
const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
};

/** Message the sandbox returns for a SPDY upgrade of exec or attach, so kubectl's fallback error explains itself. */
export const SPDY_NOT_SUPPORTED_MESSAGE =
  'SPDY is not supported by the istio-lab sandbox API server for exec and attach: they work over WebSocket ' +
  '(kubectl 1.30+, @kubernetes/client-node); port-forward works over SPDY and WebSocket alike';

/** A failure metav1.Status object as the API server serializes it. */
export function buildFailureStatus(code: number, message: string, reason = REASONS[code] ?? 'Unknown'): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

/** True when the request asks for a WebSocket upgrade. */
export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return /\bwebsocket\b/i.test(req.headers.upgrade ?? '') && /\bupgrade\b/i.test(req.headers.connection ?? '');
}

/** True when the request asks for a SPDY/3.1 upgrade (kubectl's legacy and fallback transport). */
export function isSpdyUpgrade(req: IncomingMessage): boolean {
  return /^spdy\//i.test((req.headers.upgrade ?? '').trim());
}

/** Answers an upgrade request on its raw socket with an HTTP error and a Status body, then closes it. */
export function rejectUpgrade(socket: Duplex, code: number, message: string, reason?: string): void {
  const body = JSON.stringify(buildFailureStatus(code, message, reason));
  const head = [
    `HTTP/1.1 ${code} ${STATUS_TEXT[code] ?? 'Error'}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  if (socket.writable) socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  else socket.destroy();
}

/**
 * Rejects an upgrade the sandbox cannot serve: SPDY to exec/attach (400, SPDY_NOT_SUPPORTED_MESSAGE) or a WebSocket
 * whose offered sub-protocols are all unsupported (403, as the real handshake answers).
 */
export function rejectUnsupportedUpgrade(req: IncomingMessage, socket: Duplex, supported: readonly string[]): void {
  if (!isWebSocketUpgrade(req)) {
    const upgrade = req.headers.upgrade ?? '';
    rejectUpgrade(socket, 400, isSpdyUpgrade(req) ? SPDY_NOT_SUPPORTED_MESSAGE : `unsupported upgrade "${upgrade}"`);
    return;
  }
  const offered = parseProtocolHeader(req.headers['sec-websocket-protocol']);
  let message = `unable to upgrade websocket connection: requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${supported.join(' ')}]`;
  if (offered.some((p) => p.toUpperCase().startsWith('SPDY/'))) message += `; ${SPDY_NOT_SUPPORTED_MESSAGE}`;
  rejectUpgrade(socket, 403, message);
}

/** Answers a plain (non-upgrade) request to a streaming subresource as kube-apiserver does. */
export function respondUpgradeRequired(res: ServerResponse): void {
  const body = JSON.stringify(buildFailureStatus(400, 'Upgrade request required'));
  res.writeHead(400, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
