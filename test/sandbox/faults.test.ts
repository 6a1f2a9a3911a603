// The sandbox's test-only API fault mode, over real HTTPS: each kind of fault as a client sees it,
// seeded reproducibility, what is never faulted, counting, pausing, and the spec's validation.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:https';
import * as k8s from '@kubernetes/client-node';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/launcher.js';
import { parseFaultSpec } from '../../src/sandbox/api/fault-spec.js';
import { fastConfig } from '../helpers/sandbox.js';
import { rawRequest } from '../helpers/raw-http.js';

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  /** The body, or how the connection failed. */
  done: Promise<{ body: string } | { error: string }>;
}

/** Send a request and resolve at its response head (so requests reach the server in order), or reject when the connection fails first. */
function send(kc: k8s.KubeConfig, method: string, path: string, body?: unknown): Promise<Answer> {
  const cluster = kc.getCurrentCluster()!;
  const headers: Record<string, string> = { Authorization: `Bearer ${kc.getCurrentUser()!.token}` };
  if (body) headers['Content-Type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = request(`${cluster.server}${path}`, { method, headers, ca: Buffer.from(cluster.caData!, 'base64'), agent: false }, (res) => {
      const chunks: Buffer[] = [];
      const done = new Promise<{ body: string } | { error: string }>((end) => {
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => end({ body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => end({ error: err.message }));
        res.on('aborted', () => end({ error: 'aborted' }));
      });
      resolve({ status: res.statusCode ?? 0, headers: res.headers, done });
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

const homes: string[] = [];
const handles: SandboxHandle[] = [];
after(async () => {
  for (const h of handles) await h.stop();
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

async function sandbox(faults: string): Promise<{ kc: k8s.KubeConfig; lines: string[] }> {
  const home = mkdtempSync(join(tmpdir(), 'istio-lab-faults-'));
  homes.push(home);
  const lines: string[] = [];
  const handle = await startSandbox({ home, config: fastConfig, faults, log: (l) => lines.push(l) });
  handles.push(handle);
  const kc = new k8s.KubeConfig();
  kc.loadFromString(handle.kubeconfig);
  return { kc, lines };
}

const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v' } });
const counts = async (kc: k8s.KubeConfig) => (await rawRequest(kc, 'GET', '/istio-lab/v1/faults')).json();

describe('sandbox API fault mode', () => {
  it('is off unless asked for', { skip: process.env.ISTIO_LAB_SANDBOX_FAULTS !== undefined }, async () => {
    const home = mkdtempSync(join(tmpdir(), 'istio-lab-faults-'));
    homes.push(home);
    const handle = await startSandbox({ home, config: fastConfig });
    handles.push(handle);
    const kc = new k8s.KubeConfig();
    kc.loadFromString(handle.kubeconfig);
    assert.deepEqual((await counts(kc)).enabled, false);
  });

  it('answers 500 and 503 with Status bodies, and 429 with Retry-After', async () => {
    for (const [kind, reason] of [['500', 'InternalError'], ['503', 'ServiceUnavailable'], ['429', 'TooManyRequests']]) {
      const { kc } = await sandbox(`rate=1,seed=1,kinds=${kind},retryAfter=2`);
      const a = await send(kc, 'GET', '/api/v1/namespaces');
      const body = JSON.parse(((await a.done) as { body: string }).body);
      assert.equal(a.status, Number(kind));
      assert.equal(body.kind, 'Status');
      assert.equal(body.reason, reason);
      assert.match(body.message, /injected fault/);
      if (kind === '429') assert.equal(a.headers['retry-after'], '2');
    }
  });

  it('resets connections; a mutating request is reset sometimes before and sometimes after its write', async () => {
    const { kc, lines } = await sandbox('rate=1,seed=3,kinds=reset');
    await assert.rejects(send(kc, 'GET', '/api/v1/namespaces'), /socket hang up|ECONNRESET/);
    for (let i = 0; i < 12; i++) await assert.rejects(send(kc, 'POST', '/api/v1/namespaces/default/configmaps', cm(`c${i}`)), /socket hang up|ECONNRESET/);
    await rawRequest(kc, 'POST', '/istio-lab/v1/faults', { body: '{"paused":true}', contentType: 'application/json' });
    const stored = (await rawRequest(kc, 'GET', '/api/v1/namespaces/default/configmaps')).json().items.length;
    const c = await counts(kc);
    assert.equal(c.byKind.reset, 13);
    assert.equal(stored, c.byKind['reset-after-write'], 'exactly the writes reset after applying them landed');
    assert.ok(stored > 0 && stored < 12, `${stored} of 12 landed`);
    assert.equal(lines.filter((l) => l.startsWith('[faults]')).length, 13);
  });

  it('slows answers down by slowMs and still answers', async () => {
    const { kc } = await sandbox('rate=1,seed=1,kinds=slow,slowMs=300');
    const started = Date.now();
    const a = await send(kc, 'GET', '/api/v1/namespaces');
    assert.equal(a.status, 200);
    assert.ok(Date.now() - started >= 290, `answered in ${Date.now() - started}ms`);
  });

  it('drops watch streams mid-way, and leaves other requests alone with kinds=drop-watch', async () => {
    const { kc } = await sandbox('rate=1,seed=1,kinds=drop-watch');
    assert.equal((await send(kc, 'POST', '/api/v1/namespaces/default/configmaps', cm('a'))).status, 201);
    const w = await send(kc, 'GET', '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0&timeoutSeconds=5');
    assert.equal(w.status, 200);
    const started = Date.now();
    assert.ok('error' in (await w.done), 'the stream was cut, not ended');
    assert.ok(Date.now() - started < 2000);
    assert.equal((await counts(kc)).byKind['drop-watch'], 1);
  });

  it('never touches health probes or the sandbox\'s own endpoints', async () => {
    const { kc } = await sandbox('rate=1,seed=1,kinds=503|reset');
    for (const path of ['/healthz', '/readyz', '/livez', '/istio-lab/v1/status']) assert.equal((await send(kc, 'GET', path)).status, 200, path);
    assert.equal((await counts(kc)).total, 0);
  });

  it('is reproducible under a seed, and every kind occurs at a 50 % rate', async () => {
    const trace = async (seed: number) => {
      const { kc } = await sandbox(`rate=0.5,seed=${seed},slowMs=20`);
      const seen: string[] = [];
      for (let i = 0; i < 40; i++) {
        const path = i % 4 === 3 ? '/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1' : '/api/v1/namespaces/default/configmaps';
        seen.push(await send(kc, i % 4 === 1 ? 'POST' : 'GET', path, i % 4 === 1 ? cm(`c${i}`) : undefined).then((a) => String(a.status), () => 'reset'));
      }
      await new Promise((r) => setTimeout(r, 1100));
      return { seen, c: await counts(kc) };
    };
    const one = await trace(42);
    assert.deepEqual((await trace(42)).seen, one.seen);
    assert.notDeepEqual((await trace(7)).seen, one.seen);
    for (const kind of ['500', '503', '429', 'reset', 'slow', 'drop-watch']) assert.ok(one.c.byKind[kind] > 0, `${kind} never injected: ${JSON.stringify(one.c.byKind)}`);
    assert.ok(one.c.total >= 14 && one.c.total <= 26, `total ${one.c.total} of 40`);
  });
});

describe('fault spec', () => {
  it('parses the documented form, with defaults', () => {
    assert.deepEqual(parseFaultSpec('rate=0.05,seed=42'), { rate: 0.05, seed: 42, kinds: ['500', '503', '429', 'reset', 'slow', 'drop-watch'], slowMs: 300, retryAfterSeconds: 1 });
    assert.deepEqual(parseFaultSpec('rate=0.1,seed=1,kinds=503|reset,slowMs=50,retryAfter=3')?.kinds, ['503', 'reset']);
    assert.equal(parseFaultSpec(''), undefined);
    assert.equal(parseFaultSpec(undefined), undefined);
  });

  it('rejects bad specs with the cause and the right form', async () => {
    for (const [spec, cause] of [['rate=5,seed=1', /rate must be a number from 0 to 1/], ['rate=0.1', /seed is required/], ['rate=0.1,seed=1,kinds=404', /kinds must be one or more of/], ['rate=0.1,seed=1,color=red', /unknown key "color"/]] as const) {
      assert.throws(() => parseFaultSpec(spec), (e: Error) => cause.test(e.message) && /ISTIO_LAB_SANDBOX_FAULTS=rate=0\.05,seed=42/.test(e.message));
    }
    const home = mkdtempSync(join(tmpdir(), 'istio-lab-faults-'));
    homes.push(home);
    await assert.rejects(startSandbox({ home, faults: 'rate=oops' }), /invalid sandbox fault spec/);
  });
});
