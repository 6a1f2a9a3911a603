// Shared test helpers for the lab format: fixture paths and a minimal lab builder.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of test/fixtures/labs/<parts>. */
export function fixturePath(...parts: string[]): string {
  return fileURLToPath(new URL(['../fixtures/labs', ...parts].join('/'), import.meta.url));
}

/** Reads a fixture file as text. */
export function readFixture(...parts: string[]): string {
  return readFileSync(fixturePath(...parts), 'utf8');
}

/** The header lines every generated lab starts with (schema comment + metadata), 8 lines long. */
export const LAB_HEADER = [
  '# yaml-language-server: $schema=../../schema/lab.schema.json',
  'name: sample',
  'title: Sample',
  'track: core',
  'summary: A sample lab.',
  'scope: namespace',
  'steps:',
  '  - name: one',
].join('\n');

/** Builds lab text whose single step continues with `stepBody` (lines indented by 4 spaces). */
export function buildLab(stepBody: string): string {
  return `${LAB_HEADER}\n    title: One\n    instructions: Do it.\n${stepBody.replace(/^\n/, '')}`;
}
