// pods/portforward over a SPDY session as the kubelet serves it (kubelet
// cri/streaming/portforward/httpstream.go): per forwarded connection the client opens an error
// stream and a data stream sharing a `requestid`; once both are there the data stream is wired
// to the pod's port, a failure is written on the error stream, and both are half-closed.
import type { Duplex } from 'node:stream';
import { finished } from 'node:stream/promises';
import { SpdySession, firstHeader, type SpdyHeaders, type SpdyStream, type SpdyTransport } from './spdy/index.js';

/** Opens a byte stream to `port` inside the pod. */
export type SpdyPortConnector = (port: number) => Promise<Duplex>;

/** Streams one session may have open (two per forwarded connection). */
export const MAX_STREAMS_PER_SESSION = 256;
/** How long a pair may wait for its second stream (the kubelet's default streamCreationTimeout). */
const STREAM_CREATION_TIMEOUT_MS = 30_000;
/** How long the other direction may go on once one has ended (containerd's 1s). */
const LINGER_MS = 1000;

/** Why the kubelet would refuse a stream with these headers, or undefined (httpStreamReceived). */
export function validateStreamHeaders(headers: SpdyHeaders): string | undefined {
  const port = firstHeader(headers, 'port');
  if (!port) return '"port" header is required';
  if (!/^\d+$/.test(port)) return `unable to parse "${port}" as a port: strconv.ParseUint: parsing "${port}": invalid syntax`;
  if (Number(port) > 65535) return `unable to parse "${port}" as a port: strconv.ParseUint: parsing "${port}": value out of range`;
  if (Number(port) < 1) return `port "${port}" must be > 0`;
  const type = firstHeader(headers, 'streamtype');
  if (!type) return '"streamType" header is required';
  if (type !== 'error' && type !== 'data') return `invalid stream type "${type}"`;
  return undefined;
}

/** The error and data streams of one forwarded connection. */
interface StreamPair {
  id: string;
  error?: SpdyStream;
  data?: SpdyStream;
  timer: NodeJS.Timeout;
}

/** Serves port-forward on a SPDY connection; `podRef` names the pod in error messages ("NAME, uid UID"). */
export function serveSpdyPortForward(transport: SpdyTransport, connect: SpdyPortConnector, podRef: string): SpdySession {
  const pairs = new Map<string, StreamPair>();
  const session = new SpdySession(transport, {
    maxStreams: MAX_STREAMS_PER_SESSION,
    accept: validateStreamHeaders,
    onStream(stream) {
      const type = firstHeader(stream.headers, 'streamtype');
      if (type === 'error') stream.resume(); // the client writes nothing here; its FIN must still be read
      const id = requestIdOf(stream);
      let pair = pairs.get(id);
      if (!pair) {
        const created: StreamPair = { id, timer: setTimeout(() => expire(created), STREAM_CREATION_TIMEOUT_MS).unref() };
        pairs.set(id, (pair = created));
      }
      if (pair[type === 'error' ? 'error' : 'data']) {
        printError(pair, `error processing stream for request ${id}: ${type} stream already assigned`);
        stream.reset();
        return;
      }
      pair[type === 'error' ? 'error' : 'data'] = stream;
      if (pair.error && pair.data) {
        clearTimeout(pair.timer);
        pairs.delete(id);
        void forward(pair.error, pair.data, connect, podRef);
      }
    },
  });
  const expire = (pair: StreamPair): void => {
    pairs.delete(pair.id);
    printError(pair, `(conn=${podRef}, request=${pair.id}) timed out waiting for streams`);
    if (pair.error?.writable) pair.error.end();
    pair.data?.reset();
  };
  return session;
}

/** The request id, or for clients that send none the kubelet's guess from the stream id. */
function requestIdOf(stream: SpdyStream): string {
  const id = firstHeader(stream.headers, 'requestid');
  if (id) return id;
  return String(firstHeader(stream.headers, 'streamtype') === 'error' ? stream.id : stream.id - 2);
}

function printError(pair: StreamPair, message: string): void {
  if (pair.error?.writable) pair.error.write(message);
}

/** Connects the data stream to the pod's port and pumps until one side is done. */
async function forward(error: SpdyStream, data: SpdyStream, connect: SpdyPortConnector, podRef: string): Promise<void> {
  const port = Number(firstHeader(data.headers, 'port'));
  let failure: unknown;
  try {
    const target = await connect(port);
    if (data.destroyed) target.destroy();
    else failure = await pump(data, target);
  } catch (err) {
    failure = err;
  }
  if (failure !== undefined) {
    const reason = failure instanceof Error ? failure.message : String(failure);
    if (error.writable) error.write(`error forwarding port ${port} to pod ${podRef}: ${reason}`);
  }
  data.resume(); // unread input is dropped, so the client's FIN can close the stream
  // The kubelet closes the error stream first, then the data stream.
  if (error.writable) error.end();
  await finished(error, { readable: false }).catch(() => undefined);
  if (data.writable) data.end();
}

/** Copies both ways; resolves (with the connection's error, if any) once the forwarding is over. */
function pump(data: SpdyStream, target: Duplex): Promise<Error | undefined> {
  return new Promise((resolve) => {
    let linger: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (failure?: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(linger);
      data.unpipe(target);
      target.unpipe(data);
      target.end();
      setTimeout(() => target.destroy(), LINGER_MS).unref();
      resolve(failure);
    };
    // Whichever direction ends first, the other gets LINGER_MS to finish, as containerd does.
    const lingerThenFinish = (): void => void (linger ??= setTimeout(() => finish(), LINGER_MS));
    data.pipe(target, { end: false });
    target.pipe(data, { end: false });
    data.once('end', lingerThenFinish);
    target.once('end', lingerThenFinish);
    target.once('close', () => finish());
    target.on('error', (err: Error) => finish(err));
    data.once('close', () => finish());
  });
}
