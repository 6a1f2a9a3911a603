// Issue "Sandbox mesh" benchmarks, measured in one run:
// - requests/s through the sandbox ingress gateway to httpbin /get vs a minimal Node reverse proxy
//   in front of a minimal Node server                                        target >= 0.6x
//   (with the sandbox's CPU time per request: it runs the load at ~100 % of one core)
// - added median latency per hop (gateway hop vs calling httpbin's pod directly)   target <= 1 ms
// - RSS of the sandbox with Istio + Bookinfo + httpbin + curl + fortio deployed    target <= 150 MB
import { createServer, request, type IncomingMessage } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import * as k8s from '@kubernetes/client-node';
import { spawnSync } from 'node:child_process';
import { readRuntimeInfo } from '../src/sandbox/runtime-info.js';
import { connectCluster } from '../src/cluster/kube.js';
import { median, now, report, rssMb } from './lib.js';

const bin = join(process.cwd(), 'bin/istio-lab.js');

/** CPU time (user + system) a process has used, in ms (Linux /proc, 100 ticks/s). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function get(port: number, host: string, path: string, agent: import('node:http').Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = now();
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: host }, agent }, (res: IncomingMessage) => {
      res.resume();
      res.on('end', () => resolve(now() - t));
    });
    req.on('error', reject);
    req.end();
  });
}

async function measure(port: number, host: string, path: string, n: number, concurrency: number): Promise<{ rps: number; latencies: number[] }> {
  const { Agent } = await import('node:http');
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let next = 0;
  const t = now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next++ < n) latencies.push(await get(port, host, path, agent));
  }));
  agent.destroy();
  return { rps: n / ((now() - t) / 1000), latencies };
}

/** A minimal Node server and a minimal Node reverse proxy in front of it. */
async function baseline(): Promise<{ proxyPort: number; close(): void }> {
  const body = JSON.stringify({ args: {}, headers: {}, method: 'GET', origin: '127.0.0.1', url: 'http://x/get' });
  const upstream = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const upPort = (upstream.address() as { port: number }).port;
  const { Agent } = await import('node:http');
  const agent = new Agent({ keepAlive: true });
  const proxy = createServer((req, res) => {
    const up = request({ host: '127.0.0.1', port: upPort, path: req.url, method: req.method, headers: req.headers, agent }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  return { proxyPort: (proxy.address() as { port: number }).port, close: () => (upstream.close(), proxy.close(), agent.destroy()) };
}

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'istio-lab-bench-mesh-'));
  const env = { ...process.env, ISTIO_LAB_HOME: home };
  // The sandbox runs as its own background process (as users run it), so its RSS is measured alone.
  if (spawnSync(process.execPath, [bin, 'sandbox', 'start'], { env, stdio: 'ignore' }).status !== 0) throw new Error('sandbox start failed');
  const kubeconfigPath = join(home, 'sandbox', 'kubeconfig');
  try {
    const cluster = await connectCluster({ kubeconfig: kubeconfigPath });
    const files = ['manifests/istio/crds.yaml', 'manifests/istio/sandbox-install.yaml', 'manifests/samples/httpbin.yaml', 'manifests/samples/curl.yaml', 'manifests/samples/bookinfo.yaml', 'labs/core/ingress-gateway/gateway.yaml', 'labs/core/ingress-gateway/virtual-service.yaml'];
    for (const f of files) {
      for (const d of yaml.loadAll(readFileSync(f, 'utf8')).filter(Boolean) as any[]) {
        if (!d.metadata.namespace && !['Namespace', 'CustomResourceDefinition'].includes(d.kind)) d.metadata.namespace = 'default';
        for (let i = 0; ; i++) {
          try {
            await cluster.apply(d, { fieldManager: 'bench', force: true });
            break;
          } catch (err) {
            if (i > 50) throw err;
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      }
    }
    // A VirtualService matching /get too, so the benchmark path is routed.
    await cluster.apply({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'httpbin', namespace: 'default' }, spec: { hosts: ['httpbin.example.com'], gateways: ['httpbin-gateway'], http: [{ route: [{ destination: { host: 'httpbin', port: { number: 8000 } } }] }] } }, { fieldManager: 'bench', force: true });
    const fortio = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'fortio', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'fortio' } }, template: { metadata: { labels: { app: 'fortio' } }, spec: { containers: [{ name: 'fortio', image: 'fortio/fortio:latest_release', ports: [{ containerPort: 8080 }] }] } } } };
    await cluster.apply(fortio, { fieldManager: 'bench', force: true });
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    const svc = await kc.makeApiClient(k8s.CoreV1Api).readNamespacedService({ name: 'istio-ingressgateway', namespace: 'istio-system' });
    const port = svc.spec!.ports!.find((p) => p.name === 'http2')!.nodePort!;
    for (let i = 0; i < 200; i++) {
      const ok = await get(port, 'httpbin.example.com', '/get', new (await import('node:http')).Agent()).then(() => true, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await measure(port, 'httpbin.example.com', '/get', 300, 4); // warm-up
    const pid = readRuntimeInfo(home)!.pid;
    const cpu0 = cpuMs(pid);
    const mesh = await measure(port, 'httpbin.example.com', '/get', 3000, 8);
    const cpuPerRequest = ((cpuMs(pid) - cpu0) / 3000) * 1000;
    const base = await baseline();
    await measure(base.proxyPort, 'x', '/get', 300, 4);
    const plain = await measure(base.proxyPort, 'x', '/get', 3000, 8);
    base.close();
    const ratio = mesh.rps / plain.rps;
    report('ingress → httpbin /get vs Node proxy → server', `${mesh.rps.toFixed(0)} vs ${plain.rps.toFixed(0)} req/s`, ratio, '>= 0.6x', ratio >= 0.6);
    console.log(`  (sandbox CPU ${cpuPerRequest.toFixed(0)} µs per request, busy ${((cpuPerRequest * mesh.rps) / 10_000).toFixed(0)} % of the load: it is CPU-bound when near 100 %)`);
    const seq = await measure(port, 'httpbin.example.com', '/get', 500, 1);
    const seqBase = await measure((await baseline()).proxyPort, 'x', '/get', 500, 1);
    const added = median(seq.latencies) - median(seqBase.latencies);
    report('added median latency per hop (sequential)', `${median(seq.latencies).toFixed(2)} vs ${median(seqBase.latencies).toFixed(2)} ms`, added, '<= 1 ms', added <= 1);
    const rss = rssMb(pid);
    report('sandbox RSS: Istio + Bookinfo + httpbin + curl + fortio', `${rss.toFixed(1)} MB (limit 150 MB)`, rss / 150, '<= 1.0 of 150 MB', rss <= 150);
    cluster.close();
  } finally {
    spawnSync(process.execPath, [bin, 'sandbox', 'stop'], { env, stdio: 'ignore' });
    rmSync(home, { recursive: true, force: true });
  }
  process.exit(0);
}

await main();
