// RESP, the redis protocol: commands as arrays of bulk strings, replies as simple strings, errors,
// integers, bulk strings (null = nil) and arrays. The sandbox's pod network carries HTTP only, so a
// client's pipeline travels as the body of one POST (content-type `application/x-redis-resp`, a sandbox
// convention) and the replies come back as the response body; a real client writes the same bytes on
// the raw TCP connection. `redisPipeline` is that client (what envoyproxy/ratelimit's radix pool does).
import type { KubeObject } from '../types.js';
import type { PodNetwork } from '../mesh/types.js';

/** An error reply (`-ERR …`). */
export class RespError {
  constructor(readonly message: string) {}
}

/** A simple-string reply (`+OK`). */
export class RespSimple {
  constructor(readonly text: string) {}
}

/** A reply: integer, bulk string, nil, array, error or simple string. */
export type RespValue = number | string | null | RespValue[] | RespError | RespSimple;

/** The content type the sandbox uses for RESP over its HTTP-only pod network. */
export const respContentType = 'application/x-redis-resp';

/** One command as a RESP array of bulk strings. */
export function encodeCommand(args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

/** One reply in RESP. */
export function encodeReply(v: RespValue): string {
  if (v instanceof RespError) return `-${v.message}\r\n`;
  if (v instanceof RespSimple) return `+${v.text}\r\n`;
  if (v === null) return '$-1\r\n';
  if (typeof v === 'number') return `:${v}\r\n`;
  if (Array.isArray(v)) return `*${v.length}\r\n${v.map(encodeReply).join('')}`;
  return `$${Buffer.byteLength(v)}\r\n${v}\r\n`;
}

/** Parse consecutive RESP values (commands or replies); inline commands (`PING\r\n`) become word arrays. */
export function parseResp(text: string): RespValue[] {
  let pos = 0;
  const line = () => {
    const end = text.indexOf('\r\n', pos);
    if (end < 0) throw new Error('Protocol error: unterminated line');
    const s = text.slice(pos, end);
    pos = end + 2;
    return s;
  };
  const value = (): RespValue => {
    const l = line();
    const rest = l.slice(1);
    switch (l[0]) {
      case '+':
        return new RespSimple(rest);
      case '-':
        return new RespError(rest);
      case ':':
        return Number(rest);
      case '$': {
        const n = Number(rest);
        if (n < 0) return null;
        const bytes = Buffer.from(text.slice(pos), 'utf8').subarray(0, n).toString('utf8');
        pos += bytes.length + 2;
        return bytes;
      }
      case '*': {
        const n = Number(rest);
        return n < 0 ? null : Array.from({ length: n }, value);
      }
      default:
        return l.split(/\s+/).filter(Boolean);
    }
  };
  const out: RespValue[] = [];
  while (pos < text.length) out.push(value());
  return out;
}

/** Sends `commands` to redis at `hostPort` from `pod`; resolves the replies, rejects the way a redis client fails. */
export async function redisPipeline(network: PodNetwork, pod: KubeObject, hostPort: string, commands: string[][], timeoutMs = 5000): Promise<RespValue[]> {
  const r = await network.fetch(pod, `http://${hostPort}/`, { method: 'POST', headers: { 'content-type': respContentType }, body: Buffer.from(commands.map(encodeCommand).join('')), timeoutMs });
  if ('failure' in r) throw new Error(r.failure === 'dns' ? `dial tcp: lookup ${hostPort.split(':')[0]}: no such host` : `dial tcp ${hostPort}: ${r.failure === 'timeout' ? 'i/o timeout' : 'connect: connection refused'}`);
  // Through a sidecar, a redis with no ready endpoint shows as a connection the proxy accepts and closes.
  if (r.status !== 200 || !String(r.headers['content-type'] ?? '').startsWith(respContentType)) throw new Error('EOF');
  return parseResp(r.body.toString('utf8'));
}
