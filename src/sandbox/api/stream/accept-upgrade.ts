// Completes a WebSocket upgrade for a streaming subresource after negotiating its channel
// sub-protocol, or answers the request with the HTTP error a real server would give.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { negotiateProtocol, parseProtocolHeader } from './channel-protocol.js';
import { isWebSocketUpgrade, rejectUnsupportedUpgrade, rejectUpgrade } from './upgrade-errors.js';

/** An open channel WebSocket and the sub-protocol it speaks ('' when the client named none). */
export interface AcceptedChannelSocket {
  ws: WebSocket;
  protocol: string;
}

/**
 * Upgrades `req` to a WebSocket speaking the best of `supported` the client offers. Resolves
 * undefined after answering with an error: SPDY or no common sub-protocol first, then a 400 with
 * whatever `validate` objects to (checked only for a usable WebSocket), then a malformed handshake.
 */
export function acceptChannelUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  supported: readonly string[],
  validate: () => string | undefined = () => undefined,
): Promise<AcceptedChannelSocket | undefined> {
  const protocol = negotiateProtocol(parseProtocolHeader(req.headers['sec-websocket-protocol']), supported);
  if (!isWebSocketUpgrade(req) || protocol === undefined) {
    rejectUnsupportedUpgrade(req, socket, supported);
    return Promise.resolve(undefined);
  }
  const invalid = validate();
  if (invalid !== undefined) {
    rejectUpgrade(socket, 400, invalid);
    return Promise.resolve(undefined);
  }
  // ws takes only RFC 7230 tokens as sub-protocols, and kubectl's SPDY/3.1+portforward.k8s.io has
  // a '/' (gorilla/websocket, kube-apiserver's library, takes it). The choice is made, so ws is
  // shown a stand-in and answers with the real name through handleProtocols.
  if (protocol) req.headers['sec-websocket-protocol'] = 'negotiated';
  const server = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    handleProtocols: () => protocol || false,
  });
  return new Promise((resolve) => {
    server.on('wsClientError', (error: Error, failed: Duplex) => {
      rejectUpgrade(failed, 400, `unable to upgrade websocket connection: ${error.message}`);
      resolve(undefined);
    });
    server.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => undefined); // protocol errors end in 'close', which the session handles
      resolve({ ws, protocol });
    });
  });
}
