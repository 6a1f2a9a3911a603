// Property-based fuzzing of lab files (fast-check, seeded): valid labs mutated in their data
// (wrong types, missing fields, unknown keys, deep nesting, odd scalars) and in their text (tabs,
// duplicate keys, aliases, truncation, unicode) go through parseLab. Nothing throws; every problem
// is a LabError at file:line:column naming the field; valid labs still parse. fuzz-load.test.ts
// does the same through loadLab, references and the CLI.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { formatPath } from '../../src/lab/errors.js';
import { SCHEMA_COMMENT, parseLab } from '../../src/lab/parse.js';
import { MAX_YAML_ERRORS } from '../../src/lab/yaml-source.js';
import { FUZZ_SEED, scaleRuns, applyDataMutation, applyTextMutation, assertWellFormed, dataMutation, isFileLevel, readLabSeeds, renderYaml, textMutation } from '../helpers/fuzz.js';
import { buildLab } from './helpers.js';

const { seeds, seed } = await readLabSeeds();
const params = { seed: FUZZ_SEED, numRuns: scaleRuns(300), endOnFailure: true };

/** Whether one formatted field path is the other or lies inside it. */
function related(a: string, b: string): boolean {
  const within = (inner: string, outer: string) => inner === outer || outer === '' || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  return within(a, b) || within(b, a);
}

describe('fuzz: lab files through parseLab', () => {
  it('every seed lab parses as it is', () => {
    for (const s of seeds) {
      const r = parseLab(s.text, s.file);
      assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
    }
  });

  it('data mutations (wrong types, missing fields, unknown keys, nesting, odd scalars) give located errors naming the field', () => {
    fc.assert(
      fc.property(seed, dataMutation, ({ file, data }, m) => {
        const mutated = applyDataMutation(data, m);
        const text = renderYaml(mutated.data, `${SCHEMA_COMMENT}\n`);
        const r = parseLab(text, file);
        for (const w of r.warnings) assertWellFormed(w, file, text);
        if (r.ok) return;
        assert.ok(r.errors.length > 0, 'rejected without an error');
        for (const e of r.errors) {
          assertWellFormed(e, file, text);
          const rootIsMap = typeof mutated.data === 'object' && mutated.data !== null && !Array.isArray(mutated.data);
          if (!isFileLevel(e) && rootIsMap) assert.notEqual(e.path, '', `no field path: ${String(e)}`);
        }
        const touched = formatPath(mutated.path);
        const fieldErrors = r.errors.filter((e) => !isFileLevel(e));
        // A deleted entry may be referenced elsewhere (a bucket named in a split), so only replacements
        // and additions must be blamed on the field they touched.
        if (fieldErrors.length > 0 && (m.op === 'replace' || m.op === 'add-key')) {
          assert.ok(fieldErrors.some((e) => related(e.path, touched)), `changed ${touched || '(root)'} but errors name ${fieldErrors.map((e) => e.path).join(', ')}`);
        }
      }),
      params,
    );
  });

  it('text mutations (tabs, duplicate keys, aliases, merges, separators, truncation, unicode, deep flow nesting) never throw', () => {
    fc.assert(
      fc.property(seed, fc.option(dataMutation), fc.array(textMutation, { minLength: 1, maxLength: 3 }), ({ file, data, text: original }, m, edits) => {
        const base = m ? renderYaml(applyDataMutation(data, m).data, `${SCHEMA_COMMENT}\n`) : original;
        const text = edits.reduce(applyTextMutation, base);
        const r = parseLab(text, file);
        for (const w of r.warnings) assertWellFormed(w, file, text);
        if (!r.ok) {
          assert.ok(r.errors.length > 0, 'rejected without an error');
          assert.ok(r.errors.length <= MAX_YAML_ERRORS + 1 || r.errors.every((e) => !e.message.startsWith('YAML: ')), `${r.errors.length} errors`);
          for (const e of r.errors) assertWellFormed(e, file, text);
        }
      }),
      { ...params, numRuns: scaleRuns(200) },
    );
  });

  // Found by the text-mutation property: one unclosed "[" printed the same line 300 times, and deep
  // nesting surfaced as the parser's "maximum call stack size exceeded".
  it('reports an unclosed bracket once and deep nesting as such, not as a stack overflow', () => {
    const unclosed = parseLab(`${SCHEMA_COMMENT}\nname: ${'['.repeat(300)}\ntitle: x\n`, 'labs/core/x.yaml');
    assert.ok(!unclosed.ok);
    assert.deepEqual(unclosed.errors.map(String), ['labs/core/x.yaml:3:1 YAML: flow sequence in block collection must be sufficiently indented and end with a ]']);
    const deep = parseLab(`${SCHEMA_COMMENT}\nname: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, 'labs/core/x.yaml');
    assert.ok(!deep.ok);
    assert.equal(deep.errors.length, 1);
    assert.match(String(deep.errors[0]), /^labs\/core\/x\.yaml:2:\d+ YAML: nested too deeply to parse .*look for unclosed brackets/);
    const many = parseLab(`${SCHEMA_COMMENT}\n${Array.from({ length: 60 }, (_, i) => `k${i}: [\n`).join('')}`, 'labs/core/x.yaml');
    assert.ok(!many.ok);
    assert.equal(many.errors.length, MAX_YAML_ERRORS + 1);
    assert.match(String(many.errors.at(-1)), /YAML: \d+ more problems after line \d+ not shown; fix the ones above first/);
  });

  // Found by the data-mutation property: `.inf` and `.nan` were shown as "got null" (JSON's spelling).
  it('names .inf and .nan as YAML spells them, not as null', () => {
    for (const [raw, shown] of [['.inf', '.inf (infinity)'], ['-.inf', '-.inf (minus infinity)'], ['.nan', '.nan (not a number)'], ['1e999', '.inf (infinity)']]) {
      const r = parseLab(`${SCHEMA_COMMENT}\nname: ${raw}\n`, 'labs/core/x.yaml');
      assert.ok(!r.ok);
      assert.ok(r.errors.map(String).includes(`labs/core/x.yaml:2:1 name: expected a string, got ${shown}`), r.errors.join('\n'));
    }
    // ... and a split with such weights also said "weights must sum to 100 (got Infinity)".
    const split = parseLab(buildLab('    checks:\n      - kind: traffic\n        path: /\n        classify: { by: status }\n        expect: { split: { "200": .inf, "503": 1e308 } }\n'), 'labs/core/sample.yaml');
    assert.ok(!split.ok);
    assert.deepEqual(split.errors.map(String), [
      'labs/core/sample.yaml:15:28 steps[0].checks[0].expect.split["200"]: expected a number, got .inf (infinity)',
      'labs/core/sample.yaml:15:41 steps[0].checks[0].expect.split["503"]: must be a percentage between 0 and 100 (got 1e+308)',
    ]);
  });

  it('valid labs still parse, to the same lab, whatever the YAML style', () => {
    const style = fc.record({
      defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'),
      defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE'),
      collectionStyle: fc.constantFrom('any', 'block', 'flow'),
      indent: fc.integer({ min: 1, max: 8 }),
      crlf: fc.boolean(),
    });
    fc.assert(
      fc.property(seed, style, (s, { crlf, ...options }) => {
        const expected = parseLab(s.text, s.file);
        assert.ok(expected.ok);
        let text = `${SCHEMA_COMMENT}\n${stringify(s.data, { ...options, lineWidth: 0 } as never)}`;
        if (crlf) text = text.replace(/\n/g, '\r\n');
        const r = parseLab(text, s.file);
        assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
        assert.deepEqual(r.lab, expected.lab);
      }),
      { ...params, numRuns: scaleRuns(100) },
    );
  });
});
