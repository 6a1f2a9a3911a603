// FieldsV1 encoding and set algebra, checked against managedFields a real server emits.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFieldSet, FieldSet, formatFieldPath } from '../../../src/sandbox/api/patch/field-set.js';

/** FieldsV1 of a kubectl-create'd Deployment container as a 1.30 server stores it (abridged). */
const SERVER_FIELDS = {
  'f:spec': {
    'f:template': {
      'f:spec': {
        'f:containers': {
          'k:{"name":"nginx"}': {
            '.': {},
            'f:image': {},
            'f:name': {},
            'f:ports': {
              '.': {},
              'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} },
            },
          },
        },
      },
    },
  },
};

describe('FieldSet', () => {
  it('round-trips server FieldsV1 including "." markers', () => {
    const set = FieldSet.fromFieldsV1(SERVER_FIELDS);
    assert.deepEqual(set.toFieldsV1(), SERVER_FIELDS);
    assert.equal(set.has(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"nginx"}']), true);
    assert.equal(set.has(['f:spec', 'f:template']), false, 'intermediate struct fields are not members');
  });

  it('emits "." first and orders fields before keyed and value items', () => {
    const set = createFieldSet([['f:list', 'v:"b"'], ['f:list', 'k:{"a":1}'], ['f:list', 'f:z'], ['f:list'], ['f:list', 'k:{"a":1}', 'f:x']]);
    assert.deepEqual(Object.keys(set.toFieldsV1()['f:list'] as object), ['.', 'f:z', 'k:{"a":1}', 'v:"b"']);
  });

  it('difference removes exact members only; recursiveDifference removes subtrees', () => {
    const set = createFieldSet([['f:a'], ['f:a', 'f:b'], ['f:c']]);
    const minus = createFieldSet([['f:a']]);
    assert.deepEqual(set.difference(minus).toFieldsV1(), { 'f:a': { 'f:b': {} }, 'f:c': {} });
    assert.deepEqual(set.recursiveDifference(minus).toFieldsV1(), { 'f:c': {} });
  });

  it('intersects and unions member-wise, dropping empty branches', () => {
    const a = createFieldSet([['f:data', 'f:x'], ['f:data', 'f:y']]);
    const b = createFieldSet([['f:data', 'f:y'], ['f:spec', 'f:replicas']]);
    assert.deepEqual(a.intersection(b).toFieldsV1(), { 'f:data': { 'f:y': {} } });
    assert.deepEqual(a.union(b).listPaths(), [['f:data', 'f:x'], ['f:data', 'f:y'], ['f:spec', 'f:replicas']]);
    assert.equal(a.intersection(createFieldSet([['f:data']])).isEmpty(), true);
  });

  it('formats paths the way conflict messages print them', () => {
    assert.equal(formatFieldPath(['f:spec', 'f:replicas']), '.spec.replicas');
    assert.equal(
      formatFieldPath(['f:spec', 'f:containers', 'k:{"name":"web"}', 'f:ports', 'k:{"containerPort":80,"protocol":"TCP"}']),
      '.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"]',
    );
    assert.equal(formatFieldPath(['f:metadata', 'f:finalizers', 'v:"example.com/x"']), '.metadata.finalizers[="example.com/x"]');
  });
});
