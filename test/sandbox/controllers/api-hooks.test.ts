// Pod, ConfigMap and Secret defaulting and validation hooks.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../src/sandbox/api/status.js';
import { defaultPullPolicy } from '../../../src/sandbox/controllers/hooks/pod-spec.js';
import { namespace, startHarness, waitFor, type Harness } from './harness.js';

describe('API defaulting and validation hooks', () => {
  let h: Harness;
  before(() => {
    h = startHarness({ autoReady: false });
    h.apply(namespace('hooks'));
  });
  after(() => h.stop());

  it('defaults pods like the API server and its admission plugins', () => {
    const p = h.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'hooks' }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] } });
    const s = p.spec;
    assert.deepEqual([s.restartPolicy, s.dnsPolicy, s.terminationGracePeriodSeconds, s.schedulerName, s.serviceAccountName, s.enableServiceLinks], ['Always', 'ClusterFirst', 30, 'default-scheduler', 'default', true]);
    const c = s.containers[0];
    assert.deepEqual([c.imagePullPolicy, c.ports[0].protocol, c.terminationMessagePath, c.terminationMessagePolicy], ['Always', 'TCP', '/dev/termination-log', 'File']);
    assert.match(s.volumes[0].name, /^kube-api-access-[a-z0-9]{5}$/);
    assert.equal(c.volumeMounts[0].mountPath, '/var/run/secrets/kubernetes.io/serviceaccount');
    assert.deepEqual(s.tolerations.map((t: any) => t.key), ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);
    assert.deepEqual(p.status, { phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('picks imagePullPolicy from the tag', () => {
    assert.equal(defaultPullPolicy('nginx'), 'Always');
    assert.equal(defaultPullPolicy('nginx:latest'), 'Always');
    assert.equal(defaultPullPolicy('nginx:1.27'), 'IfNotPresent');
    assert.equal(defaultPullPolicy('localhost:5000/app'), 'Always');
    assert.equal(defaultPullPolicy('repo/app@sha256:abc'), 'IfNotPresent');
  });

  it('validates pod containers', () => {
    const bad = (spec: unknown) => () => h.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad', namespace: 'hooks' }, spec } as any);
    assert.throws(bad({ containers: [] }), (e: unknown) => e instanceof ApiError && e.code === 422 && e.message === 'Pod "bad" is invalid: spec.containers: Required value');
    assert.throws(bad({ containers: [{ name: 'c' }] }), /spec\.containers\[0\]\.image: Required value/);
    assert.throws(bad({ containers: [{ name: 'Bad_Name', image: 'x' }] }), /spec\.containers\[0\]\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 label/);
    assert.throws(bad({ containers: [{ name: 'c', image: 'x' }, { name: 'c', image: 'y' }] }), /spec\.containers\[1\]\.name: Duplicate value: "c"/);
  });

  it('forbids pod spec changes other than images on update', async () => {
    const rt = h.registry.resolveKind('v1', 'Pod');
    const p = await waitFor(() => h.get('/pods', 'hooks', 'p')?.spec.nodeName && h.get('/pods', 'hooks', 'p'), 'scheduled');
    const image = h.registry.update(rt, 'hooks', 'p', { ...p, spec: { ...p.spec, containers: [{ ...p.spec.containers[0], image: 'nginx:1.28' }] } });
    assert.equal(image.spec.containers[0].image, 'nginx:1.28');
    assert.throws(() => h.registry.update(rt, 'hooks', 'p', { ...image, spec: { ...image.spec, restartPolicy: 'Never' } }), /spec: Forbidden: pod updates may not change fields other than/);
  });

  it('merges Secret stringData into base64 data and rejects invalid base64', () => {
    const s = h.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'hooks' }, stringData: { user: 'admin' }, data: { pass: 'c2VjcmV0' } } as any);
    assert.deepEqual(s.data, { pass: 'c2VjcmV0', user: 'YWRtaW4=' });
    assert.equal(s.stringData, undefined);
    assert.equal(s.type, 'Opaque');
    assert.throws(
      () => h.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bad', namespace: 'hooks' }, data: { x: 'not base64!' } } as any),
      (e: unknown) => e instanceof ApiError && e.code === 400 && e.message === 'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3',
    );
    assert.throws(() => h.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls', namespace: 'hooks' }, type: 'kubernetes.io/tls', data: {} } as any), /data\[tls\.crt\]: Required value/);
  });

  it('validates ConfigMap keys and immutability', () => {
    assert.throws(() => h.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'hooks' }, data: { 'a b': 'x' } } as any), /data\[a b\]: Invalid value: "a b": a valid config key must consist of alphanumeric characters/);
    const cm = h.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'frozen', namespace: 'hooks' }, data: { a: '1' }, immutable: true } as any);
    const rt = h.registry.resolveKind('v1', 'ConfigMap');
    assert.throws(() => h.registry.update(rt, 'hooks', 'frozen', { ...cm, data: { a: '2' } }), /data: Forbidden: field is immutable when `immutable` is set/);
  });
});
