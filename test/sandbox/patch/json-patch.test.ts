// RFC 6902 JSON patch with kube-apiserver's (evanphx/json-patch v4) behaviour and error shapes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PatchError } from '../../../src/sandbox/api/patch/errors.js';
import { applyJsonPatch } from '../../../src/sandbox/api/patch/json-patch.js';

const makeDeployment = () => ({
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'web', image: 'nginx', args: ['-a'] }] } } },
});

/** Asserts a 422 Invalid whose single cause carries `detail`. */
function assertInvalid(fn: () => unknown, detail: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof PatchError);
    assert.equal(err.code, 422);
    assert.equal(err.reason, 'Invalid');
    assert.equal(err.message, 'the server rejected our request due to an error in our request');
    assert.deepEqual(err.causes, [{ message: detail }]);
    return true;
  });
}

describe('applyJsonPatch', () => {
  it('applies add/replace/remove as kubectl patch --type=json sends them', () => {
    const out = applyJsonPatch(makeDeployment(), [
      { op: 'replace', path: '/spec/replicas', value: 3 },
      { op: 'add', path: '/metadata/labels/tier', value: 'frontend' },
      { op: 'remove', path: '/metadata/labels/app' },
      { op: 'add', path: '/spec/template/spec/containers/0/args/-', value: '-b' },
    ]) as ReturnType<typeof makeDeployment>;
    assert.equal(out.spec.replicas, 3);
    assert.deepEqual(out.metadata.labels, { tier: 'frontend' });
    assert.deepEqual(out.spec.template.spec.containers[0].args, ['-a', '-b']);
  });

  it('decodes ~1 and ~0 in pointers (annotation keys with slashes)', () => {
    const doc = { metadata: { annotations: { 'sidecar.istio.io/inject': 'true', 'a~b': 'x' } } };
    const out = applyJsonPatch(doc, [
      { op: 'replace', path: '/metadata/annotations/sidecar.istio.io~1inject', value: 'false' },
      { op: 'remove', path: '/metadata/annotations/a~0b' },
    ]);
    assert.deepEqual(out, { metadata: { annotations: { 'sidecar.istio.io/inject': 'false' } } });
  });

  it('inserts into arrays at an index, shifting the rest', () => {
    const out = applyJsonPatch({ list: ['a', 'c'] }, [{ op: 'add', path: '/list/1', value: 'b' }]);
    assert.deepEqual(out, { list: ['a', 'b', 'c'] });
  });

  it('moves and copies values', () => {
    const out = applyJsonPatch({ a: { x: 1 }, b: {} }, [
      { op: 'copy', from: '/a/x', path: '/b/y' },
      { op: 'move', from: '/a', path: '/c' },
    ]);
    assert.deepEqual(out, { b: { y: 1 }, c: { x: 1 } });
  });

  it('passes a matching test and fails a different one with 422', () => {
    assert.deepEqual(applyJsonPatch({ a: [1, { b: 2 }] }, [{ op: 'test', path: '/a', value: [1, { b: 2 }] }]), { a: [1, { b: 2 }] });
    assertInvalid(() => applyJsonPatch(makeDeployment(), [{ op: 'test', path: '/spec/replicas', value: 5 }]), 'testing value /spec/replicas failed: test failed');
  });

  it('lets a test for null match a missing member', () => {
    assert.deepEqual(applyJsonPatch({ a: {} }, [{ op: 'test', path: '/a/b', value: null }]), { a: {} });
    assertInvalid(() => applyJsonPatch({ a: {} }, [{ op: 'test', path: '/a/b', value: 1 }]), 'testing value /a/b failed: test failed');
  });

  it('rejects add under a missing parent with the library message', () => {
    assertInvalid(
      () => applyJsonPatch(makeDeployment(), [{ op: 'add', path: '/spec/foo/bar', value: 1 }]),
      'add operation does not apply: doc is missing path: "/spec/foo/bar": missing value',
    );
  });

  it('rejects removing a missing key', () => {
    assertInvalid(
      () => applyJsonPatch(makeDeployment(), [{ op: 'remove', path: '/metadata/labels/nope' }]),
      "error in remove for path: '/metadata/labels/nope': Unable to remove nonexistent key: nope: missing value",
    );
  });

  it('treats replace of a missing object member as add, like kube-apiserver does', () => {
    const out = applyJsonPatch({ spec: {} }, [{ op: 'replace', path: '/spec/paused', value: true }]);
    assert.deepEqual(out, { spec: { paused: true } });
  });

  it('rejects out-of-range array indices and unknown ops', () => {
    assertInvalid(
      () => applyJsonPatch({ list: [1] }, [{ op: 'replace', path: '/list/4', value: 1 }]),
      'replace operation does not apply: doc is missing key: /list/4: missing value',
    );
    assertInvalid(() => applyJsonPatch({}, [{ op: 'merge', path: '/a' }]), 'Unexpected kind: merge');
  });

  it('answers 400 for a body that is not a list of operations', () => {
    assert.throws(() => applyJsonPatch({}, { op: 'add' }), (err: unknown) => {
      assert.ok(err instanceof PatchError);
      assert.equal(err.code, 400);
      assert.equal(err.reason, 'BadRequest');
      assert.equal(err.message, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
      return true;
    });
    assert.throws(() => applyJsonPatch({}, ['add']), { code: 400 });
  });

  it('leaves the input document untouched', () => {
    const doc = makeDeployment();
    applyJsonPatch(doc, [{ op: 'replace', path: '/spec/replicas', value: 9 }]);
    assert.equal(doc.spec.replicas, 1);
  });
});
