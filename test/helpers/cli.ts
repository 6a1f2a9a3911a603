// Spawn the built CLI (bin/istio-lab.js → dist/) as a user would, with an isolated home.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Result of one CLI run. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const bin = join(process.cwd(), 'bin/istio-lab.js');

/** A fresh HOME + ISTIO_LAB_HOME with no kubeconfig, so the CLI falls back to the sandbox. */
export function isolatedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'istio-lab-cli-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, ISTIO_LAB_HOME: join(home, '.istio-lab'), CI: 'true', NO_COLOR: '1', ...extra };
  delete env.KUBECONFIG;
  delete env.FORCE_COLOR;
  return env;
}

/** Run `istio-lab <args>`. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof (err as any).code === 'number' ? (err as any).code : 1) : 0, stdout, stderr });
    });
  });
}
