// Client images (curlimages/curl, istio/curl, tutum/curl, …): the container runs its command, listens
// nowhere, and stops when the container is stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { curlClientModel } from '../../../src/sandbox/workloads/curl-client-model.js';
import { resolveWorkloadModel } from '../../../src/sandbox/workloads/index.js';
import { eventually, fakeNetwork, reply, startModel } from './harness.js';

test('every curl client image resolves to the client model', () => {
  for (const image of ['curlimages/curl:8.16.0', 'docker.io/istio/curl:1.0', 'governmentpaas/curl-ssl', 'tutum/curl', 'pstauffer/curl:v1.0.3']) {
    assert.equal(resolveWorkloadModel(image).model, curlClientModel, image);
    assert.equal(resolveWorkloadModel(image).modelled, true);
  }
});

test('`sleep infinity` runs until the container stops; nothing listens', async () => {
  const m = startModel(curlClientModel, { name: 'curl', image: 'curlimages/curl:8.16.0', command: ['/bin/sleep', 'infinity'] });
  assert.equal(m.workload.httpHandler?.(80), undefined);
  let done = false;
  void m.exit!.then(() => (done = true));
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(done, false);
  m.stop.abort();
  await m.exit;
});

test("curlimages/curl without a command runs `curl`, which exits 2 like the real image", async () => {
  const m = startModel(curlClientModel, { name: 'curl', image: 'curlimages/curl:8.16.0' });
  assert.equal(await m.exit, 2);
  assert.deepEqual(m.logs, ["curl: try 'curl --help' or 'curl --manual' for more information"]);
  const other = startModel(curlClientModel, { name: 'curl', image: 'tutum/curl' });
  let done = false;
  void other.exit!.then(() => (done = true));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(done, false, 'other images default to sleeping');
  other.stop.abort();
});

test('a traffic loop in the command sends requests and logs what curl prints', async () => {
  const net = fakeNetwork(() => reply(200, 'hi'));
  const m = startModel(curlClientModel, { name: 'curl', image: 'curlimages/curl:8.16.0', command: ['sh', '-c', 'for i in 1 2 3; do curl -s -o /dev/null -w "%{http_code}\\n" http://httpbin:8000/get; done; sleep infinity'] }, { network: net });
  await eventually(() => m.logs.length === 3);
  assert.deepEqual(m.logs, ['200', '200', '200']);
  assert.equal(net.sent.length, 3);
  m.stop.abort();
  await m.exit;
});
