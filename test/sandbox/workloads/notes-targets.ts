// The two sides of the notes differential test: the real manifests/samples/notes/app.py as local
// python3 processes on loopback ports, and the same command lines as pods in a sandbox (reached
// through NodePort Services on 127.0.0.1). Both expose the same Target to the request script.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import yaml from 'js-yaml';
import * as k8s from '@kubernetes/client-node';
import { connectCluster } from '../../../src/cluster/kube.js';
import type { Cluster } from '../../../src/cluster/types.js';
import { eventually, startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';

/** The script under test. */
export const APP_PY = 'manifests/samples/notes/app.py';

/** Why the differential test cannot run here, or undefined when python3 is available. */
export const pythonMissing = spawnSync('python3', ['--version']).status === 0 ? undefined : 'python3 is not installed, so the real app.py cannot run next to the model';

/** One app.py instance of the test: its arguments (without --port) and, for frontends, which backend it calls. */
export interface AppSpec {
  name: string;
  args: string[];
  port: number;
  backend?: string;
}

/** What the request script talks to: base URLs by app name, and each app's log lines. */
export interface Target {
  url: Record<string, string>;
  logs(name: string): Promise<string[]>;
  /** Exit code and output lines of app.py run with `args` (argparse errors). */
  runToExit(args: string[]): Promise<{ code: number; lines: string[] }>;
  close(): Promise<void>;
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts app.py as local processes (frontends call `http://127.0.0.1:<port>` of their backend, or an unresolvable host). */
export async function startLocal(apps: AppSpec[]): Promise<Target> {
  const ports = new Map<string, number>();
  for (const a of apps) ports.set(a.name, await freePort());
  const procs = new Map<string, { child: ChildProcess; lines: string[] }>();
  for (const a of apps) {
    const backend = a.backend === undefined ? [] : [`--backend-service=${ports.has(a.backend) ? `http://127.0.0.1:${ports.get(a.backend)}` : `http://${a.backend}:8080`}`];
    const child = spawn('python3', [APP_PY, ...a.args, ...backend, `--port=${ports.get(a.name)}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let pending = '';
    child.stdout!.on('data', (c: Buffer) => {
      pending += c.toString('utf8');
      const parts = pending.split('\n');
      pending = parts.pop()!;
      lines.push(...parts);
    });
    procs.set(a.name, { child, lines });
  }
  await eventually(() => [...procs.values()].every((p) => p.lines.length > 0), 10_000);
  // The sandbox side waits for /healthz to answer; do the same, so the logs line up.
  for (const p of ports.values()) await fetch(`http://127.0.0.1:${p}/healthz`);
  return {
    url: Object.fromEntries([...ports].map(([n, p]) => [n, `http://127.0.0.1:${p}`])),
    logs: async (name) => [...procs.get(name)!.lines],
    runToExit: (args) =>
      new Promise((resolve) => {
        const r = spawnSync('python3', [APP_PY, ...args], { env: { ...process.env, COLUMNS: '80' } });
        resolve({ code: r.status ?? -1, lines: `${r.stdout}${r.stderr}`.split('\n').filter(Boolean) });
      }),
    async close() {
      for (const p of procs.values()) p.child.kill();
    },
  };
}

/** The pod template of one app.py container from the notes-app ConfigMap, as the shipped manifests have it. */
function deployment(a: AppSpec): any {
  const backend = a.backend === undefined ? [] : [`--backend-service=http://${a.backend}:8080`];
  const command = ['python', '/app/app.py', ...a.args, ...backend, `--port=${a.port}`];
  const labels = { app: a.name };
  const spec = { containers: [{ name: 'app', image: 'python:3.12.7-alpine3.20', command, ports: [{ containerPort: a.port }], volumeMounts: [{ name: 'app', mountPath: '/app' }] }], volumes: [{ name: 'app', configMap: { name: 'notes-app' } }] };
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: a.name, namespace: 'default' }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec } } };
}

/** The same apps as Deployments in a fresh sandbox, each behind a NodePort Service named after it. */
export async function startSandboxApps(apps: AppSpec[]): Promise<Target & { sandbox: TestSandbox; cluster: Cluster }> {
  const sandbox = await startTestSandbox();
  const cluster = await connectCluster({ kubeconfig: sandbox.handle.kubeconfigPath });
  const apply = (obj: any) => eventually(() => cluster.apply(obj, { fieldManager: 'test', force: true }), 10_000);
  const configMap = yaml.load(readFileSync('manifests/samples/notes/configmap.yaml', 'utf8')) as any;
  await apply({ ...configMap, metadata: { ...configMap.metadata, namespace: 'default' } });
  for (const a of apps) {
    await apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: a.name, namespace: 'default' }, spec: { type: 'NodePort', selector: { app: a.name }, ports: [{ port: 8080, targetPort: a.port }] } });
    await apply(deployment(a));
  }
  const core = sandbox.kc.makeApiClient(k8s.CoreV1Api);
  const podOf = async (name: string) => (await core.listNamespacedPod({ namespace: 'default', labelSelector: `app=${name}` })).items[0];
  await eventually(async () => (await Promise.all(apps.map((a) => podOf(a.name)))).every((p) => p?.status?.phase === 'Running'), 15_000);
  const url: Record<string, string> = {};
  for (const a of apps) {
    // Read the NodePort once it answers (the sandbox moves a NodePort another program holds).
    url[a.name] = await eventually(async () => {
      const svc = await core.readNamespacedService({ name: a.name, namespace: 'default' });
      const base = `http://127.0.0.1:${svc.spec!.ports![0].nodePort}`;
      return (await fetch(`${base}/healthz`)).status === 200 ? base : undefined;
    }, 15_000);
  }
  let runs = 0;
  return {
    sandbox,
    cluster,
    url,
    logs: async (name) => (await cluster.logs('default', (await podOf(name)).metadata!.name!, 'app')).split('\n').filter(Boolean),
    async runToExit(args) {
      const name = `exit-${++runs}`;
      const pod = deployment({ name, args, port: 8080 }).spec.template.spec;
      await apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { ...pod, restartPolicy: 'Never', containers: [{ ...pod.containers[0], command: ['python', '/app/app.py', ...args] }] } });
      const done = await eventually(async () => {
        const p = await core.readNamespacedPod({ name, namespace: 'default' });
        return p.status?.containerStatuses?.[0]?.state?.terminated ? p : undefined;
      }, 15_000);
      const lines = (await cluster.logs('default', name, 'app')).split('\n').filter(Boolean);
      return { code: done.status!.containerStatuses![0].state!.terminated!.exitCode, lines };
    },
    async close() {
      cluster.close();
      await sandbox.dispose();
    },
  };
}
