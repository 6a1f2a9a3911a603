import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManifestError, readManifests } from '../../src/lab/load.js';
import { parseManifests } from '../../src/lab/manifests.js';
import { fixturePath } from './helpers.js';

describe('readManifests', () => {
  it('reads every document of a multi-document file, skipping empty ones', async () => {
    const objects = await readManifests(fixturePath('repo', 'manifests', 'httpbin.yaml'));
    assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata.name}`), ['Service/httpbin', 'Deployment/httpbin-v1']);
    assert.deepEqual((objects[0].spec as { ports: unknown[] }).ports, [{ name: 'http', port: 8000, targetPort: 80 }]);
  });

  it('keeps keys verbatim', async () => {
    const [crd] = await readManifests(fixturePath('repo', 'manifests', 'widgets-crd.yaml'));
    const schema = (crd.spec as any).versions[0].schema.openAPIV3Schema;
    assert.deepEqual(schema, { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  });

  it('names the file, line, document index and field of each malformed document', async () => {
    const error = await readManifests(fixturePath('broken-repo', 'manifests', 'no-name.yaml'), { displayPath: 'manifests/no-name.yaml' }).then(
      () => assert.fail('expected a ManifestError'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ManifestError);
    assert.deepEqual(error.errors.map(String), [
      'manifests/no-name.yaml:9:3 documents[1].metadata.name: missing required field "metadata.name"',
      'manifests/no-name.yaml:12:1 documents[2].apiVersion: missing required field "apiVersion"',
    ]);
  });

  it('reports a missing file as a ManifestError', async () => {
    await assert.rejects(readManifests('/nonexistent/x.yaml', { displayPath: 'manifests/x.yaml' }), (e: unknown) => {
      assert.ok(e instanceof ManifestError);
      assert.equal(String(e.errors[0]), 'manifests/x.yaml:1:1 cannot read manifest: ENOENT');
      return true;
    });
  });
});

describe('parseManifests', () => {
  it('expands kind: List into its items', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: { name: a }\n  - apiVersion: v1\n    kind: Secret\n    metadata: {}\n';
    const result = parseManifests(text, 'list.yaml');
    assert.ok(!result.ok);
    assert.deepEqual(result.errors.map(String), ['list.yaml:9:15 documents[0].items[1].metadata.name: missing required field "metadata.name"']);
  });

  it('reports YAML syntax errors and non-object documents', () => {
    const broken = parseManifests('apiVersion: v1\nkind: [\n', 'bad.yaml');
    assert.ok(!broken.ok);
    assert.match(String(broken.errors[0]), /^bad\.yaml:3:1 YAML: /);
    const scalar = parseManifests('just text\n', 'scalar.yaml');
    assert.ok(!scalar.ok);
    assert.deepEqual(scalar.errors.map(String), ['scalar.yaml:1:1 documents[0]: expected a Kubernetes object (a map with apiVersion, kind, metadata)']);
  });

  it('rejects alias bombs in manifests', () => {
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const [i, name] of ['b', 'c', 'd', 'e', 'f', 'g'].entries()) {
      const prev = String.fromCharCode(97 + i);
      rows.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    const result = parseManifests(`apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\ndata:\n${rows.map((r) => `  ${r}`).join('\n')}\n`, 'bomb.yaml');
    assert.ok(!result.ok);
    assert.match(String(result.errors[0]), /^bomb\.yaml:6:\d+ documents\[0\]: too many YAML alias expansions \(limit 100\)/);
  });
});
