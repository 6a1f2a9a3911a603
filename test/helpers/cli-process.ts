// A running `istio-lab` child process whose output can be awaited line by line, signalled and
// waited for: for interrupt and lease tests that act while a command is in flight.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { CliResult } from './cli.js';

/** A CLI process in flight. */
export interface CliProcess {
  child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves when a stdout line matches (or rejects when the process exits first). */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (null when killed by a signal) and signal, and when it happened. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** Resolves, once it exited, with its code and output (code -1 when killed by a signal). */
  result(): Promise<CliResult>;
}

/** Spawn `istio-lab <args>` (the built CLI) with `env`. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv): CliProcess {
  const child = spawn(process.execPath, [join(process.cwd(), 'bin/istio-lab.js'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  let done = false;
  child.stdout!.on('data', (c) => {
    out += c;
    for (const w of waiters) w();
  });
  child.stderr!.on('data', (c) => (err += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
    child.on('exit', (code, signal) => {
      const at = Date.now();
      // 'exit' can precede the last 'data' events: let the pipes drain before anyone reads them.
      child.on('close', () => {
        done = true;
        resolve({ code, signal, at });
        for (const w of waiters) w();
      });
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    result: () => exited.then((e) => ({ code: e.code ?? -1, stdout: out, stderr: err })),
    waitForLine(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = out.split('\n').find((l) => pattern.test(l));
          if (line !== undefined) finish(() => resolve(line));
          else if (done) finish(() => reject(new Error(`exited before printing ${pattern}:\n${out}\n${err}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`no line matched ${pattern} within ${timeoutMs}ms:\n${out}\n${err}`))), timeoutMs);
        const finish = (f: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          f();
        };
        waiters.add(check);
        check();
      });
    },
  };
}
