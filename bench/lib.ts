// Benchmark helpers: timing, medians, child processes and one-line ratio reports.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Milliseconds since an arbitrary origin (monotonic). */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Median of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Wall time of a command run to completion, in ms. */
export function timeCommand(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const t = now();
  const r = spawnSync(cmd, args, { env, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return now() - t;
}

/** Resident set size of a process in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Print one result line: measured values, their ratio and the target. */
export function report(name: string, detail: string, ratio: number, target: string, pass: boolean): void {
  console.log(`${name.padEnd(44)} ${detail.padEnd(46)} ratio ${ratio.toFixed(2)}  target ${target}  ${pass ? 'ok' : 'MISSED'}`);
}

/** Start a child process and return it (inherits nothing on stdio). */
export function startChild(cmd: string, args: string[], env: NodeJS.ProcessEnv) {
  return spawn(cmd, args, { env, stdio: 'ignore' });
}
