// RFC 7386 merge patch: the examples from the RFC plus kubectl-style label patches.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyMergePatch } from '../../../src/sandbox/api/patch/merge-patch.js';

describe('applyMergePatch', () => {
  it('reproduces the RFC 7386 appendix example', () => {
    const target = { title: 'Goodbye!', author: { givenName: 'John', familyName: 'Doe' }, tags: ['example', 'sample'], content: 'This will be unchanged' };
    const patch = { title: 'Hello!', phoneNumber: '+01-123-456-7890', author: { familyName: null }, tags: ['example'] };
    assert.deepEqual(applyMergePatch(target, patch), {
      title: 'Hello!',
      author: { givenName: 'John' },
      tags: ['example'],
      content: 'This will be unchanged',
      phoneNumber: '+01-123-456-7890',
    });
  });

  it('deletes a label with null and adds another (kubectl label foo- bar=baz)', () => {
    const cm = { metadata: { name: 'c', labels: { foo: '1', keep: 'yes' } } };
    const out = applyMergePatch(cm, { metadata: { labels: { foo: null, bar: 'baz' } } });
    assert.deepEqual(out, { metadata: { name: 'c', labels: { keep: 'yes', bar: 'baz' } } });
  });

  it('replaces arrays wholesale instead of merging them', () => {
    const pod = { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } };
    const out = applyMergePatch(pod, { spec: { containers: [{ name: 'a', image: 'z' }] } });
    assert.deepEqual(out, { spec: { containers: [{ name: 'a', image: 'z' }] } });
  });

  it('replaces the whole document when the patch is not an object', () => {
    assert.deepEqual(applyMergePatch({ a: 1 }, ['x']), ['x']);
    assert.equal(applyMergePatch({ a: 1 }, 'text'), 'text');
  });

  it('does not mutate its inputs and ignores nulls for absent keys', () => {
    const target = { a: { b: 1 } };
    const patch = { a: { c: 2 }, gone: null };
    const out = applyMergePatch(target, patch);
    assert.deepEqual(out, { a: { b: 1, c: 2 } });
    assert.deepEqual(target, { a: { b: 1 } });
    assert.deepEqual(patch, { a: { c: 2 }, gone: null });
  });
});
