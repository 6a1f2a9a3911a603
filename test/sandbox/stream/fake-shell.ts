// Test helper: an ExecHandler that behaves like a tiny busybox container, recording calls.
import type { ExecHandler, ExecStreams } from '../../../src/sandbox/types.js';

/** One recorded invocation and, once known, whether the client's disconnect aborted it. */
export interface ShellCall {
  argv: string[];
  tty: boolean;
  hasStdin: boolean;
  aborted?: Promise<void>;
}

/** The handler plus the calls it has seen. */
export interface FakeShell {
  run: ExecHandler;
  calls: ShellCall[];
}

/** Creates the fake container shell; `hostname` prints `podName`. */
export function createFakeShell(podName: string): FakeShell {
  const calls: ShellCall[] = [];
  const run: ExecHandler = async (argv, streams) => {
    const call: ShellCall = { argv, tty: streams.tty, hasStdin: streams.stdin !== undefined };
    calls.push(call);
    const [command, ...args] = argv;
    switch (command) {
      case undefined: // attach: echo stdin back until it ends
      case 'cat':
        return pipeStdin(streams);
      case 'hostname':
        streams.stdout.write(`${podName}\n`);
        return 0;
      case 'echo':
        streams.stdout.write(`${args.join(' ')}\n`);
        return 0;
      case 'blob': // N bytes of 'x', written without waiting for the stream to drain
        for (let left = Number(args[0]); left > 0; left -= 65536) streams.stdout.write('x'.repeat(Math.min(left, 65536)));
        return 0;
      case 'tty-check':
        streams.stdout.write(`tty=${streams.tty}\n`);
        streams.stderr.write('to-stderr\n');
        return 0;
      case 'sleep':
        call.aborted = new Promise((resolve) => streams.signal.addEventListener('abort', () => resolve()));
        await call.aborted;
        return 137;
      case 'sh':
        if (args[0] === '-c') return runScript(args[1] ?? '', streams);
        return 0;
      default:
        throw new Error(
          `failed to exec in container: failed to start exec "0": OCI runtime exec failed: exec failed: unable to start container process: exec: "${command}": executable file not found in $PATH: unknown`,
        );
    }
  };
  return { run, calls };
}

/** Copies stdin to stdout until stdin ends (or exits at once without stdin). */
async function pipeStdin(streams: ExecStreams): Promise<number> {
  if (!streams.stdin) return 0;
  for await (const chunk of streams.stdin) streams.stdout.write(chunk as Buffer);
  return 0;
}

/** `sh -c` for `;`-separated `echo X`, `echo X >&2` and `exit N`; anything else is not found. */
function runScript(script: string, streams: ExecStreams): number {
  for (const statement of script.split(';').map((s) => s.trim()).filter(Boolean)) {
    const [word, ...rest] = statement.split(/\s+/);
    if (word === 'exit') return Number(rest[0] ?? 0);
    if (word === 'echo') {
      const toStderr = rest.at(-1) === '>&2';
      const text = `${(toStderr ? rest.slice(0, -1) : rest).join(' ')}\n`;
      (toStderr ? streams.stderr : streams.stdout).write(text);
      continue;
    }
    streams.stderr.write(`sh: ${word}: not found\n`);
    return 127;
  }
  return 0;
}
