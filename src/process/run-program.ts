// Runs an allow-listed program (istioctl, kubectl) through execa: argument arrays only, never a
// shell, bounded time and output, no stdin.
import { execa } from 'execa';
import { findExecutable } from '../doctor/find-executable.js';

/** Programs istio-lab may run. */
export const ALLOWED_PROGRAMS = ['istioctl', 'kubectl'] as const;

/** A program istio-lab may run. */
export type AllowedProgram = (typeof ALLOWED_PROGRAMS)[number];

/** How to run it. */
export interface RunOptions {
  /** Extra environment (e.g. KUBECONFIG); the rest is inherited. */
  env?: NodeJS.ProcessEnv;
  /** Kill after this many ms (default 60 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Resolves the program's path (default: PATH lookup). */
  locate?: (name: string) => Promise<string | undefined>;
}

/** What a run produced; `missing` when the program is not installed. */
export type RunResult =
  | { missing: true; program: AllowedProgram }
  | { missing: false; program: AllowedProgram; path: string; exitCode: number; stdout: string; stderr: string; timedOut: boolean };

/** Runs `program args...` without a shell; never throws for a non-zero exit. */
export async function runProgram(program: AllowedProgram, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  if (!ALLOWED_PROGRAMS.includes(program)) throw new Error(`${program} is not an allowed program (${ALLOWED_PROGRAMS.join(', ')})`);
  const path = await (options.locate ?? findExecutable)(program);
  if (!path) return { missing: true, program };
  const r = await execa(path, [...args], {
    shell: false,
    reject: false,
    stdin: 'ignore',
    env: options.env,
    timeout: options.timeoutMs ?? 60_000,
    cancelSignal: options.signal,
    maxBuffer: 4 * 1024 * 1024,
    stripFinalNewline: false,
  });
  return { missing: false, program, path, exitCode: r.exitCode ?? (r.signal ? 128 : 1), stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), timedOut: Boolean(r.timedOut) };
}
