// kubectl's two ways into pods/portforward: a WebSocket whose binary messages carry a SPDY/3.1
// byte stream (sub-protocol SPDY/3.1+portforward.k8s.io, kubectl 1.31+; kube-apiserver's
// streamtunnel.go), and a plain HTTP upgrade to SPDY/3.1 (older kubectl, and the fallback when
// the WebSocket is refused; the kubelet's httpstream upgrade). Both end in the same SPDY session.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import { acceptChannelUpgrade } from './accept-upgrade.js';
import { SPDY_TUNNEL_PORT_FORWARD, parseProtocolHeader, toBuffer } from './channel-protocol.js';
import { serveSpdyPortForward, type SpdyPortConnector } from './spdy-portforward.js';
import type { SpdyTransport } from './spdy/index.js';
import { isSpdyUpgrade, isWebSocketUpgrade, rejectUpgrade } from './upgrade-errors.js';

/** Prefix kubectl puts before a SPDY protocol name to ask for it tunnelled in a WebSocket. */
const TUNNEL_PREFIX = 'SPDY/3.1+';
/** The one SPDY port-forward protocol the kubelet speaks. */
const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** Bytes queued in the transport beyond which senders wait for it to drain. */
const HIGH_WATER_MARK = 1 << 20;

/** True when `req` asks for port-forward over SPDY: a WebSocket offering a SPDY/3.1+ protocol, or Upgrade: SPDY/3.1. */
export function isSpdyPortForwardRequest(req: IncomingMessage): boolean {
  if (!isWebSocketUpgrade(req)) return isSpdyUpgrade(req);
  return parseProtocolHeader(req.headers['sec-websocket-protocol']).some((p) => p.startsWith(TUNNEL_PREFIX));
}

/** Upgrades a SPDY port-forward request (either transport) and serves it; `podRef` is "NAME, uid UID". */
export function handleSpdyPortForwardUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, connect: SpdyPortConnector, podRef: string): void {
  const tunnelled = isWebSocketUpgrade(req);
  // streamtunnel.go keeps the SPDY/3.1+ protocols of Kubernetes (".k8s.io") and hands them to the kubelet's handshake.
  const offered = tunnelled
    ? parseProtocolHeader(req.headers['sec-websocket-protocol'])
        .filter((p) => p.startsWith(TUNNEL_PREFIX) && p.endsWith('.k8s.io'))
        .map((p) => p.slice(TUNNEL_PREFIX.length))
    : parseProtocolHeader(req.headers['x-stream-protocol-version']);
  if (offered.length === 0) {
    const message = tunnelled ? 'unable to upgrade: no tunneling spdy protocols provided' : 'unable to upgrade: X-Stream-Protocol-Version is required';
    return rejectUpgrade(socket, 400, message);
  }
  if (!offered.includes(PORT_FORWARD_PROTOCOL)) {
    const message = `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server accepts [${PORT_FORWARD_PROTOCOL}]`;
    return rejectUpgrade(socket, 403, message);
  }
  if (!tunnelled) return serveUpgradedSocket(socket, head, connect, podRef);
  void acceptChannelUpgrade(req, socket, head, [SPDY_TUNNEL_PORT_FORWARD])
    .then((accepted) => accepted && serveTunnel(accepted.ws, connect, podRef))
    .catch(() => socket.destroy());
}

/** Answers 101 Switching Protocols and runs the session on the raw connection. */
function serveUpgradedSocket(socket: Duplex, head: Buffer, connect: SpdyPortConnector, podRef: string): void {
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n' +
      `X-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}\r\nDate: ${new Date().toUTCString()}\r\n\r\n`,
  );
  const transport: SpdyTransport = {
    write(bytes, flushed) {
      if (!socket.writable) return flushed();
      if (socket.write(bytes) || socket.writableLength <= HIGH_WATER_MARK) return flushed();
      const done = (): void => {
        socket.off('drain', done).off('close', done);
        flushed();
      };
      socket.on('drain', done).on('close', done);
    },
    pause: () => void socket.pause(),
    resume: () => void socket.resume(),
    close() {
      socket.end();
      setTimeout(() => socket.destroy(), 5000).unref();
    },
  };
  const session = serveSpdyPortForward(transport, connect, podRef);
  socket.on('error', () => undefined); // a reset connection ends in 'close'
  socket.once('close', () => session.end());
  socket.on('data', (bytes: Buffer) => session.receive(bytes));
  if (head.length > 0) session.receive(head);
}

/** Runs the session on a WebSocket: each binary message is a piece of the SPDY byte stream. */
function serveTunnel(ws: WebSocket, connect: SpdyPortConnector, podRef: string): void {
  const transport: SpdyTransport = {
    write(bytes, flushed) {
      if (ws.readyState !== WebSocket.OPEN) return flushed();
      if (ws.bufferedAmount + bytes.length <= HIGH_WATER_MARK) {
        ws.send(bytes, { binary: true });
        flushed();
      } else ws.send(bytes, { binary: true }, () => flushed());
    },
    pause: () => ws.pause(),
    resume: () => ws.resume(),
    close: () => ws.close(1000),
  };
  const session = serveSpdyPortForward(transport, connect, podRef);
  ws.once('close', () => session.end());
  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
    // client-go's tunnelling connection sends and accepts binary messages only.
    if (isBinary) session.receive(toBuffer(data));
    else ws.close(1003, 'SPDY tunnel messages must be binary');
  });
}
