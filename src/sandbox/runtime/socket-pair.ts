// An in-memory connection: two Duplex ends wired to each other, shaped enough like net.Socket that
// an http.Server accepts one end via `server.emit('connection', end)`.
import { Duplex } from 'node:stream';

/** Addresses reported by each end (`remoteAddress` of the server end is the client's address). */
export interface SocketPairAddresses {
  clientAddress: string;
  clientPort: number;
  serverAddress: string;
  serverPort: number;
}

/** One end of an in-memory connection. */
export class MemorySocket extends Duplex {
  peer: MemorySocket | undefined;
  remoteAddress = '';
  remotePort = 0;
  localAddress = '';
  localPort = 0;
  readonly remoteFamily = 'IPv4';
  /** net.Socket compatibility: no real file descriptor behind this socket. */
  readonly connecting = false;

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.peer && !this.peer.destroyed) this.peer.push(chunk);
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.peer?.push(null);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    this.peer = undefined;
    if (peer && !peer.destroyed) {
      peer.push(null);
      peer.destroy();
    }
    callback(error);
  }

  setTimeout(_ms: number, _callback?: () => void): this {
    return this;
  }
  setNoDelay(_noDelay?: boolean): this {
    return this;
  }
  setKeepAlive(_enable?: boolean, _delay?: number): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  address(): { address: string; family: string; port: number } {
    return { address: this.localAddress, family: 'IPv4', port: this.localPort };
  }
}

/** Creates a connected [client, server] pair. */
export function createSocketPair(addresses: SocketPairAddresses): [MemorySocket, MemorySocket] {
  const client = new MemorySocket();
  const server = new MemorySocket();
  client.peer = server;
  server.peer = client;
  Object.assign(client, { localAddress: addresses.clientAddress, localPort: addresses.clientPort, remoteAddress: addresses.serverAddress, remotePort: addresses.serverPort });
  Object.assign(server, { localAddress: addresses.serverAddress, localPort: addresses.serverPort, remoteAddress: addresses.clientAddress, remotePort: addresses.clientPort });
  return [client, server];
}
