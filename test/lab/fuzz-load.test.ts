// Property-based fuzzing of lab loading (fast-check, seeded): hostile manifest references (../,
// absolute paths, URLs, symlinks out of the repo) and hostile manifests go through loadLab; size,
// alias and document limits hold for referenced manifests; fuzz-found bad labs go through the real
// CLI. Nothing outside labs/ and manifests/ is ever read; every problem is located.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import fc from 'fast-check';
import { loadLab } from '../../src/lab/load.js';
import { MAX_MANIFEST_BYTES } from '../../src/lab/manifests.js';
import { MAX_YAML_DOCUMENTS } from '../../src/lab/yaml-source.js';
import { SCHEMA_COMMENT, parseLab } from '../../src/lab/parse.js';
import { isInside, resolveManifestRef } from '../../src/lab/refs.js';
import { FUZZ_SEED, scaleRuns, applyDataMutation, applyTextMutation, assertWellFormed, dataMutation, isFileLevel, readLabSeeds, renderYaml, textMutation } from '../helpers/fuzz.js';
import { isolatedEnv, runCli } from '../helpers/cli.js';

const { seeds, seed } = await readLabSeeds();
const params = { seed: FUZZ_SEED, numRuns: scaleRuns(300), endOnFailure: true };

describe('fuzz: lab files and references through loadLab', () => {
  let root = '';
  let repo = '';
  before(async () => {
    root = await realpath(await mkdtemp(join(tmpdir(), 'istio-lab-fuzz-')));
    repo = join(root, 'repo');
    await mkdir(join(repo, 'labs/core'), { recursive: true });
    await mkdir(join(repo, 'manifests/sub'), { recursive: true });
    await writeFile(join(root, 'secret.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata: { name: stolen }\n');
    await writeFile(join(repo, 'manifests/ok.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ok }\n');
    await writeFile(join(repo, 'labs/core/near.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: near }\n');
    await symlink(join(root, 'secret.yaml'), join(repo, 'manifests/link-out.yaml'));
    await symlink(root, join(repo, 'manifests/sub/up'));
    await symlink('/etc', join(repo, 'labs/core/etc'));
    await symlink(join(repo, 'manifests/ok.yaml'), join(repo, 'labs/core/link-in.yaml'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  const pathPiece = fc.constantFrom('..', '.', '', 'manifests', 'labs', 'core', 'sub', 'up', 'etc', 'repo', '~', 'C:', '%2e%2e', 'a\\b', 'x\0y', 'ünï');
  const fileName = fc.constantFrom('ok.yaml', 'near.yaml', 'link-out.yaml', 'link-in.yaml', 'secret.yaml', 'passwd', 'hostname', 'up', '');
  const prefix = fc.constantFrom('', './', '/', 'manifests/', 'manifests/sub/', 'manifests/sub/up/', 'sub/up/', 'etc/', '../', '../../', '../../../', 'manifests/../', 'manifests/../../');
  const hostileRef = fc.oneof(
    fc.tuple(prefix, fc.array(pathPiece, { maxLength: 3 }), fileName).map(([p, mid, f]) => `${p}${mid.map((m) => `${m}/`).join('')}${f}`),
    fc.constantFrom('file:///etc/passwd', 'https://example.com/x.yaml', '/etc/passwd', '../../../../etc/passwd', 'manifests/../../secret.yaml', 'link-out.yaml', 'sub/up/secret.yaml', 'etc/passwd'),
    fc.string({ unit: 'grapheme', maxLength: 12 }),
  );

  it('a reference never resolves to a file outside labs/ and manifests/ (../, absolute paths, symlinks)', async () => {
    const context = () => ({ repoRoot: repo, labDir: join(repo, 'labs/core') });
    await fc.assert(
      fc.asyncProperty(hostileRef, async (ref) => {
        const r = await resolveManifestRef(ref, context());
        if (!r.ok) {
          assert.ok(r.message.length > 0 && !r.message.includes('undefined'), r.message);
          return;
        }
        const real = await realpath(r.path);
        assert.ok(isInside(join(repo, 'labs'), real) || isInside(join(repo, 'manifests'), real), `${ref} resolved to ${real}`);
        assert.ok((await stat(real)).isFile());
      }),
      params,
    );
  });

  it('labs whose references and manifests are hostile load to located errors, never a throw', async () => {
    const manifestText = fc.oneof(
      fc.constantFrom('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n', 'kind: [\n', '---\n- 1\n---\nmetadata: {}\n', 'a: &a [*a]\n', '\tkey: v\n'),
      fc.tuple(dataMutation, fc.option(textMutation)).map(([m, t]) => {
        const text = renderYaml(applyDataMutation({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm', labels: { a: 'b' } }, data: { k: 'v' } }, m).data);
        return t ? applyTextMutation(text, t) : text;
      }),
    );
    await fc.assert(
      fc.asyncProperty(hostileRef, manifestText, async (ref, manifest) => {
        await writeFile(join(repo, 'manifests/fuzzed.yaml'), manifest);
        const lab = { ...(seeds[0].data as object), name: 'fuzz', steps: [{ name: 'one', title: 'One', instructions: 'x', actions: [{ kind: 'apply', files: [ref, 'fuzzed.yaml'] }] }] };
        delete (lab as { requires?: unknown }).requires;
        const text = renderYaml(lab, `${SCHEMA_COMMENT}\n`);
        await writeFile(join(repo, 'labs/core/fuzz.yaml'), text);
        const r = await loadLab(join(repo, 'labs/core/fuzz.yaml'), { repoRoot: repo });
        if (r.ok) {
          for (const m of r.loaded.manifests.values()) assert.ok(isInside(join(repo, 'labs'), m.path) || isInside(join(repo, 'manifests'), m.path), m.path);
          return;
        }
        const texts: Record<string, string> = { 'labs/core/fuzz.yaml': text, 'manifests/fuzzed.yaml': manifest };
        for (const e of r.errors) {
          assert.ok(!isAbsolute(e.file), `read a file outside the repo: ${String(e)}`);
          assertWellFormed(e, e.file, texts[e.file] ?? (await readFile(join(repo, e.file), 'utf8').catch(() => '')));
          if (e.file === 'labs/core/fuzz.yaml') assert.match(e.path, /^steps\[0\]\.actions\[0\]\.files\[[01]\]$/, String(e));
          else if (!isFileLevel(e)) assert.match(e.path, /^documents\[\d+\]/, String(e));
        }
      }),
      { ...params, numRuns: scaleRuns(100) },
    );
  });
  it('rejects referenced manifests past the size, alias and document limits, naming the manifest', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefg'.split('').map((n, i) => `${n}: &${n} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)];
    await writeFile(join(repo, 'manifests/huge.yaml'), `# ${'x'.repeat(MAX_MANIFEST_BYTES)}\n`);
    await writeFile(join(repo, 'manifests/bomb.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: b }\ndata:\n${bomb.map((r) => `  ${r}`).join('\n')}\n`);
    await writeFile(join(repo, 'manifests/many.yaml'), '---\n'.repeat(MAX_YAML_DOCUMENTS + 1));
    const lab = { ...(seeds[0].data as object), name: 'limits', steps: [{ name: 'one', title: 'One', instructions: 'x', actions: [{ kind: 'apply', files: ['huge.yaml', 'bomb.yaml', 'many.yaml'] }] }] };
    delete (lab as { requires?: unknown }).requires;
    await writeFile(join(repo, 'labs/core/limits.yaml'), renderYaml(lab, `${SCHEMA_COMMENT}\n`));
    const started = performance.now();
    const r = await loadLab(join(repo, 'labs/core/limits.yaml'), { repoRoot: repo });
    assert.ok(performance.now() - started < 5000, 'limits took too long to enforce');
    assert.ok(!r.ok);
    assert.deepEqual(r.errors.map((e) => String(e).replace(/\d+ bytes;/, 'N bytes;')), [
      'manifests/bomb.yaml:6:10 documents[0]: too many YAML alias expansions (limit 100); write the values out instead of nesting aliases',
      'manifests/huge.yaml:1:1 file is N bytes; the limit is 8 MiB (8388608 bytes)',
      `manifests/many.yaml:${MAX_YAML_DOCUMENTS + 1}:1 more than ${MAX_YAML_DOCUMENTS} YAML documents in one file; split it into several files`,
    ]);
  });

  it('the real CLI exits 2 on fuzz-found bad labs, with file:line:column lines and no stack trace', async () => {
    const cases = fc
      .sample(fc.tuple(seed, dataMutation, fc.option(textMutation)), { seed: FUZZ_SEED, numRuns: 100 })
      .map(([s, m, t]) => {
        const text = renderYaml(applyDataMutation(s.data, m).data, `${SCHEMA_COMMENT}\n`);
        return { file: s.file, text: t ? applyTextMutation(text, t) : text };
      })
      .filter((c) => !parseLab(c.text, c.file).ok && /^steps\s*:/m.test(c.text))
      .slice(0, 4);
    assert.equal(cases.length, 4);
    const files = await Promise.all(
      cases.map(async (c, i) => {
        const file = join(root, `cli-${i}`, c.file);
        await mkdir(join(root, `cli-${i}/labs/core`), { recursive: true });
        await writeFile(file, c.text);
        return file;
      }),
    );
    const env = isolatedEnv({ ISTIO_LAB_ROOT: repo });
    const results = await Promise.all(files.map((file) => runCli(['validate', file], env, 60_000)));
    for (const [i, r] of results.entries()) {
      assert.equal(r.code, 2, `validate ${files[i]}\n${r.stdout}${r.stderr}`);
      assert.equal(r.stderr, '');
      assert.doesNotMatch(r.stdout, /\n\s+at |\[object Object\]|undefined|NaN|Infinity/, r.stdout);
      const lines = r.stdout.trimEnd().split('\n');
      assert.match(lines.at(-1)!, /^\d+ files? checked, [1-9]\d* errors?, \d+ warnings?$/);
      for (const line of lines.slice(0, -1)) assert.match(line, /^\S+\.yaml:\d+:\d+ /, line);
      assert.ok(lines.some((line) => line.startsWith(`${files[i]}:`)), r.stdout);
    }
  });
});
