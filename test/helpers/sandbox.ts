// Test harness: a sandbox in a temp ISTIO_LAB_HOME, reached only through its kubeconfig.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import * as k8s from '@kubernetes/client-node';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/launcher.js';

/** Fast pod timings for tests. */
export const fastConfig = { podStartDelayMs: 30, podReadyDelayMs: 20, maxGraceMs: 60 };

/** A sandbox for one test file. */
export interface TestSandbox {
  home: string;
  handle: SandboxHandle;
  kc: k8s.KubeConfig;
  /** Run the stock kubectl against the sandbox. */
  kubectl(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Stop the sandbox and delete its home. */
  dispose(): Promise<void>;
}

/** Start a sandbox under a fresh temp home. */
export async function startTestSandbox(opts: { home?: string } = {}): Promise<TestSandbox> {
  const home = opts.home ?? mkdtempSync(join(tmpdir(), 'istio-lab-test-'));
  const handle = await startSandbox({ home, config: fastConfig });
  const kc = new k8s.KubeConfig();
  kc.loadFromString(handle.kubeconfig);
  return {
    home,
    handle,
    kc,
    kubectl: (args, input) => runKubectl(home, handle.kubeconfigPath, args, input),
    async dispose() {
      await handle.stop();
      if (!opts.home) rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Whether the stock kubectl is installed (tests that prove kubectl compatibility need it). */
export const hasKubectl = await new Promise<boolean>((resolve) => execFile('kubectl', ['version', '--client'], (err) => resolve(!err)));

/** Run kubectl with an isolated HOME (its discovery cache) and the given kubeconfig. */
export function runKubectl(home: string, kubeconfig: string, args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile('kubectl', args, { env: { ...process.env, KUBECONFIG: kubeconfig, HOME: home }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof (err as any).code === 'number' ? (err as any).code : 1) : 0, stdout, stderr });
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

/** Poll until `fn` returns a truthy value or the timeout passes. */
export async function eventually<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 5000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs}ms${last ? `: ${(last as Error).message}` : ''}`);
}
