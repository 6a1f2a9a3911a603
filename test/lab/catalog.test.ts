import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { discoverLabs, loadWithRequires, orderWithRequires, resolveLabRef } from '../../src/lab/catalog.js';
import type { Catalog, RequiresNode } from '../../src/lab/catalog.js';
import { findClosest } from '../../src/lab/suggest.js';
import { fixturePath } from './helpers.js';

function catalogOf(...refs: string[]): Catalog {
  return {
    repoRoot: '/repo',
    entries: refs.map((ref) => {
      const [track, name] = ref.split('/');
      return { track, name, ref, file: `/repo/labs/${ref}.yaml` };
    }),
  };
}

function node(ref: string, ...requires: string[]): RequiresNode {
  const [track, name] = ref.split('/');
  return { track, name, requires };
}

describe('discoverLabs', () => {
  it('finds labs/<track>/<name>.yaml and skips manifests kept next to labs', async () => {
    const catalog = await discoverLabs(fixturePath('repo'));
    assert.equal(catalog.repoRoot, fixturePath('repo'));
    assert.deepEqual(catalog.entries.map((e) => e.ref), ['core/deploy-httpbin', 'core/traffic-shifting', 'gke-workshop/circuit-breaking']);
    assert.equal(catalog.entries[1].file, fixturePath('repo', 'labs', 'core', 'traffic-shifting.yaml'));
  });

  it('returns an empty catalog when there is no labs/ folder', async () => {
    assert.deepEqual((await discoverLabs(fixturePath('repo', 'manifests'))).entries, []);
  });
});

describe('resolveLabRef', () => {
  const catalog = catalogOf('core/traffic-shifting', 'core/fault-injection', 'gke-workshop/traffic-shifting', 'gke-workshop/circuit-breaking');

  it('resolves unqualified names in the core track and qualified ones exactly', () => {
    assert.deepEqual(resolveLabRef('traffic-shifting', catalog), { ok: true, entry: catalog.entries[0] });
    assert.deepEqual(resolveLabRef('gke-workshop/traffic-shifting', catalog), { ok: true, entry: catalog.entries[2] });
  });

  it('prefers the given track for unqualified names, then core', () => {
    const fromGke = resolveLabRef('traffic-shifting', catalog, { track: 'gke-workshop' });
    assert.ok(fromGke.ok && fromGke.entry.ref === 'gke-workshop/traffic-shifting');
    const fallback = resolveLabRef('fault-injection', catalog, { track: 'gke-workshop' });
    assert.ok(fallback.ok && fallback.entry.ref === 'core/fault-injection');
  });

  it('suggests near misses and the same name in other tracks', () => {
    assert.deepEqual(resolveLabRef('trafic-shifting', catalog), {
      ok: false,
      message: 'unknown lab "trafic-shifting"; did you mean core/traffic-shifting, gke-workshop/traffic-shifting?',
    });
    assert.deepEqual(resolveLabRef('circuit-breaking', catalog), {
      ok: false,
      message: 'unknown lab "circuit-breaking"; did you mean gke-workshop/circuit-breaking?',
    });
    assert.deepEqual(resolveLabRef('eks/fault-injection', catalog), {
      ok: false,
      message: 'unknown lab "eks/fault-injection"; did you mean core/fault-injection?',
    });
    assert.deepEqual(resolveLabRef('mirroring', catalog), { ok: false, message: 'unknown lab "mirroring"' });
    assert.deepEqual(resolveLabRef('Bad Name', catalog), { ok: false, message: '"Bad Name" is not a lab reference; use "name" or "track/name"' });
  });
});

describe('orderWithRequires', () => {
  it('puts prerequisites first, pulling them from the available labs', () => {
    const available = [
      node('core/install'),
      node('core/deploy', 'install'),
      node('core/routing', 'deploy'),
      node('gke/shifting', 'routing', 'core/install'),
    ];
    const result = orderWithRequires([available[3]], available);
    assert.ok(result.ok);
    assert.deepEqual(result.order.map((n) => `${n.track}/${n.name}`), ['core/install', 'core/deploy', 'core/routing', 'gke/shifting']);
  });

  it('keeps the given order for independent labs and lists each lab once', () => {
    const labs = [node('core/b', 'a'), node('core/c'), node('core/a')];
    const result = orderWithRequires(labs);
    assert.ok(result.ok);
    assert.deepEqual(result.order.map((n) => n.name), ['a', 'b', 'c']);
  });

  it('resolves an unqualified requirement in the lab\'s own track before core', () => {
    const labs = [node('gke/setup'), node('core/setup'), node('gke/lab', 'setup')];
    const result = orderWithRequires([labs[2]], labs);
    assert.ok(result.ok);
    assert.deepEqual(result.order.map((n) => `${n.track}/${n.name}`), ['gke/setup', 'gke/lab']);
  });

  it('names the cycle', () => {
    const labs = [node('core/a', 'b'), node('core/b', 'c'), node('core/c', 'a')];
    assert.deepEqual(orderWithRequires([labs[0]], labs), {
      ok: false,
      message: 'labs require each other in a cycle: core/a → core/b → core/c → core/a',
    });
  });

  it('names an unknown prerequisite with suggestions', () => {
    const labs = [node('core/deploy-httpbin'), node('core/shift', 'deploy-httpbn')];
    assert.deepEqual(orderWithRequires([labs[1]], labs), {
      ok: false,
      message: 'core/shift requires "deploy-httpbn", which is not a known lab; did you mean deploy-httpbin?',
    });
  });
});

describe('loadWithRequires', () => {
  it('loads a lab and its prerequisites from disk in run order', async () => {
    const catalog = await discoverLabs(fixturePath('repo'));
    const result = await loadWithRequires(['gke-workshop/circuit-breaking'], catalog);
    assert.ok(result.ok, result.ok ? '' : result.errors.join('\n'));
    assert.deepEqual(result.labs.map((l) => l.displayFile), [
      'labs/core/deploy-httpbin.yaml',
      'labs/core/traffic-shifting.yaml',
      'labs/gke-workshop/circuit-breaking.yaml',
    ]);
  });

  it('reports unknown references', async () => {
    const catalog = await discoverLabs(fixturePath('repo'));
    const result = await loadWithRequires(['traffic-shiftin'], catalog);
    assert.deepEqual(result, { ok: false, errors: ['unknown lab "traffic-shiftin"; did you mean core/traffic-shifting?'] });
  });
});

describe('findClosest', () => {
  it('ranks by edit distance and ignores far-off names', () => {
    assert.deepEqual(findClosest('htp', ['http', 'traffic', 'pods']), ['http']);
    assert.deepEqual(findClosest('envoy', ['envoy-stats', 'logs']), ['envoy-stats']);
    assert.deepEqual(findClosest('zzzz', ['http', 'traffic']), []);
  });
});

describe('loadWithRequires with a broken prerequisite', () => {
  it('names the lab whose requirement is unknown', async () => {
    const catalog = await discoverLabs(fixturePath('repo'));
    const entries = catalog.entries.filter((e) => e.ref !== 'core/deploy-httpbin');
    const result = await loadWithRequires(['core/traffic-shifting'], { ...catalog, entries });
    assert.deepEqual(result, {
      ok: false,
      errors: ['core/traffic-shifting requires "deploy-httpbin": unknown lab "deploy-httpbin"'],
    });
  });
});
