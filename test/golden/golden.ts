// Golden-file harness: compare what a person sees with test/golden/files/<name>.txt after normalising noise.
// Regenerate golden files with: UPDATE_GOLDEN=1 npm run test:unit  (or, for reporters only:
// UPDATE_GOLDEN=1 node --import tsx --test test/report/*.test.ts), then review the diff.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folder holding the golden files. */
export const GOLDEN_DIR = fileURLToPath(new URL('./files/', import.meta.url));

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const tmpRoots = [...new Set([tmpdir(), safeRealpath(tmpdir())])].sort((a, b) => b.length - a.length);
const TMP = new RegExp(`(?:${tmpRoots.map(escapeRe).join('|')})${escapeRe(sep)}[^${escapeRe(sep)}\\s"'<>]+`, 'g');
const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g;
const PORT = /(127\.0\.0\.1|localhost|\[::1\]):\d{1,5}\b/g;
// eslint-disable-next-line no-control-regex -- durations may sit right after an SGR escape
const DURATION = /(?<!\x1b\[[\d;]*)(?<=^|[^\w.]|\x1b\[[\d;]*m)(?:\d+m\d{2}s|\d+(?:\.\d+)?(?:ms|s))(?![\w])/g;

/**
 * Replace run-to-run noise with placeholders: ISO timestamps → `<time>`, paths under the OS temp dir
 * (the temp root plus its first segment, e.g. a mkdtemp folder) → `<tmp>`, loopback ports → `<port>`,
 * durations like `1.2s`, `340ms`, `2m05s` → `<dur>`. Also makes ESC visible as `␛` and CRLF → LF.
 */
export function normalizeOutput(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .replace(ISO_TIME, '<time>')
    .replace(TMP, '<tmp>')
    .replace(PORT, '$1:<port>')
    .replace(DURATION, '<dur>')
    .replaceAll('\x1b', '␛');
}

/** Assert `actual` (normalised) equals test/golden/files/<name>.txt; with UPDATE_GOLDEN=1, rewrite that file instead. */
export function expectGolden(name: string, actual: string): void {
  const file = `${GOLDEN_DIR}${name}.txt`;
  const normalized = normalizeOutput(actual);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, normalized);
    return;
  }
  if (!existsSync(file)) assert.fail(`golden file ${name}.txt is missing; create it with UPDATE_GOLDEN=1 npm run test:unit`);
  assert.equal(normalized, readFileSync(file, 'utf8'), `output differs from golden file ${name}.txt (if intended: UPDATE_GOLDEN=1 npm run test:unit)`);
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
