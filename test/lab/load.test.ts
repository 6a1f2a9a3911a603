import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectObjects, loadLab } from '../../src/lab/load.js';
import type { LoadResult } from '../../src/lab/load.js';
import { resolveManifestRef } from '../../src/lab/refs.js';
import { fixturePath, LAB_HEADER } from './helpers.js';

function errorLines(result: LoadResult): string[] {
  assert.equal(result.ok, false, 'expected the lab to be rejected');
  return result.ok ? [] : result.errors.map(String);
}

describe('loadLab', () => {
  it('loads a valid lab and resolves manifests next to the lab, then in manifests/', async () => {
    const repoRoot = fixturePath('repo');
    const result = await loadLab(join(repoRoot, 'labs/core/traffic-shifting.yaml'), { repoRoot });
    assert.ok(result.ok, result.ok ? '' : result.errors.join('\n'));
    const { loaded } = result;
    assert.equal(loaded.displayFile, 'labs/core/traffic-shifting.yaml');
    assert.equal(loaded.manifests.get('httpbin-v2.yaml')?.path, join(repoRoot, 'labs/core/httpbin-v2.yaml'));
    assert.equal(loaded.manifests.get('virtual-service.yaml')?.path, join(repoRoot, 'manifests/virtual-service.yaml'));

    const [deploy, shift] = loaded.lab.steps;
    const applyFiles = deploy.actions[0];
    assert.ok(applyFiles.kind === 'apply');
    assert.deepEqual(collectObjects(loaded, applyFiles).map((o) => `${o.kind}/${o.metadata.name}`), [
      'Deployment/httpbin-v2',
      'DestinationRule/httpbin',
      'VirtualService/httpbin',
    ]);
    const applyInline = shift.actions[0];
    assert.ok(applyInline.kind === 'apply');
    const [vs] = collectObjects(loaded, applyInline);
    assert.equal(vs.kind, 'VirtualService');
    assert.deepEqual((vs.spec as any).http[0].route.map((r: { weight: number }) => r.weight), [75, 25]);
  });

  it('rejects references that escape labs/ and manifests/, absolute paths and missing files', async () => {
    const repoRoot = fixturePath('broken-repo');
    const result = await loadLab(join(repoRoot, 'labs/core/escapes.yaml'), { repoRoot });
    assert.deepEqual(errorLines(result), [
      'labs/core/escapes.yaml:13:9 steps[0].actions[0].file: "../../../../package.json" escapes the repo\'s labs/ and manifests/ folders',
      'labs/core/escapes.yaml:15:9 steps[0].actions[1].file: absolute paths are not allowed ("/etc/passwd"); give a path relative to the lab\'s folder, or one starting with "manifests/"',
      'labs/core/escapes.yaml:17:26 steps[0].actions[2].files[1]: manifest file not found: "missing.yaml" (looked for labs/core/missing.yaml and manifests/missing.yaml)',
      'labs/core/escapes.yaml:22:9 steps[0].cleanup[0].file: "manifests/../../secrets.yaml" escapes the repo\'s labs/ and manifests/ folders',
      'manifests/no-name.yaml:9:3 documents[1].metadata.name: missing required field "metadata.name"',
      'manifests/no-name.yaml:12:1 documents[2].apiVersion: missing required field "apiVersion"',
    ]);
  });

  it('returns parse errors unchanged', async () => {
    const repoRoot = fixturePath('invalid');
    const result = await loadLab(join(repoRoot, 'core/bad-split.yaml'), { repoRoot });
    assert.deepEqual(errorLines(result), [
      'core/bad-split.yaml:22:11 steps[1].checks[0].expect.split: weights must sum to 100 (got 90)',
    ]);
  });
});

describe('loadLab on a scratch repo', () => {
  let root = '';
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'istio-lab-load-'));
    await mkdir(join(root, 'repo/labs/core'), { recursive: true });
    await mkdir(join(root, 'repo/manifests'), { recursive: true });
    await writeFile(join(root, 'outside.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata: { name: stolen }\n');
    await symlink(join(root, 'outside.yaml'), join(root, 'repo/manifests/linked.yaml'));
    await symlink(root, join(root, 'repo/labs/core/up'));
    await mkdir(join(root, 'repo/manifests/dir'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('rejects symlinks that resolve outside the repo folders', async () => {
    const context = { repoRoot: join(root, 'repo'), labDir: join(root, 'repo/labs/core') };
    const linked = await resolveManifestRef('manifests/linked.yaml', context);
    assert.ok(!linked.ok);
    assert.match(linked.message, /^"manifests\/linked\.yaml" resolves through a symlink to .*outside\.yaml, outside the repo's labs\/ and manifests\/ folders$/);
    const viaDir = await resolveManifestRef('up/outside.yaml', context);
    assert.ok(!viaDir.ok);
    assert.match(viaDir.message, /resolves through a symlink/);
    const dir = await resolveManifestRef('dir', context);
    assert.deepEqual(dir, { ok: false, message: '"dir" is not a file; list the files with "files"' });
    assert.deepEqual(await resolveManifestRef('https://example.com/x.yaml', context), {
      ok: false,
      message: 'URLs are not supported ("https://example.com/x.yaml"); put the manifest in the repo\'s manifests/ folder',
    });
  });

  it('names the lab field that holds a symlinked reference', async () => {
    const lab = `${LAB_HEADER}\n    title: One\n    instructions: x\n    actions:\n      - kind: apply\n        file: manifests/linked.yaml\n`;
    await writeFile(join(root, 'repo/labs/core/sample.yaml'), lab);
    const result = await loadLab(join(root, 'repo/labs/core/sample.yaml'), { repoRoot: join(root, 'repo') });
    const lines = errorLines(result);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^labs\/core\/sample\.yaml:13:9 steps\[0\]\.actions\[0\]\.file: "manifests\/linked\.yaml" resolves through a symlink/);
  });

  it('rejects a lab file over 1 MiB before reading it', async () => {
    const big = join(root, 'repo/labs/core/big.yaml');
    await writeFile(big, `${LAB_HEADER}\n# ${'x'.repeat(1024 * 1024)}\n`);
    const result = await loadLab(big, { repoRoot: join(root, 'repo') });
    assert.deepEqual(errorLines(result).map((l) => l.replace(/\d+ bytes;/, 'N bytes;')), [
      'labs/core/big.yaml:1:1 file is N bytes; the limit is 1 MiB (1048576 bytes)',
    ]);
  });

  it('reports a missing lab file', async () => {
    const result = await loadLab(join(root, 'repo/labs/core/nope.yaml'), { repoRoot: join(root, 'repo') });
    assert.deepEqual(errorLines(result), ['labs/core/nope.yaml:1:1 lab file not found']);
  });
});
