// Sandbox hardening: it listens on 127.0.0.1 only (API and NodePorts), every route refuses a
// missing or wrong token (watch, exec and OpenAPI included), its state is private on disk, request
// bodies are bounded, and open watches are bounded per client and in total (429 past the bound).
// api-errors.test.ts covers 401 on a plain list and 413 on a plain POST; lifecycle.test.ts the
// kubeconfig and folder modes of a fresh start; crash*.test.ts kill -9.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { readRuntimeInfo } from '../../src/sandbox/runtime-info.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/launcher.js';
import { rawRequest } from '../helpers/raw-http.js';
import { eventually, fastConfig } from '../helpers/sandbox.js';

const cli = join(process.cwd(), 'src/cli/main.ts');
const run = (home: string, args: string[]) =>
  new Promise<number>((resolve) => execFile(process.execPath, ['--import', 'tsx', cli, ...args], { env: { ...process.env, ISTIO_LAB_HOME: home } }, (err) => resolve(err ? 1 : 0)));

/** Local TCP listeners of a process (Linux /proc): "address:port" in hex, as the kernel lists them. */
function listListeners(pid: number): { v4: string[]; v6: string[] } {
  const inodes = new Set(readdirSync(`/proc/${pid}/fd`).map((fd) => { try { return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1]; } catch { return undefined; } }).filter(Boolean));
  const listening = (file: string) =>
    readFileSync(file, 'utf8').split('\n').slice(1).map((l) => l.trim().split(/\s+/)).filter((f) => f[3] === '0A' && inodes.has(f[9])).map((f) => f[1]);
  return { v4: listening(`/proc/${pid}/net/tcp`), v6: listening(`/proc/${pid}/net/tcp6`) };
}

/** Sends a WebSocket upgrade (exec) and resolves with the HTTP status the server answers. */
function upgradeStatus(kc: k8s.KubeConfig, path: string, auth?: string): Promise<number> {
  const cluster = kc.getCurrentCluster()!;
  const headers: Record<string, string> = { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Protocol': 'v5.channel.k8s.io' };
  if (auth) headers.Authorization = auth;
  return new Promise((resolve, reject) => {
    const req = request(`${cluster.server}${path}`, { ca: Buffer.from(cluster.caData!, 'base64'), headers });
    req.on('response', (res) => resolve(res.statusCode ?? 0));
    req.on('upgrade', (res, socket) => (socket.destroy(), resolve(res.statusCode ?? 101)));
    req.on('error', reject);
    req.end();
  });
}

describe('sandbox hardening (a background sandbox)', () => {
  const home = mkdtempSync(join(tmpdir(), 'istio-lab-harden-'));
  const dir = join(home, 'sandbox');
  let kc: k8s.KubeConfig;
  before(async () => {
    // A state folder and token someone left world-readable: start must tighten them.
    mkdirSync(join(dir, 'state'), { recursive: true, mode: 0o755 });
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'token'), 'a-token-with-loose-permissions-0123456789', { mode: 0o644 });
    assert.equal(await run(home, ['sandbox', 'start']), 0);
    kc = new k8s.KubeConfig();
    kc.loadFromFile(join(dir, 'kubeconfig'));
  });
  after(async () => {
    await run(home, ['sandbox', 'stop']);
    rmSync(home, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 only, for the API and for NodePorts; other local addresses are refused', { skip: process.platform !== 'linux' && 'needs /proc' }, async () => {
    const info = readRuntimeInfo(home)!;
    const svc = await kc.makeApiClient(k8s.CoreV1Api).createNamespacedService({ namespace: 'default', body: { metadata: { name: 'np' }, spec: { type: 'NodePort', selector: { app: 'np' }, ports: [{ port: 80 }] } } });
    const nodePort = svc.spec!.ports![0].nodePort!;
    const hex = (port: number) => `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
    const listeners = await eventually(() => {
      const l = listListeners(info.pid);
      return l.v4.includes(hex(nodePort)) && l;
    }, 5000);
    assert.ok(listeners.v4.includes(hex(info.port)), `API port not among ${listeners.v4.join(', ')}`);
    assert.deepEqual(listeners.v4.filter((a) => !a.startsWith('0100007F:')), [], 'a listener not on 127.0.0.1');
    assert.deepEqual(listeners.v6, [], 'an IPv6 listener');
    const others = Object.values(networkInterfaces()).flat().filter((a) => a && !a.internal).map((a) => a!.address);
    for (const address of others) {
      const outcome = await new Promise<string>((resolve) => {
        const s = connect({ host: address, port: info.port, timeout: 2000 }, () => (s.destroy(), resolve('connected')));
        s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
        s.on('timeout', () => (s.destroy(), resolve('timeout')));
      });
      assert.notEqual(outcome, 'connected', `the API answered on ${address}`);
    }
  });

  it('answers 401 on every route without the token or with a wrong one, watch, exec and OpenAPI included', async () => {
    const routes = [
      ['GET', '/api'], ['GET', '/apis'], ['GET', '/api/v1'], ['GET', '/apis/apps/v1'], ['GET', '/openapi/v2'], ['GET', '/openapi/v3'], ['GET', '/openapi/v3/api/v1'],
      ['GET', '/api/v1/namespaces/default/configmaps?watch=true'], ['GET', '/apis/apps/v1/watch/namespaces/default/deployments'], ['GET', '/api/v1/namespaces/default/pods/p/log'],
      ['POST', '/api/v1/namespaces/default/configmaps'], ['PUT', '/api/v1/namespaces/default/configmaps/c'], ['PATCH', '/api/v1/namespaces/default/configmaps/c'], ['DELETE', '/api/v1/namespaces/default/configmaps/c'],
      ['GET', '/istio-lab/v1/status'], ['GET', '/istio-lab/v1/faults'], ['GET', '/no/such/path'],
    ];
    for (const [method, path] of routes) {
      for (const auth of [{ noAuth: true }, { token: 'not-the-token' }, { token: `${kc.getCurrentUser()!.token}x` }]) {
        const r = await rawRequest(kc, method, path, { ...auth, body: method === 'GET' || method === 'DELETE' ? undefined : '{}', contentType: 'application/json' });
        assert.equal(r.status, 401, `${method} ${path} ${JSON.stringify(auth)}`);
        assert.equal(r.json().reason, 'Unauthorized');
      }
    }
    // Health and version are open to anonymous callers (as on a real API server), never to a wrong token.
    for (const path of ['/version', '/healthz', '/readyz']) {
      assert.equal((await rawRequest(kc, 'GET', path, { noAuth: true })).status, 200, path);
      assert.equal((await rawRequest(kc, 'GET', path, { token: 'not-the-token' })).status, 401, path);
    }
    const exec = '/api/v1/namespaces/default/pods/p/exec?command=sh&stdout=true';
    assert.equal(await upgradeStatus(kc, exec), 401);
    assert.equal(await upgradeStatus(kc, exec, 'Bearer not-the-token'), 401);
    assert.equal(await upgradeStatus(kc, exec, `Basic ${Buffer.from('admin:admin').toString('base64')}`), 401);
    assert.equal(await upgradeStatus(kc, exec, `Bearer ${kc.getCurrentUser()!.token}`), 404, 'with the token: no such pod');
  });

  it('keeps its state private: folders 0700, credentials and state files 0600, loose modes tightened at start', () => {
    const mode = (p: string) => statSync(p).mode & 0o777;
    assert.equal(mode(dir), 0o700);
    assert.equal(mode(join(dir, 'state')), 0o700);
    for (const file of ['kubeconfig', 'token', 'apiserver.key', 'runtime.json', 'sandbox.log', 'state/journal.jsonl', 'state/snapshot.json']) {
      assert.equal(mode(join(dir, file)), 0o600, file);
    }
    for (const file of ['ca.crt', 'apiserver.crt']) assert.equal(mode(join(dir, file)) & 0o022, 0, `${file} is writable by others`);
  });

  it('bounds request bodies: chunked and PATCH uploads over 3 MiB get 413, and it keeps serving', async () => {
    const big = JSON.stringify({ metadata: { name: 'big' }, data: { x: 'y'.repeat(3 * 1024 * 1024 + 10) } });
    const patch = await rawRequest(kc, 'PATCH', '/api/v1/namespaces/default/configmaps/big', { body: big, contentType: 'application/merge-patch+json' });
    assert.equal(patch.status, 413);
    const chunked = await rawRequest(kc, 'PUT', '/api/v1/namespaces/default/configmaps/big', { body: Buffer.from(big), contentType: 'application/json' });
    assert.equal(chunked.status, 413);
    assert.equal(chunked.json().reason, 'RequestEntityTooLarge');
    assert.equal((await rawRequest(kc, 'GET', '/api/v1/namespaces/default/configmaps')).status, 200);
  });
});

/** Opens a raw watch with a User-Agent; resolves once the server answered (status) with a way to close it. */
function openWatch(kc: k8s.KubeConfig, agent: string): Promise<{ status: number; retryAfter?: string; body: Promise<string>; close(): void }> {
  const cluster = kc.getCurrentCluster()!;
  const headers = { Authorization: `Bearer ${kc.getCurrentUser()!.token}`, 'User-Agent': agent };
  return new Promise((resolve, reject) => {
    const req = request(`${cluster.server}/api/v1/namespaces/default/configmaps?watch=true`, { ca: Buffer.from(cluster.caData!, 'base64'), headers }, (res) => {
      let text = '';
      const body = new Promise<string>((done) => (res.on('data', (c: Buffer) => (text += c.toString())), res.on('end', () => done(text)), res.on('close', () => done(text))));
      resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, body, close: () => req.destroy() });
    });
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? undefined : reject(e)));
    req.end();
  });
}

describe('sandbox watch limits', () => {
  let home = '';
  let handle: SandboxHandle;
  let kc: k8s.KubeConfig;
  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'istio-lab-watches-'));
    handle = await startSandbox({ home, config: { ...fastConfig, maxWatches: 4, maxWatchesPerClient: 2 } });
    kc = new k8s.KubeConfig();
    kc.loadFromString(handle.kubeconfig);
  });
  after(async () => {
    await handle.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('refuses a watch past the per-client or total bound with 429 and Retry-After, and frees slots as watches close', async () => {
    const a1 = await openWatch(kc, 'tool-a');
    const a2 = await openWatch(kc, 'tool-a');
    const a3 = await openWatch(kc, 'tool-a');
    assert.deepEqual([a1.status, a2.status, a3.status], [200, 200, 429]);
    assert.equal(a3.retryAfter, '1');
    const status = JSON.parse(await a3.body);
    assert.equal(status.reason, 'TooManyRequests');
    assert.match(status.message, /too many watches: this client \(User-Agent "tool-a"\) already has 2 watches open/);
    const b = await openWatch(kc, 'tool-b');
    const c = await openWatch(kc, 'tool-c');
    const d = await openWatch(kc, 'tool-d');
    assert.deepEqual([b.status, c.status, d.status], [200, 200, 429]);
    assert.match(JSON.parse(await d.body).message, /4 watches are open, the most the sandbox serves at once/);
    a1.close();
    const again = await eventually(async () => {
      const w = await openWatch(kc, 'tool-a');
      if (w.status === 200) return w;
      w.close();
      return undefined;
    }, 3000);
    // Plain requests are not watches, and are never refused by the bound.
    assert.equal((await rawRequest(kc, 'GET', '/api/v1/namespaces/default/configmaps')).status, 200);
    for (const w of [a2, b, c, again]) w.close();
  });
});
