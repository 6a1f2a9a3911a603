// Test helper: a `kubectl port-forward` running in the background, ready once it has printed the
// local port it listens on, plus plain HTTP requests through that port.
import { spawn } from 'node:child_process';
import { request } from 'node:http';

/** A running port-forward. */
export interface PortForwardProcess {
  /** The local port kubectl chose ("Forwarding from 127.0.0.1:<port> -> <remote>"). */
  localPort: number;
  /** The pod port it forwards to. */
  remotePort: number;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code when kubectl exits. */
  exited: Promise<number | null>;
  /** Ends kubectl (SIGTERM, SIGKILL after 2 s) and waits for it. */
  stop(): Promise<void>;
}

/** Starts `kubectl ...args`; resolves once it listens, rejects with its stderr if it exits first. */
export function startPortForward(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 15_000): Promise<PortForwardProcess> {
  const child = spawn('kubectl', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(killer);
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`kubectl ${args.join(' ')} did not start listening:\n${stderr}`));
    }, timeoutMs);
    const check = (): void => {
      const match = /Forwarding from 127\.0\.0\.1:(\d+) -> (\d+)/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', check);
      resolve({ localPort: Number(match[1]), remotePort: Number(match[2]), stdout: () => stdout, stderr: () => stderr, exited, stop });
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`kubectl ${args.join(' ')} exited with ${code}:\n${stderr}`));
    });
  });
}

/** One HTTP request on a fresh connection to 127.0.0.1:`port` (closed afterwards). */
export function httpRequest(port: number, path: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: body === undefined ? 'GET' : 'POST', agent: false, timeout: 10_000, headers: body === undefined ? {} : { 'Content-Type': 'text/plain' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}
