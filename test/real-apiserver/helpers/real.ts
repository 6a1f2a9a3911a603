// The real kube-apiserver this tier runs against: started by scripts/real-apiserver/start.sh,
// found through REAL_APISERVER_KUBECONFIG (set by `npm run test:real-apiserver`).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as k8s from '@kubernetes/client-node';

/** Path of the real server's kubeconfig; throws with the way to get one when it is missing. */
export function realKubeconfigPath(): string {
  const path = process.env.REAL_APISERVER_KUBECONFIG;
  if (!path || !existsSync(path)) {
    throw new Error('REAL_APISERVER_KUBECONFIG does not name a kubeconfig: run this tier with `npm run test:real-apiserver` (it builds and starts kube-apiserver).');
  }
  return path;
}

/** A KubeConfig for the real server. */
export function realKubeConfig(): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(realKubeconfigPath());
  return kc;
}

/** Compact the real server's etcd at its current revision: every older resourceVersion is gone. */
export async function compactEtcd(): Promise<void> {
  const endpoint = process.env.REAL_APISERVER_ETCD_ENDPOINT;
  if (!endpoint) throw new Error('REAL_APISERVER_ETCD_ENDPOINT is not set: run this tier with `npm run test:real-apiserver`.');
  const etcdctl = (args: string[]) => new Promise<string>((resolve, reject) => execFile('etcdctl', [`--endpoints=${endpoint}`, ...args], { env: { ...process.env, ETCDCTL_API: '3' } }, (err, stdout, stderr) => (err ? reject(new Error(`etcdctl ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout))));
  const status = JSON.parse(await etcdctl(['endpoint', 'status', '--write-out=json']));
  await etcdctl(['compact', String(status[0].Status.header.revision)]);
}

/** Poll `fn` until it returns true; throws naming `what` after `timeoutMs`. */
export async function until(fn: () => Promise<boolean>, timeoutMs: number, what: string, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
}
