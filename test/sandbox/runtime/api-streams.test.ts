// End to end through the real API server: kubectl get/logs/exec and client-node port-forward reach
// pods run by the kubelet emulation and its workload models.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { KubeConfig, PortForward } from '@kubernetes/client-node';
import { startApiServer, type ApiServer } from '../../../src/sandbox/api/server.js';
import { createServingCert } from '../stream/tls-cert.js';
import { container, startRuntime, type RuntimeHarness } from './helpers.js';

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
const TOKEN = 'runtime-e2e-token';

describe('pod streams through the API server', { timeout: 60_000 }, () => {
  let h: RuntimeHarness;
  let server: ApiServer;
  let dir: string;
  let kubeconfig: string;

  const kubectl = (args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> =>
    new Promise((resolve, reject) => {
      const child = spawn('kubectl', ['--kubeconfig', kubeconfig, ...args], { env: { ...process.env, HOME: dir, KUBECONFIG: '' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c));
      child.stderr.on('data', (c: Buffer) => (stderr += c));
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end();
    });

  before(async () => {
    h = startRuntime();
    const { cert, key } = await createServingCert();
    server = await startApiServer({ registry: h.registry, runtime: h.runtime, tls: { cert, key }, token: TOKEN });
    dir = await mkdtemp(join(tmpdir(), 'runtime-e2e-'));
    kubeconfig = join(dir, 'kubeconfig');
    const ca = Buffer.from(cert).toString('base64');
    await writeFile(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters:\n- name: sb\n  cluster:\n    server: ${server.url}\n    certificate-authority-data: ${ca}\nusers:\n- name: sb\n  user:\n    token: ${TOKEN}\ncontexts:\n- name: sb\n  context:\n    cluster: sb\n    user: sb\n    namespace: default\ncurrent-context: sb\n`,
    );
    h.createPod('web', { containers: [container('web', 'docker.io/library/nginx:1.27', { ports: [{ containerPort: 80 }] })] }, { labels: { app: 'web', version: 'v1' } });
    await h.waitForPod('web', (p) => p?.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') === true);
  });

  after(async () => {
    await server.close();
    h.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('port-forwards with client-node to the echo model', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    const output = new PassThrough();
    const input = new PassThrough();
    const ws: any = await new PortForward(kc).portForward('default', 'web', [80], output, new PassThrough(), input);
    input.write('GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    let text = '';
    output.on('data', (c: Buffer) => (text += c));
    await new Promise<void>((resolve) => ws.once('close', resolve));
    assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(text, /"pod": "web"/);
    assert.match(text, /"path": "\/hello"/);
  });

  it('kubectl shows the pod Running and reads its logs', { skip: !hasKubectl && 'kubectl is not installed' }, async () => {
    const get = await kubectl(['get', 'pods', '-o', 'wide']);
    assert.equal(get.code, 0, get.stderr);
    assert.match(get.stdout, /^web\s+1\/1\s+Running\s+0\s+\S+\s+10\.244\.0\.\d+\s+istio-lab-control-plane/m);
    const logs = await kubectl(['logs', 'web', '--tail=1', '--timestamps']);
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /^\d{4}-\d\d-\d\dT[\d:.]+Z 127\.0\.0\.1 - - \[.*\] "GET \/hello HTTP\/1\.1" 200 \d+ "-" "-"\n$/);
  });

  it('kubectl exec runs the shared tools and reports exit codes like a containerd node', { skip: !hasKubectl && 'kubectl is not installed' }, async () => {
    assert.deepEqual(await kubectl(['exec', 'web', '--', 'hostname']), { code: 0, stdout: 'web\n', stderr: '' });
    const sh = await kubectl(['exec', 'web', '--', 'sh', '-c', 'nope']);
    assert.equal(sh.code, 127);
    assert.match(sh.stderr, /^sh: nope: not found\ncommand terminated with exit code 127\n$/);
    const missing = await kubectl(['exec', 'web', '--', 'nope']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /error: Internal error occurred: .*exec: "nope": executable file not found in \$PATH: unknown/);
  });
});
