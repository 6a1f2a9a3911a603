// The sandbox API answers bad requests with real Kubernetes Status objects and never crashes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { rawRequest } from '../helpers/raw-http.js';

describe('sandbox API errors', () => {
  let sb: TestSandbox;
  before(async () => {
    sb = await startTestSandbox();
  });
  after(() => sb.dispose());

  it('rejects requests without the bearer token with 401 Unauthorized', async () => {
    const r = await rawRequest(sb.kc, 'GET', '/api/v1/namespaces', { noAuth: true });
    assert.equal(r.status, 401);
    assert.equal(r.json().reason, 'Unauthorized');
    const wrong = await rawRequest(sb.kc, 'GET', '/api/v1/namespaces', { token: 'not-the-token' });
    assert.equal(wrong.status, 401);
  });

  it('answers a missing object with 404 NotFound naming the resource', async () => {
    const r = await rawRequest(sb.kc, 'GET', '/api/v1/namespaces/default/configmaps/nope');
    assert.equal(r.status, 404);
    assert.deepEqual([r.json().kind, r.json().reason, r.json().message], ['Status', 'NotFound', 'configmaps "nope" not found']);
  });

  it('answers a duplicate create with 409 AlreadyExists', async () => {
    const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dup' }, data: { a: '1' } });
    const first = await rawRequest(sb.kc, 'POST', '/api/v1/namespaces/default/configmaps', { body, contentType: 'application/json' });
    assert.equal(first.status, 201);
    const second = await rawRequest(sb.kc, 'POST', '/api/v1/namespaces/default/configmaps', { body, contentType: 'application/json' });
    assert.equal(second.status, 409);
    assert.equal(second.json().reason, 'AlreadyExists');
  });

  it('answers an update with a stale resourceVersion with 409 Conflict', async () => {
    const created = (await rawRequest(sb.kc, 'POST', '/api/v1/namespaces/default/configmaps', { body: JSON.stringify({ metadata: { name: 'occ' }, data: { v: '1' } }), contentType: 'application/json' })).json();
    const stale = created.metadata.resourceVersion;
    const ok = await rawRequest(sb.kc, 'PUT', '/api/v1/namespaces/default/configmaps/occ', { body: JSON.stringify({ ...created, data: { v: '2' } }), contentType: 'application/json' });
    assert.equal(ok.status, 200);
    assert.notEqual(ok.json().metadata.resourceVersion, stale);
    const conflict = await rawRequest(sb.kc, 'PUT', '/api/v1/namespaces/default/configmaps/occ', { body: JSON.stringify({ ...created, data: { v: '3' } }), contentType: 'application/json' });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.json().reason, 'Conflict');
    assert.match(conflict.json().message, /the object has been modified/);
  });

  it('answers an invalid name with 422 Invalid and a cause naming metadata.name', async () => {
    const r = await rawRequest(sb.kc, 'POST', '/api/v1/namespaces/default/configmaps', { body: JSON.stringify({ metadata: { name: 'Bad_Name' } }), contentType: 'application/json' });
    assert.equal(r.status, 422);
    assert.equal(r.json().reason, 'Invalid');
    assert.equal(r.json().details.causes[0].field, 'metadata.name');
    assert.match(r.json().message, /ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"/);
  });

  it('answers malformed JSON with 400 BadRequest and keeps serving', async () => {
    const r = await rawRequest(sb.kc, 'POST', '/api/v1/namespaces/default/configmaps', { body: '{"metadata": {', contentType: 'application/json' });
    assert.equal(r.status, 400);
    assert.equal(r.json().reason, 'BadRequest');
    assert.equal((await rawRequest(sb.kc, 'GET', '/api/v1/namespaces/default')).status, 200);
  });

  it('rejects oversized bodies with 413', async () => {
    const big = JSON.stringify({ metadata: { name: 'big' }, data: { x: 'y'.repeat(4 * 1024 * 1024) } });
    const r = await rawRequest(sb.kc, 'POST', '/api/v1/namespaces/default/configmaps', { body: big, contentType: 'application/json' });
    assert.equal(r.status, 413);
    assert.equal(r.json().reason, 'RequestEntityTooLarge');
    assert.equal((await rawRequest(sb.kc, 'GET', '/version')).status, 200);
  });

  it('answers removed APIs like a 1.30 server: extensions/v1beta1 is not served', async () => {
    const r = await rawRequest(sb.kc, 'GET', '/apis/extensions/v1beta1/namespaces/default/deployments');
    assert.equal(r.status, 404);
    const groups = (await rawRequest(sb.kc, 'GET', '/apis')).json().groups.map((g: any) => g.name);
    assert.ok(!groups.includes('extensions'));
    assert.ok(groups.includes('apps'));
  });

  it('answers a create whose kind does not match the URL with 400', async () => {
    const r = await rawRequest(sb.kc, 'POST', '/api/v1/namespaces/default/configmaps', { body: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }), contentType: 'application/json' });
    assert.equal(r.status, 400);
    assert.match(r.json().message, /kind in the data \(Secret\) does not match the expected kind \(ConfigMap\)/);
  });

  it('answers a create in a missing namespace with 404 for the namespace', async () => {
    const r = await rawRequest(sb.kc, 'POST', '/api/v1/namespaces/ghost/configmaps', { body: JSON.stringify({ metadata: { name: 'x' } }), contentType: 'application/json' });
    assert.equal(r.status, 404);
    assert.equal(r.json().message, 'namespaces "ghost" not found');
  });

  it('rejects unsupported field selectors with 400, as the real server does', async () => {
    const r = await rawRequest(sb.kc, 'GET', '/api/v1/namespaces/default/configmaps?fieldSelector=data.x%3Dy');
    assert.equal(r.status, 400);
    assert.match(r.json().message, /field label not supported: data.x/);
  });

  it('answers a strategic merge patch on a custom resource with 415, and a bad patch type with 415', async () => {
    const r = await rawRequest(sb.kc, 'PATCH', '/api/v1/namespaces/default/configmaps/dup', { body: '{}', contentType: 'text/plain' });
    assert.equal(r.status, 415);
    assert.equal(r.json().reason, 'UnsupportedMediaType');
  });
});
