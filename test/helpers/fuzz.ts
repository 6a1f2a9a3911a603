// Property-based fuzzing helpers (fast-check): odd YAML values, data-level and text-level
// mutations of valid documents, and the check every reported problem must pass.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { LabError } from '../../src/lab/errors.js';
import type { PathSegment } from '../../src/lab/errors.js';

/** Seed and run count shared by every fuzz property, so failures reproduce. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20240817);

/** Scales a property's run count by FUZZ_RUNS_SCALE (e.g. 20 for a soak run); default 1. */
export function scaleRuns(runs: number): number {
  return Math.max(1, Math.round(runs * Number(process.env.FUZZ_RUNS_SCALE ?? 1)));
}

/** Raw YAML scalars that parse to odd values: huge numbers, special floats, tags, YAML 1.1 booleans. */
export const RAW_SCALARS = [
  '1e999', '-1e999', '123456789012345678901234567890', '0x7fffffffffffffffff', '0o777', '.nan', '.inf', '-.inf',
  '~', 'Null', 'yes', 'off', '2001-12-14t21:59:43.10-05:00', '!!binary aGVsbG8=', '!!str 5', '!!float 1', '!!int "7"',
  '!custom x', '!!set {a, b}', '!!omap [a: 1]', '!!timestamp 2001-12-14', '*missing', '&dangling', '"\\u0000"', "'\t'",
  '"\\uD800"', '!!map {}', '!!seq []', '!!null ""', '-0', '+12', '1_000', '0b101', '<<', '=', '? x',
] as const;

/** A value that will be rendered as one of RAW_SCALARS (see renderYaml). */
const rawToken = fc.nat({ max: RAW_SCALARS.length - 1 }).map((i) => `RAWTOKEN${i}X`);

/** Builds a value nested `depth` levels deep (lists or maps). */
function nest(depth: number, asMap: boolean): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = asMap ? { n: value } : [value];
  return value;
}

/** Odd values: wrong types, special numbers, random unicode, empty containers, deep nesting, raw tokens. */
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, Number.MAX_SAFE_INTEGER * 1024, '', ' ', '0', 'true', 'null', '~'),
  fc.integer(),
  fc.double(),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom([], {}, [null], [[]], { '': '' }),
  fc.tuple(fc.integer({ min: 10, max: 300 }), fc.boolean()).map(([depth, asMap]) => nest(depth, asMap)),
  rawToken,
  rawToken,
);

/** Map keys a lab author (or an attacker) might write. */
export const oddKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'kind', 'name', '', ' ', 'a.b', 'a/b', '[0]', 'ünïcödé', '🙂', 'x'.repeat(300)),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }),
);

/** One structural change at a node picked by `pick` (an index into every node of the document). */
export interface DataMutation {
  pick: number;
  op: 'replace' | 'delete' | 'add-key' | 'wrap';
  value: unknown;
  key: string;
}

/** Arbitrary for DataMutation. */
export const dataMutation: fc.Arbitrary<DataMutation> = fc.record({
  pick: fc.nat(),
  op: fc.constantFrom('replace', 'replace', 'delete', 'add-key', 'wrap'),
  value: oddValue,
  key: oddKey,
});

/** Every path in a plain-data tree, root first. */
export function listPaths(value: unknown, at: PathSegment[] = []): PathSegment[][] {
  const paths: PathSegment[][] = [at];
  if (Array.isArray(value)) value.forEach((v, i) => paths.push(...listPaths(v, [...at, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths.push(...listPaths(v, [...at, k]));
  return paths;
}

function setOwn(target: Record<PropertyKey, unknown>, key: PropertyKey, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Applies a mutation to a deep copy of `data`; returns the new data and the path it touched. */
export function applyDataMutation(data: unknown, m: DataMutation): { data: unknown; path: PathSegment[] } {
  const root = { value: structuredClone(data) } as Record<PropertyKey, unknown>;
  const paths = listPaths(root.value);
  const path = paths[m.pick % paths.length];
  let parent: Record<PropertyKey, unknown> = root;
  let key: PropertyKey = 'value';
  for (const segment of path) {
    parent = parent[key] as Record<PropertyKey, unknown>;
    key = segment;
  }
  const node = parent[key];
  if (m.op === 'replace' || (m.op === 'delete' && path.length === 0)) setOwn(parent, key, m.value);
  else if (m.op === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else if (m.op === 'add-key' && node !== null && typeof node === 'object' && !Array.isArray(node)) {
    setOwn(node as Record<PropertyKey, unknown>, m.key, m.value);
  } else setOwn(parent, key, Array.isArray(node) ? { [m.key || 'k']: node } : [node]);
  return { data: root.value, path };
}

/** Renders data as YAML, then swaps RAWTOKEN<i>X placeholders for the raw scalars they stand for. */
export function renderYaml(data: unknown, header = ''): string {
  const text = stringify(data, { lineWidth: 0 });
  return header + text.replace(/RAWTOKEN(\d+)X/g, (_all, i: string) => RAW_SCALARS[Number(i)]);
}

/** A change to the text itself: what YAML syntax makes possible beyond plain data. */
export interface TextMutation {
  op: 'tab' | 'duplicate-line' | 'insert' | 'truncate' | 'separator' | 'alias' | 'anchor-merge' | 'deep-flow' | 'crlf';
  at: number;
  text: string;
}

/** Arbitrary for TextMutation. */
export const textMutation: fc.Arbitrary<TextMutation> = fc.record({
  op: fc.constantFrom('tab', 'duplicate-line', 'insert', 'truncate', 'separator', 'alias', 'anchor-merge', 'deep-flow', 'crlf'),
  at: fc.nat(),
  text: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 6 }), fc.constantFrom('\u0000', '\u0007', '\uFEFF', '\uD800', '\u202E', ': ', '- ', '{', ']', '"', "'", '#', '&x ', '*x', '!!', '%YAML 1.1\n', '\t')),
});

/** Applies a text mutation at a position (taken modulo the text length or line count). */
export function applyTextMutation(text: string, m: TextMutation): string {
  const lines = text.split('\n');
  const line = m.at % lines.length;
  const offset = m.at % (text.length + 1);
  switch (m.op) {
    case 'tab':
      lines[line] = `\t${lines[line]}`;
      return lines.join('\n');
    case 'duplicate-line':
      lines.splice(line, 0, lines[line]);
      return lines.join('\n');
    case 'insert':
      return text.slice(0, offset) + m.text + text.slice(offset);
    case 'truncate':
      return text.slice(0, offset);
    case 'separator':
      lines.splice(line, 0, '---');
      return lines.join('\n');
    case 'alias':
      return text.replace(/(: )(\S[^\n]*)/, '$1&a $2').replace(new RegExp(`^((?:[^\\n]*\\n){${line}}[^:\\n]*: )[^\\n]*`), '$1*a');
    case 'anchor-merge':
      lines.splice(line, 0, `${' '.repeat(m.at % 7)}<<: {merged: *a}`);
      return lines.join('\n');
    case 'deep-flow':
      return `${text.slice(0, offset)}${'['.repeat(200 + (m.at % 5000))}${text.slice(offset)}`;
    case 'crlf':
      return text.replace(/\n/g, '\r\n');
  }
}

const STACK_FRAME = /\n\s+at |\bat (?:file|node):|\(\/[^)]*:\d+:\d+\)/;

/** Asserts a reported problem is a LabError for `file` at a real line:column with a clean one-paragraph message. */
export function assertWellFormed(error: unknown, file: string, text: string): asserts error is LabError {
  assert.ok(error instanceof LabError, `not a LabError: ${String(error)}`);
  const shown = String(error);
  assert.equal(error.file, file, shown);
  const lines = text.split(/\r\n|\r|\n/).length;
  assert.ok(Number.isInteger(error.line) && error.line >= 1 && error.line <= lines + 1, `line ${error.line} of ${lines}: ${shown}`);
  assert.ok(Number.isInteger(error.column) && error.column >= 1, `column ${error.column}: ${shown}`);
  assert.ok(shown.startsWith(`${file}:${error.line}:${error.column} `), shown);
  assert.ok(error.message.trim().length > 0, `empty message: ${shown}`);
  assert.doesNotMatch(shown, STACK_FRAME, `stack trace in: ${shown}`);
  for (const word of ['[object Object]', 'undefined', 'NaN', 'Infinity', 'function ']) {
    if (!text.includes(word) && !error.path.includes(word)) assert.ok(!shown.includes(word), `"${word}" in: ${shown}`);
  }
}

/** Reports whether a problem is about the file or its YAML syntax rather than one field. */
export function isFileLevel(error: LabError): boolean {
  return /^(YAML: |file is |too many YAML alias|a lab file holds|YAML nesting|lab file not found|cannot read manifest)/.test(error.message);
}

/** A valid lab to mutate: its path as shown, its text and its data. */
export interface LabSeed {
  file: string;
  text: string;
  data: unknown;
}

/** The repo's core labs and the every-kind fixture, as seeds, and an arbitrary picking one. */
export async function readLabSeeds(): Promise<{ seeds: LabSeed[]; seed: fc.Arbitrary<LabSeed> }> {
  const seeds: LabSeed[] = [];
  const add = async (path: string, file: string) => {
    const text = await readFile(path, 'utf8');
    seeds.push({ file, text, data: parse(text) });
  };
  const labsDir = join(process.cwd(), 'labs/core');
  for (const name of (await readdir(labsDir)).filter((n) => n.endsWith('.yaml')).sort()) await add(join(labsDir, name), `labs/core/${name}`);
  await add(join(process.cwd(), 'test/fixtures/labs/kinds/core/every-kind.yaml'), 'labs/core/every-kind.yaml');
  const byFile = new Map(seeds.map((s) => [s.file, s]));
  return { seeds, seed: fc.constantFrom(...seeds.map((s) => s.file)).map((file) => byFile.get(file)!) };
}
