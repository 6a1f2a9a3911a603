// One forwarded port of a port-forward WebSocket: its data channel (2i) pumped both ways
// to the connection `connect` opened, failures reported as text on its error channel (2i+1).
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import { encodeFrame } from './channel-protocol.js';

/** How long a connection that ended its side stays writable before it is torn down (containerd's 1s). */
const LINGER_MS = 1000;
/** Bytes queued in the WebSocket beyond which reading from the connection pauses. */
const HIGH_WATER_MARK = 1 << 20;

/** Forwarding state of port number `index` in the request's list. */
export class ForwardedPort {
  private target: Duplex | undefined;
  private readonly pending: Buffer[] = [];
  private stopped = false;
  private finish: (() => void) | undefined;

  constructor(
    private readonly ws: WebSocket,
    readonly port: number,
    private readonly index: number,
    private readonly podRef: string,
  ) {}

  /** Sends the port number (uint16 little-endian) as the first message of both channels. */
  announce(): void {
    const port = Buffer.alloc(2);
    port.writeUInt16LE(this.port);
    this.send(this.dataChannel, port);
    this.send(this.dataChannel + 1, port);
  }

  /** Bytes the client sent on the data channel; held until the connection is open. */
  fromClient(payload: Buffer): void {
    if (this.stopped || payload.length === 0) return;
    if (!this.target) {
      this.pending.push(Buffer.from(payload));
      return;
    }
    if (!this.target.write(payload) && !this.ws.isPaused) {
      this.ws.pause();
      this.target.once('drain', () => this.ws.resume());
    }
  }

  /** Connects and pumps until either side is done; resolves when this port has finished. */
  async run(connect: (port: number) => Promise<Duplex>): Promise<void> {
    let target: Duplex;
    try {
      target = await connect(this.port);
    } catch (error) {
      this.reportError(error);
      return;
    }
    if (this.stopped) {
      target.destroy();
      return;
    }
    this.target = target;
    for (const chunk of this.pending.splice(0)) target.write(chunk);
    await this.pump(target);
  }

  /** The client went away: end the connection. */
  stop(): void {
    this.stopped = true;
    this.finish?.();
  }

  private get dataChannel(): number {
    return this.index * 2;
  }

  /** Copies connection output to the data channel until the connection closes or fails. */
  private pump(target: Duplex): Promise<void> {
    return new Promise((resolve) => {
      let linger: NodeJS.Timeout | undefined;
      const finish = (): void => {
        if (!this.finish) return;
        this.finish = undefined;
        clearTimeout(linger);
        target.end();
        setTimeout(() => target.destroy(), LINGER_MS).unref();
        resolve();
      };
      this.finish = finish;
      target.on('data', (chunk: Buffer) => {
        if (this.ws.bufferedAmount + chunk.length <= HIGH_WATER_MARK) this.send(this.dataChannel, chunk);
        else {
          target.pause();
          this.send(this.dataChannel, chunk, () => target.resume());
        }
      });
      target.once('end', () => (linger = setTimeout(finish, LINGER_MS)));
      target.once('close', finish);
      target.once('error', (error) => {
        this.reportError(error);
        finish();
      });
      if (this.stopped) finish();
    });
  }

  /** Writes the kubelet's forwarding error text on the error channel. */
  private reportError(error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    this.send(this.dataChannel + 1, Buffer.from(`error forwarding port ${this.port} to pod ${this.podRef}: ${reason}`));
  }

  private send(channel: number, payload: Buffer, sent?: () => void): void {
    if (this.ws.readyState !== WebSocket.OPEN) {
      sent?.();
      return;
    }
    this.ws.send(encodeFrame(channel, payload), { binary: true }, () => sent?.());
  }
}
