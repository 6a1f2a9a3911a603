// The channel.k8s.io WebSocket sub-protocols of exec, attach and port-forward: one binary
// message per write, whose first byte names the channel the rest belongs to.

/** Channel numbers of exec/attach, plus v5's close signal. */
export const Channel = {
  stdin: 0,
  stdout: 1,
  stderr: 2,
  error: 3,
  resize: 4,
  close: 255,
} as const;

/** Original binary protocol (also what an upgrade without Sec-WebSocket-Protocol gets). */
export const CHANNEL_V1 = 'channel.k8s.io';
/** v4: the error channel carries a JSON metav1.Status. */
export const CHANNEL_V4 = 'v4.channel.k8s.io';
/** v5: v4 plus the client's close signal (255, channel) to half-close a stream. */
export const CHANNEL_V5 = 'v5.channel.k8s.io';
/** kubectl's port-forward (1.31+): a SPDY/3.1 byte stream tunnelled in binary WebSocket messages. */
export const SPDY_TUNNEL_PORT_FORWARD = 'SPDY/3.1+portforward.k8s.io';

/** What exec/attach accept: kube-apiserver's stream translator (v5) and the kubelet's (v4, v1). */
export const REMOTE_COMMAND_PROTOCOLS: readonly string[] = [CHANNEL_V5, CHANNEL_V4, CHANNEL_V1];
/** What port-forward accepts by name over WebSocket (the kubelet's v4; an upgrade naming none also works). */
export const PORT_FORWARD_PROTOCOLS: readonly string[] = [CHANNEL_V4];

/** Splits Sec-WebSocket-Protocol (comma-separated, possibly repeated headers) into names. */
export function parseProtocolHeader(header: string | string[] | undefined): string[] {
  const joined = Array.isArray(header) ? header.join(',') : (header ?? '');
  return joined
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/**
 * Picks the sub-protocol the way the real servers' handshake does: the first one the client
 * offers that the server supports (clients list their best first). No offer at all selects ''
 * (binary, channel.k8s.io semantics); an offer with nothing supported selects undefined.
 */
export function negotiateProtocol(offered: readonly string[], supported: readonly string[]): string | undefined {
  if (offered.length === 0) return '';
  return offered.find((p) => supported.includes(p));
}

/** True when the negotiated protocol lets the client half-close a stream (v5). */
export function supportsCloseSignal(protocol: string): boolean {
  return protocol === CHANNEL_V5;
}

/** True when the error channel carries a JSON Status (v4, v5) rather than bare text (v1). */
export function usesStatusJson(protocol: string): boolean {
  return protocol === CHANNEL_V4 || protocol === CHANNEL_V5;
}

/** One binary message: the channel byte followed by the payload. */
export function encodeFrame(channel: number, payload: Uint8Array | string = new Uint8Array()): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const frame = Buffer.allocUnsafe(body.length + 1);
  frame[0] = channel;
  frame.set(body, 1);
  return frame;
}

/** Splits a received message into channel and payload; undefined for an empty message. */
export function decodeFrame(message: Buffer): { channel: number; payload: Buffer } | undefined {
  if (message.length === 0) return undefined;
  return { channel: message[0], payload: message.subarray(1) };
}

/** Normalizes what ws hands a message listener into one Buffer. */
export function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}
