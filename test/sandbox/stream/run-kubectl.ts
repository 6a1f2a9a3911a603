// Test helper: runs the real kubectl against the fake cluster without blocking the event loop.
import { spawn } from 'node:child_process';
import type { FakeCluster } from './fake-cluster.js';

/** kubectl's exit code and output. */
export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `kubectl --kubeconfig <cluster> ...args`, feeding `input` on stdin (closed at once without it). */
export function runKubectl(cluster: FakeCluster, args: string[], input = '', timeoutMs = 30_000): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['--kubeconfig', cluster.kubeconfigPath, ...args], {
      env: { ...process.env, HOME: cluster.dir, KUBECONFIG: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}
