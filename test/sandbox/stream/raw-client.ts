// Test helper: a bare `ws` client for the fake cluster that records every channel frame, for
// checking wire details (sub-protocol, opening message, status bytes) no real client exposes.
import { Readable } from 'node:stream';
import { WebSocket } from 'ws';
import type { FakeCluster } from './fake-cluster.js';

/** One received message split into channel byte and payload. */
export interface Frame {
  channel: number;
  payload: Buffer;
}

/** An open session: negotiated protocol, frames so far, and the close that ends it. */
export interface RawSession {
  ws: WebSocket;
  protocol: string;
  frames: Frame[];
  closed: Promise<{ code: number }>;
  /** Concatenated payloads received on `channel`, as UTF-8. */
  text(channel: number): string;
}

/** A refused upgrade: HTTP status and parsed body. */
export interface Refusal {
  statusCode: number;
  body: any;
}

/** Opens `path` with the given sub-protocols; resolves the session or the HTTP refusal. */
export function connectRaw(cluster: FakeCluster, path: string, protocols: string[]): Promise<RawSession | Refusal> {
  const url = `${cluster.server.replace('https://', 'wss://')}${path}`;
  const ws = new WebSocket(url, protocols, { ca: cluster.caPem, headers: { Authorization: `Bearer ${cluster.token}` } });
  const frames: Frame[] = [];
  ws.on('message', (data: Buffer) => frames.push({ channel: data[0], payload: data.subarray(1) }));
  const closed = new Promise<{ code: number }>((resolve) => ws.once('close', (code) => resolve({ code })));
  return new Promise((resolve, reject) => {
    ws.once('open', () =>
      resolve({
        ws,
        protocol: ws.protocol,
        frames,
        closed,
        text: (channel) =>
          Buffer.concat(frames.filter((f) => f.channel === channel).map((f) => f.payload)).toString('utf8'),
      }),
    );
    ws.once('unexpected-response', (_req, res) => {
      void readAll(res).then((text) => {
        ws.terminate();
        resolve({ statusCode: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
      });
    });
    ws.once('error', reject);
  });
}

/** Narrows a connectRaw result to an open session, failing the test otherwise. */
export function expectSession(result: RawSession | Refusal): RawSession {
  if ('ws' in result) return result;
  throw new Error(`upgrade refused with ${result.statusCode}: ${JSON.stringify(result.body)}`);
}

/** Narrows a connectRaw result to a refusal, failing the test otherwise. */
export function expectRefusal(result: RawSession | Refusal): Refusal {
  if ('statusCode' in result) return result;
  result.ws.terminate();
  throw new Error(`upgrade unexpectedly accepted with protocol "${result.protocol}"`);
}

/** Reads a stream to its end as UTF-8. */
export async function readAll(stream: Readable | NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
