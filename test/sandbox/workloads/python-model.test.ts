// The `python` image in the kubelet: the notes model runs only for the shipped app.py from a ConfigMap
// volume (whole-volume, subPath or items mounts); any other command or script runs the echo stand-in
// with an EmulatedScript Warning event. Plus the frontend's outbound call as app.py makes it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveWorkloadModel } from '../../../src/sandbox/workloads/index.js';
import { PROPAGATED_HEADERS, createNotesApp } from '../../../src/sandbox/workloads/notes-model.js';
import { pythonModel, pythonScript } from '../../../src/sandbox/workloads/python-model.js';
import { container, startRuntime, type RuntimeHarness } from '../runtime/helpers.js';
import { fakeNetwork, httpGet, reply, startModel } from './harness.js';
import { freePort, pythonMissing } from './notes-targets.js';

const script = readFileSync('manifests/samples/notes/app.py', 'utf8');
const image = 'python:3.12.7-alpine3.20';
const backendCmd = ['python', '/app/app.py', '--mode=backend', '--version=v9'];
let h: RuntimeHarness;

before(() => {
  h = startRuntime();
  const cm = (name: string, data: Record<string, string>) => h.registry.create(h.registry.types.byResource('', 'v1', 'configmaps')!, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
  cm('notes-app', { 'app.py': script });
  cm('other', { 'app.py': `${script}# edited\n`, 'main.py': script });
});
after(() => h.stop());

/** Starts a python pod and returns what GET / on port 8080 answers, and its EmulatedScript warnings. */
async function run(name: string, spec: Record<string, any>): Promise<{ body: string; warnings: string[] }> {
  h.createPod(name, spec);
  const pod = (await h.waitForPod(name, (p) => p?.status?.phase === 'Running'))!;
  const r = await h.runtime.exchangePod(pod.metadata.namespace!, pod.metadata.name!, 8080, { method: 'GET', path: '/', authority: `${name}:8080`, headers: {} });
  const body = 'body' in r ? r.body.toString('utf8') : r.message;
  return { body, warnings: h.events(name).filter((e) => e.reason === 'EmulatedScript' && e.type === 'Warning').map((e) => e.message) };
}
const volume = (configMap: Record<string, unknown>) => [{ name: 'app', configMap }];

test('python images resolve to the python model', () => {
  for (const i of [image, 'docker.io/library/python:3.12', 'python']) assert.equal(resolveWorkloadModel(i).model, pythonModel, i);
});

test('the shipped app.py from a ConfigMap volume runs the notes backend, with no warning', async () => {
  const mounts = [{ name: 'app', mountPath: '/app' }];
  const r = await run('notes-dir', { containers: [container('app', image, { command: backendCmd, volumeMounts: mounts })], volumes: volume({ name: 'notes-app' }) });
  assert.deepEqual(r.warnings, []);
  assert.equal(r.body, '{"version": "v9", "hostname": "notes-dir", "notes": []}\n');
  const sub = await run('notes-sub', { containers: [container('app', image, { command: backendCmd, volumeMounts: [{ name: 'app', mountPath: '/app/app.py', subPath: 'app.py' }] })], volumes: volume({ name: 'notes-app' }) });
  assert.deepEqual(sub.warnings, []);
  const items = await run('notes-items', { containers: [container('app', image, { command: ['python3', '-u', 'app.py', '--mode=backend'], workingDir: '/app', volumeMounts: [{ name: 'app', mountPath: '/app' }] })], volumes: volume({ name: 'other', items: [{ key: 'main.py', path: 'app.py' }] }) });
  assert.deepEqual(items.warnings, []);
  assert.match(items.body, /"version": "1\.0\.0"/);
});

test('any other script or command runs the echo stand-in and says why in a Warning event', async () => {
  const mounts = [{ name: 'app', mountPath: '/app' }];
  const cases: [string, Record<string, any>, RegExp][] = [
    ['edited', { containers: [container('app', image, { command: backendCmd, volumeMounts: mounts })], volumes: volume({ name: 'other' }) }, /runs \/app\/app\.py, whose content is not the shipped notes app/],
    ['no-cm', { containers: [container('app', image, { command: backendCmd, volumeMounts: mounts })], volumes: volume({ name: 'missing' }) }, /\/app\/app\.py, which is not a file of a ConfigMap volume/],
    ['unmounted', { containers: [container('app', image, { command: backendCmd })] }, /\/app\/app\.py, which is not a file of a ConfigMap volume/],
    ['code', { containers: [container('app', image, { command: ['python', '-c', 'print(1)'] })] }, /runs python -c \(code or a module\)/],
    ['bare', { containers: [container('app', image)] }, /has no command/],
  ];
  for (const [name, spec, why] of cases) {
    const r = await run(name, spec);
    assert.equal(r.warnings.length, 1, name);
    assert.match(r.warnings[0], why);
    assert.match(r.warnings[0], /a generic echo server runs in its place/);
    assert.equal(JSON.parse(r.body).pod, name, 'the echo server answers');
  }
});

test('pythonScript finds the script after interpreter options', () => {
  assert.deepEqual(pythonScript(['/usr/local/bin/python3.12', '-u', '-X', 'dev', '-Wignore', '/app/app.py', '--mode=frontend']), { ok: true, script: '/app/app.py', args: ['--mode=frontend'] });
  assert.equal(pythonScript(['python', '-m', 'http.server']).ok, false);
  assert.equal(pythonScript(['sh', '-c', 'python /app/app.py']).ok, false);
});

/** What a backend receives when the frontend gets GET / with `headers`: from app.py, and from the model. */
async function forwarded(headers: Record<string, string>): Promise<{ real: IncomingHttpHeaders; model: Record<string, string> }> {
  let real: IncomingHttpHeaders = {};
  const capture = createServer((req, res) => {
    real = req.headers;
    res.end('{"version": "x", "hostname": "h", "notes": []}');
  });
  await new Promise<void>((r) => capture.listen(0, '127.0.0.1', r));
  const backend = `http://127.0.0.1:${(capture.address() as AddressInfo).port}`;
  const port = await freePort();
  const child = spawn('python3', ['manifests/samples/notes/app.py', '--mode=frontend', `--backend-service=${backend}`, `--port=${port}`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((r) => child.stdout!.once('data', r));
  try {
    assert.equal((await httpGet(`http://127.0.0.1:${port}/`, { headers })).status, 200);
  } finally {
    child.kill();
    capture.close();
  }
  const net = fakeNetwork(() => reply(200, '{"version": "x", "hostname": "h", "notes": []}'));
  const m = startModel({ name: 'notes', create: (ctx) => createNotesApp(ctx, ['--mode=frontend', `--backend-service=${backend}`]) }, { name: 'app', image }, { network: net });
  try {
    assert.equal((await httpGet(`${(await m.serve(80)).url}/`, { headers })).status, 200);
  } finally {
    m.stop.abort();
  }
  return { real, model: net.sent[0]?.headers ?? {} };
}

test('the frontend passes End-User and tracing headers on to the backend, as app.py does', { skip: pythonMissing }, async () => {
  const tracing = Object.fromEntries(PROPAGATED_HEADERS.map((name, i) => [name, `value-${i}`]));
  const { real, model } = await forwarded({ ...tracing, 'x-not-propagated': 'no', cookie: 'a=b' });
  // The model is Python 3.12's urllib; this machine's python3 may be another minor version.
  const kept = (h: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(h).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)).map(([k, v]) => [k, String(v).replace(/^Python-urllib\/3\.\d+$/, 'Python-urllib/3.x')]).sort());
  assert.deepEqual(kept(model), kept(real));
  assert.equal(real['end-user'], tracing['end-user']);
  assert.equal(real['x-not-propagated'], undefined);
});
