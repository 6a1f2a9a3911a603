// istio/examples-helloworld-v1/-v2: /hello names the version and the instance (pod name).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { helloworldModel } from '../../../src/sandbox/workloads/helloworld-model.js';
import { resolveWorkloadModel } from '../../../src/sandbox/workloads/index.js';
import { eventually, httpGet, startModel } from './harness.js';

test('v1 and v2 images answer /hello with their version and pod name, on port 5000', async (t) => {
  for (const v of ['v1', 'v2']) {
    const image = `docker.io/istio/examples-helloworld-${v}:1.0`;
    assert.equal(resolveWorkloadModel(image).model, helloworldModel);
    const m = startModel(helloworldModel, { name: 'helloworld', image, ports: [{ containerPort: 5000 }] }, { podName: `helloworld-${v}-6b9c7d8f5-abcde` });
    t.after(() => m.stop.abort());
    const base = (await m.serve(5000)).url;
    const r = await httpGet(`${base}/hello`);
    assert.equal(r.status, 200);
    assert.equal(r.body, `Hello version: ${v}, instance: helloworld-${v}-6b9c7d8f5-abcde\n`);
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(m.workload.httpHandler?.(8080), undefined);
  }
});

test('/health, 404, 405, SERVICE_VERSION override and one log line per request', async (t) => {
  const m = startModel(helloworldModel, { name: 'helloworld', image: 'istio/examples-helloworld-v1' }, { env: { SERVICE_VERSION: 'canary' } });
  t.after(() => m.stop.abort());
  const base = (await m.serve(5000)).url;
  assert.match(m.logs[0], /Starting gunicorn/);
  const startup = m.logs.length;
  assert.equal((await httpGet(`${base}/hello`)).body.startsWith('Hello version: canary,'), true);
  assert.equal((await httpGet(`${base}/health`)).body, 'Helloworld is healthy');
  const nf = await httpGet(`${base}/nope`);
  assert.equal(nf.status, 404);
  assert.match(nf.body, /<title>404 Not Found<\/title>/);
  assert.equal((await httpGet(`${base}/hello`, { method: 'POST' })).status, 405);
  await eventually(() => m.logs.length === startup + 4);
  assert.match(m.logs[startup], /^127\.0\.0\.1 - - \[16\/Jul\/2025:17:17:09 \+0000\] "GET \/hello HTTP\/1\.1" 200 \d+ "-" "-"$/);
});
