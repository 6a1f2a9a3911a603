// Property-based fuzzing of manifests (fast-check, seeded): multi-document streams of valid,
// mutated (wrong apiVersion or kind, missing metadata.name, wrong types) and broken documents go
// through parseManifests (src/lab) and the validate pipeline (src/validate), and a few of the
// cases found go through the real CLI. Nothing throws; every problem names file:line:column and
// the document and field; the CLI exits 2 without a stack trace.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { checkKubeObject, parseManifests } from '../../src/lab/manifests.js';
import { MAX_YAML_DOCUMENTS } from '../../src/lab/yaml-source.js';
import { checkObject, createKindRegistry, validatePaths } from '../../src/validate/index.js';
import { readManifestSites } from '../../src/validate/manifest-file.js';
import { locateProblem } from '../../src/validate/object-site.js';
import { FUZZ_SEED, applyDataMutation, applyTextMutation, assertWellFormed, dataMutation, isFileLevel, oddValue, renderYaml, scaleRuns, textMutation } from '../helpers/fuzz.js';
import { isolatedEnv, runCli } from '../helpers/cli.js';

/** Every object in the repo's manifests/ (CRDs left out: large, and not what authors write). */
async function readSeedObjects(dir: string): Promise<object[]> {
  const found: object[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await readSeedObjects(path)));
    else if (entry.name.endsWith('.yaml')) {
      for (const doc of parseAllDocuments(await readFile(path, 'utf8'))) {
        const value = doc.toJS() as { kind?: string } | null;
        if (value && value.kind !== 'CustomResourceDefinition') found.push(value);
      }
    }
  }
  return found;
}

const objects = await readSeedObjects(join(process.cwd(), 'manifests'));
const object = fc.nat({ max: objects.length - 1 }).map((i) => objects[i]);

/** Targeted damage to the fields every object needs. */
const headerMutation = fc.record({
  field: fc.constantFrom('apiVersion', 'kind', 'metadata', 'name', 'namespace'),
  value: fc.oneof(oddValue, fc.constantFrom(undefined, 'v1beta1', 'networking.istio.io/v1alpha9', 'apps/v1/extra', 'extensions/v1beta1', 'virtualservice', 'List', 'Bad_Name', 'a'.repeat(300))),
});

function damageHeader(value: object, m: { field: string; value: unknown }): object {
  const copy = structuredClone(value) as Record<string, any>;
  const target = m.field === 'name' || m.field === 'namespace' ? (copy.metadata ??= {}) : copy;
  if (m.value === undefined) delete target[m.field];
  else target[m.field] = m.value;
  return copy;
}

/** One document's text: valid, damaged, broken YAML, a scalar, empty, or a List of damaged items. */
const documentText: fc.Arbitrary<string> = fc.oneof(
  object.map((o) => renderYaml(o)),
  fc.tuple(object, dataMutation).map(([o, m]) => renderYaml(applyDataMutation(o, m).data)),
  fc.tuple(object, headerMutation).map(([o, m]) => renderYaml(damageHeader(o, m))),
  fc.tuple(object, dataMutation, textMutation).map(([o, m, t]) => applyTextMutation(renderYaml(applyDataMutation(o, m).data), t).replace(/^---$/gm, '--')),
  fc.constantFrom('kind: [\n', 'a: b: c\n', '\tkey: v\n', '- a\nb: c\n', 'x: *undefined\n', 'just text\n', '42\n', '', '~\n', '[]\n', '{}\n', 'a: &a [*a]\n'),
  fc.array(fc.tuple(object, headerMutation), { maxLength: 3 }).map((items) => renderYaml({ apiVersion: 'v1', kind: 'List', items: items.map(([o, m]) => damageHeader(o, m)) })),
);

const stream = fc.array(documentText, { minLength: 1, maxLength: 4 });
const params = { seed: FUZZ_SEED, numRuns: scaleRuns(200), endOnFailure: true };

/** Starts each document with a "---" line; returns the text and the 1-based line each document's body starts on. */
function joinDocuments(docs: string[]): { text: string; starts: number[] } {
  const starts: number[] = [];
  let line = 1;
  const parts = docs.map((doc) => {
    const part = `---\n${doc.endsWith('\n') || doc === '' ? doc : `${doc}\n`}`;
    starts.push(line + 1);
    line += part.split('\n').length - 1;
    return part;
  });
  return { text: parts.join(''), starts };
}

/** Asserts a problem names a document that exists and, for field problems, points inside it. */
function assertInDocument(path: string, line: number, starts: number[], shown: string): void {
  const m = /^(?:steps\[\d+\]\.actions\[\d+\]\.inline\.)?documents\[(\d+)\]/.exec(path);
  assert.ok(m, `no document in the path: ${shown}`);
  const index = Number(m[1]);
  assert.ok(index < starts.length, `document ${index} of ${starts.length}: ${shown}`);
  const end = starts[index + 1] ?? Number.POSITIVE_INFINITY;
  assert.ok(line >= starts[index] - 1 && line < end, `line ${line} is outside document ${index} (lines ${starts[index]}..${end - 1}): ${shown}`);
}

describe('fuzz: manifests through parseManifests', () => {
  it('never throws; objects it accepts are complete, and errors name the document and field', () => {
    fc.assert(
      fc.property(stream, (docs) => {
        const { text, starts } = joinDocuments(docs);
        const r = parseManifests(text, 'manifests/fuzz.yaml');
        if (r.ok) {
          for (const o of r.objects) assert.deepEqual(checkKubeObject(o), []);
          return;
        }
        assert.ok(r.errors.length > 0);
        for (const e of r.errors) {
          assertWellFormed(e, 'manifests/fuzz.yaml', text);
          if (!isFileLevel(e) || e.path !== '') assertInDocument(e.path, e.line, starts, String(e));
        }
      }),
      params,
    );
  });

  // Found probing the limits beside the fuzzing: 1M "---" lines (4 MB, under the size limit) took 14 s to parse.
  it('stops reading at MAX_YAML_DOCUMENTS documents, quickly, naming where', () => {
    const started = performance.now();
    const r = parseManifests('---\n'.repeat(1_000_000), 'manifests/many.yaml');
    assert.ok(performance.now() - started < 3000, 'a million documents took too long');
    assert.ok(!r.ok);
    assert.deepEqual(r.errors.map(String), [`manifests/many.yaml:${MAX_YAML_DOCUMENTS + 1}:1 more than ${MAX_YAML_DOCUMENTS} YAML documents in one file; split it into several files`]);
    assert.ok(parseManifests('---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n'.repeat(MAX_YAML_DOCUMENTS), 'ok.yaml').ok);
  });
});

describe('fuzz: manifests through the validate pipeline', () => {
  it('checkObject never throws and every problem is located inside its document', async () => {
    const registry = createKindRegistry();
    await fc.assert(
      fc.asyncProperty(stream, async (docs) => {
        const { text, starts } = joinDocuments(docs);
        const read = readManifestSites(text, 'fuzz.yaml');
        for (const e of read.errors) assertWellFormed(e, 'fuzz.yaml', text);
        for (const site of read.sites) {
          for (const problem of await checkObject(site.object, registry)) {
            const e = locateProblem(site, problem);
            assertWellFormed(e, 'fuzz.yaml', text);
            assertInDocument(e.path, e.line, starts, String(e));
          }
        }
      }),
      params,
    );
  });

  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'istio-lab-fuzz-validate-'));
    await mkdir(join(dir, 'labs/core'), { recursive: true });
    await mkdir(join(dir, 'manifests'), { recursive: true });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('validatePaths on files (a manifest, and a lab with the same documents inline) never throws', async () => {
    await fc.assert(
      fc.asyncProperty(stream, async (docs) => {
        const { text } = joinDocuments(docs);
        const inline = text.split('\n').map((l) => `          ${l}`).join('\n');
        const lab = `# yaml-language-server: $schema=../../schema/lab.schema.json\nname: fuzz\ntitle: Fuzz\ntrack: core\nsummary: s\nscope: namespace\nsteps:\n  - name: one\n    title: One\n    instructions: x\n    actions:\n      - kind: apply\n        file: fuzz.yaml\n      - kind: apply\n        inline: |\n${inline}\n`;
        await writeFile(join(dir, 'manifests/fuzz.yaml'), text);
        await writeFile(join(dir, 'labs/core/fuzz.yaml'), lab);
        const report = await validatePaths(['labs/core/fuzz.yaml'], { cwd: dir, repoRoot: dir });
        const texts: Record<string, string> = { 'manifests/fuzz.yaml': text, 'labs/core/fuzz.yaml': lab };
        for (const e of report.problems) {
          assert.ok(e.file in texts, `unexpected file: ${String(e)}`);
          assertWellFormed(e, e.file, texts[e.file]);
        }
        assert.equal(report.errorCount, report.problems.filter((p) => p.severity === 'error').length);
      }),
      { ...params, numRuns: scaleRuns(40) },
    );
  });

  it('the real CLI exits 2 on fuzz-found bad files, with located lines and no stack trace', async () => {
    const samples = fc.sample(stream, { seed: FUZZ_SEED, numRuns: 200 });
    const failing = samples.map((docs) => joinDocuments(docs).text).filter((text) => !parseManifests(text, 'x.yaml').ok);
    const handWritten = ['apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n---\nkind: [\n', `a: ${'['.repeat(3000)}\n`, 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: x }\nspec: { http: .nan }\n'];
    const files: string[] = [];
    for (const [i, text] of [...failing.slice(0, 3), ...handWritten].entries()) {
      files.push(join(dir, `case-${i}.yaml`));
      await writeFile(files[i], text);
    }
    const env = isolatedEnv();
    const clean = (r: { stdout: string; stderr: string }) => assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at |\[object Object\]|undefined|NaN|Infinity/, r.stdout + r.stderr);
    const single = await Promise.all(files.map((file) => runCli(['validate', file], env, 60_000)));
    for (const [i, r] of single.entries()) {
      assert.equal(r.code, 2, `validate ${files[i]}\n${r.stdout}${r.stderr}`);
      assert.equal(r.stderr, '');
      clean(r);
      const lines = r.stdout.trimEnd().split('\n');
      assert.match(lines.at(-1)!, /^1 file checked, [1-9]\d* errors?, \d+ warnings?$/);
      for (const line of lines.slice(0, -1)) assert.ok(line.startsWith(`${files[i]}:`) && /^[^:]+:\d+:\d+ /.test(line), line);
    }
    const all = await runCli(['--debug', 'validate', '-o', 'json', ...files], env, 60_000);
    assert.equal(all.code, 2, all.stderr);
    clean(all);
    const body = JSON.parse(all.stdout) as { errors: number; problems: { file: string; line: number; column: number; path: string }[] };
    assert.deepEqual([...new Set(body.problems.map((p) => p.file))].sort(), [...files].sort());
    assert.ok(body.problems.every((p) => p.line >= 1 && p.column >= 1));
  });
});
