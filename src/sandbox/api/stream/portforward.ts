// pods/portforward as the kubelet serves it. Over WebSocket (v4.channel.k8s.io, or no sub-protocol):
// per requested port i, data on channel 2i and errors on 2i+1, each opened with the port number as
// a little-endian uint16. kubectl's SPDY, plain or tunnelled in a WebSocket, goes to spdy-upgrade.ts.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import { acceptChannelUpgrade } from './accept-upgrade.js';
import { PORT_FORWARD_PROTOCOLS, decodeFrame, toBuffer } from './channel-protocol.js';
import { ForwardedPort } from './forwarded-port.js';
import { handleSpdyPortForwardUpgrade, isSpdyPortForwardRequest } from './spdy-upgrade.js';

export { parsePortForwardQuery } from './stream-query.js';

/** Opens a byte stream to `port` inside the pod. */
export type PortConnector = (port: number) => Promise<Duplex>;

/** Names used in error-channel messages ("error forwarding port P to pod POD, uid UID: ..."). */
export interface PortForwardOptions {
  /** Defaults to the pod name in the request path. */
  pod?: string;
  /** Defaults to '' (what the CRI streaming server passes). */
  uid?: string;
}

/**
 * Upgrades a pods/portforward request. SPDY clients (kubectl) name ports per stream, so `ports`
 * is ignored for them. Over the channel protocol each of `ports` is forwarded through `connect`;
 * a failed connect or a broken connection is reported on that port's error channel, and the
 * socket closes once every port's connection has ended.
 */
export function handlePortForwardUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  ports: number[],
  connect: PortConnector,
  options: PortForwardOptions = {},
): void {
  const pod = options.pod ?? podFromPath(req.url ?? '');
  const podRef = `${pod}, uid ${options.uid ?? ''}`;
  // SPDY clients (kubectl) send ports in stream headers, so the transport is checked first.
  if (isSpdyPortForwardRequest(req)) return handleSpdyPortForwardUpgrade(req, socket, head, connect, podRef);
  const validate = (): string | undefined => (ports.length === 0 ? 'query parameter "port" is required' : undefined);
  void acceptChannelUpgrade(req, socket, head, PORT_FORWARD_PROTOCOLS, validate)
    .then((accepted) => accepted && servePortForward(accepted.ws, ports, connect, podRef))
    .catch(() => socket.destroy());
}

/** Runs every port's forwarding on `ws` and closes it normally when all have finished. */
async function servePortForward(ws: WebSocket, ports: number[], connect: PortConnector, podRef: string): Promise<void> {
  const forwards = ports.map((port, index) => new ForwardedPort(ws, port, index, podRef));
  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
    const frame = decodeFrame(toBuffer(data));
    // Only the data channels (even numbers) are readable; anything else is ignored, as by the kubelet.
    if (frame && frame.channel % 2 === 0) forwards[frame.channel / 2]?.fromClient(frame.payload);
  });
  ws.once('close', () => forwards.forEach((forward) => forward.stop()));
  forwards.forEach((forward) => forward.announce());
  await Promise.all(forwards.map((forward) => forward.run(connect)));
  if (ws.readyState === WebSocket.OPEN) ws.close(1000);
}

/** The pod name in /api/v1/namespaces/NS/pods/NAME/portforward. */
function podFromPath(url: string): string {
  const match = /\/pods\/([^/?]+)\/portforward/.exec(url);
  return match ? decodeURIComponent(match[1]) : '';
}
