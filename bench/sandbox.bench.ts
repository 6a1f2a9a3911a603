// Issue "Sandbox cluster" benchmarks, measured in one run:
// - sandbox start-to-ready (`istio-lab sandbox start`, built CLI) vs `node -e 0`   target <= 5x
// - create+get of 1000 ConfigMaps via client-node: sandbox vs a bare HTTPS server  target >= 0.5x
// - RSS of the sandbox process after 1000 objects                                 target <= 120 MB
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { generatePki } from '../src/sandbox/pki.js';
import { renderKubeconfig } from '../src/sandbox/home.js';
import { readRuntimeInfo } from '../src/sandbox/launcher.js';
import { median, now, report, rssMb, timeCommand } from './lib.js';

const bin = join(process.cwd(), 'bin/istio-lab.js');

async function createAndGet(core: k8s.CoreV1Api, n: number, prefix: string): Promise<number> {
  const t = now();
  const workers = 8;
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < n) {
        const i = next++;
        const name = `${prefix}-${i}`;
        await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name }, data: { i: String(i) } } });
        await core.readNamespacedConfigMap({ namespace: 'default', name });
      }
    }),
  );
  return (2 * n) / ((now() - t) / 1000);
}

async function bareServerThroughput(n: number): Promise<number> {
  const pki = await generatePki();
  const status = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' }, data: { i: '0' } });
  const server = createServer({ cert: pki.serverCert, key: pki.serverKey }, (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'Content-Type': 'application/json' });
      res.end(status);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const kc = new k8s.KubeConfig();
  kc.loadFromString(renderKubeconfig(`https://127.0.0.1:${port}`, pki.caCert, 'bench'));
  const rate = await createAndGet(kc.makeApiClient(k8s.CoreV1Api), n, 'bare');
  server.close();
  return rate;
}

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'istio-lab-bench-'));
  const env = { ...process.env, ISTIO_LAB_HOME: home };
  try {
    const nodeTimes = [0, 1, 2, 3, 4].map(() => timeCommand(process.execPath, ['-e', '0']));
    const startTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      startTimes.push(timeCommand(process.execPath, [bin, 'sandbox', 'start'], env));
      timeCommand(process.execPath, [bin, 'sandbox', 'stop'], env);
    }
    const ratioStart = median(startTimes) / median(nodeTimes);
    report('sandbox start-to-ready vs node -e 0', `${median(startTimes).toFixed(0)} ms vs ${median(nodeTimes).toFixed(0)} ms`, ratioStart, '<= 5x', ratioStart <= 5);

    timeCommand(process.execPath, [bin, 'sandbox', 'start'], env);
    const kc = new k8s.KubeConfig();
    kc.loadFromString(readFileSync(join(home, 'sandbox', 'kubeconfig'), 'utf8'));
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const sandboxRate = await createAndGet(core, 1000, 'cm');
    const bareRate = await bareServerThroughput(1000);
    const ratioRate = sandboxRate / bareRate;
    report('create+get 1000 ConfigMaps: sandbox vs bare', `${sandboxRate.toFixed(0)} vs ${bareRate.toFixed(0)} req/s`, ratioRate, '>= 0.5x', ratioRate >= 0.5);

    const pid = readRuntimeInfo(home)!.pid;
    const rss = rssMb(pid);
    report('sandbox RSS after 1000 objects', `${rss.toFixed(1)} MB (limit 120 MB)`, rss / 120, '<= 1.0 of 120 MB', rss <= 120);
  } finally {
    try {
      timeCommand(process.execPath, [bin, 'sandbox', 'stop'], env);
    } catch {
      /* already stopped */
    }
    rmSync(home, { recursive: true, force: true });
  }
}

await main();
