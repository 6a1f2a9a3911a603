// The notes app: the sandbox's model (src/sandbox/workloads/notes-model.ts) against the real
// manifests/samples/notes/app.py. The same request script runs against app.py as local python3
// processes and against the model as pods in a sandbox; status codes, the headers that matter,
// bodies (host names aside) and log lines must agree. Also: the shipped ConfigMap is app.py byte for
// byte, and the model's recorded sha256 is app.py's, so neither can drift from the script.
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { NOTES_APP_SHA256 } from '../../../src/sandbox/workloads/python-model.js';
import { renderNotesConfigMap } from '../../../scripts/gen-notes-configmap.js';
import { httpGet } from './harness.js';
import { APP_PY, pythonMissing, startLocal, startSandboxApps, type AppSpec, type Target } from './notes-targets.js';

const script = readFileSync(APP_PY, 'utf8');

test('configmap.yaml holds app.py byte for byte, in the generator\'s layout', () => {
  const text = readFileSync('manifests/samples/notes/configmap.yaml', 'utf8');
  const cm = yaml.load(text) as { metadata: { name: string }; data: Record<string, string> };
  assert.equal(cm.metadata.name, 'notes-app');
  assert.ok(cm.data['app.py'] === script, 'configmap.yaml is stale: run `node --import tsx scripts/gen-notes-configmap.ts`');
  assert.equal(text, renderNotesConfigMap(script));
});

test('the model recognises exactly the shipped app.py (sha256)', () => {
  const actual = createHash('sha256').update(script).digest('hex');
  assert.equal(NOTES_APP_SHA256, actual, `app.py changed: re-run this differential test and set NOTES_APP_SHA256 in src/sandbox/workloads/python-model.ts to ${actual}`);
});

const apps: AppSpec[] = [
  { name: 'backend-a', args: ['--mode=backend', '--version=v2', '--color=green', '--db=:memory:'], port: 8080 },
  { name: 'frontend-a', args: ['--mode=frontend'], port: 80, backend: 'backend-a' },
  { name: 'backend-f', args: ['--mode=backend', '--fail-percent=50'], port: 9090 },
  { name: 'frontend-x', args: ['--mode=frontend'], port: 8000, backend: 'no-such-backend' },
];

/** One response as the comparison sees it. */
interface Seen {
  step: string;
  status: number;
  type?: string;
  location?: string;
  allow?: string;
  body: string;
}

/** Host names differ (the pod name vs this machine's), and so does the resolver's wording of a missing host. */
function normalize(body: string): string {
  return body
    .replace(/"hostname": "[^"]*"/g, '"hostname": "HOST"')
    .replace(/<span id="(backend|frontend)">[^<]*<\/span>/g, '<span id="$1">HOST</span>')
    .replace(/^Error: \[Errno -2\] .*$/m, 'Error: [Errno -2] (host not found)');
}

/** The request script: the app's whole protocol, in an order that exercises its state. */
async function runScript(t: Target): Promise<Seen[]> {
  const seen: Seen[] = [];
  const go = async (step: string, app: string, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}) => {
    const r = await httpGet(`${t.url[app]}${path}`, opts);
    const h = (name: string) => r.headers[name] as string | undefined;
    seen.push({ step, status: r.status, type: h('content-type'), location: h('location'), allow: h('allow'), body: normalize(r.body) });
  };
  const form = (note: string, headers: Record<string, string> = {}) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: `note=${encodeURIComponent(note)}` });
  await go('empty list', 'backend-a', '/');
  await go('empty page', 'frontend-a', '/');
  await go('add a note through the frontend', 'frontend-a', '/add-note', form(`hello <b> & 'quotes' ü`, { 'End-User': 'barry', 'x-request-id': 'diff-1' }));
  await go('add a note as JSON', 'backend-a', '/notes', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ note: '  json ✓  ' }) });
  await go('empty note to the backend', 'backend-a', '/notes', form(''));
  await go('blank note to the frontend', 'frontend-a', '/add-note', form('   '));
  await go('list', 'backend-a', '/');
  await go('page with End-User and tracing headers', 'frontend-a', '/?x=1', { headers: { 'End-User': 'barry', 'x-request-id': 'diff-2', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } });
  await go('healthz', 'backend-a', '/healthz');
  await go('start-error', 'backend-a', '/start-error');
  await go('backend in error mode', 'backend-a', '/');
  await go('page over a backend in error mode', 'frontend-a', '/');
  await go('add a note in error mode', 'frontend-a', '/add-note', form('lost'));
  await go('healthz in error mode', 'backend-a', '/healthz');
  await go('end-error', 'backend-a', '/end-error');
  await go('end-error again', 'backend-a', '/end-error');
  await go('list after the errors', 'backend-a', '/');
  await go('unknown path', 'backend-a', '/nope');
  await go('wrong method', 'backend-a', '/healthz', { method: 'POST' });
  await go('GET of the form target', 'frontend-a', '/add-note');
  await go('unsupported method', 'backend-a', '/', { method: 'PUT' });
  await go('frontend healthz', 'frontend-a', '/healthz');
  await go('frontend whose backend does not exist', 'frontend-x', '/');
  return seen;
}

/** Status counts of `n` calls to the --fail-percent=50 backend, and the distinct answers. */
async function failPercent(t: Target, n: number): Promise<{ failed: number; answers: string[] }> {
  const answers = new Set<string>();
  let failed = 0;
  for (let i = 0; i < n; i++) {
    const r = await httpGet(`${t.url['backend-f']}/`);
    if (r.status === 500) failed++;
    answers.add(`${r.status} ${normalize(r.body)}`);
  }
  return { failed, answers: [...answers].sort() };
}

describe('notes app: the model answers like app.py', { skip: pythonMissing }, () => {
  let real: Target;
  let model: Target;
  before(async () => {
    [real, model] = await Promise.all([startLocal(apps), startSandboxApps(apps)]);
  });
  after(async () => {
    await real?.close();
    await model?.close();
  });

  it('the request script gets the same statuses, headers and bodies', async () => {
    const [a, b] = [await runScript(real), await runScript(model)];
    for (let i = 0; i < a.length; i++) assert.deepEqual(b[i], a[i], `step "${a[i].step}"`);
    assert.match(a.find((s) => s.step === 'list')!.body, /"notes": \["hello <b> & 'quotes' \\u00fc", "json \\u2713"\]/);
  });

  it('the backends log the same lines: End-User and x-request-id arrive through the frontend', async () => {
    const [a, b] = [await real.logs('backend-a'), await model.logs('backend-a')];
    assert.deepEqual(b.slice(1), a.slice(1));
    assert.ok(a.includes('backend POST /notes 201 end-user=barry x-request-id=diff-1'), a.join('\n'));
    assert.ok(a.includes('backend GET / 200 end-user=barry x-request-id=diff-2'), a.join('\n'));
    assert.deepEqual([a[0], b[0]].map((l) => l.replace(/:\d+ /, ':PORT ')), ['backend v2 listening on :PORT (database :memory:)', 'backend v2 listening on :PORT (database :memory:)']);
    assert.deepEqual((await model.logs('frontend-a')).slice(1), (await real.logs('frontend-a')).slice(1));
  });

  it('--fail-percent=50 fails about half the calls, with the same answers', async () => {
    const n = 200;
    const [a, b] = [await failPercent(real, n), await failPercent(model, n)];
    const bound = 4.5 * Math.sqrt(n * 0.25); // a correct app fails this less than once in 100 000 runs
    for (const r of [a, b]) assert.ok(Math.abs(r.failed - n / 2) <= bound, `${r.failed} of ${n} failed`);
    assert.deepEqual(b.answers, a.answers);
    assert.equal(a.answers.length, 2);
  });

  it('inside a pod, wget to localhost reaches the app itself (the labs\' `kubectl exec … wget -qO- localhost:8080/start-error`)', async () => {
    const sandbox = (model as Awaited<ReturnType<typeof startSandboxApps>>).sandbox;
    const exec = (args: string[]) => sandbox.kubectl(['exec', 'deploy/backend-f', '-c', 'app', '--', ...args]);
    assert.deepEqual(await exec(['wget', '-qO-', 'http://localhost:9090/healthz']), { code: 0, stdout: 'ok\n', stderr: '' });
    assert.notEqual((await exec(['wget', '-qO-', 'http://127.0.0.1:9091/'])).code, 0, 'nothing listens on 9091: connection refused');
    assert.ok((await model.logs('backend-f')).includes('backend GET /healthz 200 end-user=- x-request-id=-'));
  });

  it('bad command lines end with argparse\'s message and exit code 2', async () => {
    for (const args of [[], ['--mode=x'], ['--mode=backend', '--port=x'], ['--mode', 'backend', 'extra'], ['--mode=frontend', '--fail-percent=120'], ['--mode=backend', '--port']]) {
      assert.deepEqual(await model.runToExit(args), await real.runToExit(args), args.join(' '));
    }
  });
});
