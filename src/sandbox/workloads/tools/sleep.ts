// `sleep N[smhd]|infinity`: waits in real time, ending early when the exec session is aborted.
import { writeText, type ExecTool } from './tool.js';

const units: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/** Sleeps for the sum of its durations; exits 0, or 130 when interrupted. */
export const sleepTool: ExecTool = async (argv, streams) => {
  if (argv.length < 2) {
    await writeText(streams.stderr, 'sleep: missing operand\n');
    return 1;
  }
  let seconds = 0;
  for (const arg of argv.slice(1)) {
    if (arg === 'infinity' || arg === 'inf') {
      seconds = Infinity;
      continue;
    }
    const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(arg);
    if (!m) {
      await writeText(streams.stderr, `sleep: invalid number '${arg}'\n`);
      return 1;
    }
    seconds += Number(m[1]) * units[m[2]];
  }
  return waitFor(seconds * 1000, streams.signal);
};

/** Resolves 0 after `ms` (never for Infinity), or 130 as soon as `signal` aborts. */
function waitFor(ms: number, signal: AbortSignal): Promise<number> {
  if (signal.aborted) return Promise.resolve(130);
  return new Promise((resolve) => {
    const timer = Number.isFinite(ms) ? setTimeout(done, Math.min(ms, 2 ** 31 - 1), 0) : undefined;
    const onAbort = () => done(130);
    signal.addEventListener('abort', onAbort, { once: true });
    function done(code: number): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(code);
    }
  });
}
