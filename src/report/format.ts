// Text helpers every reporter shares: durations, counts, check labels, and making untrusted text safe to print.
import type { CheckOutcome } from '../runner/events.js';

/** Format a duration for people: `340ms`, `1.2s`, `2m05s` (the only duration format reporters use). */
export function formatDuration(ms: number): string {
  const n = Math.max(0, Math.round(ms));
  if (n < 1000) return `${n}ms`;
  if (n < 59_950) return `${(n / 1000).toFixed(1)}s`;
  const s = Math.round(n / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** The run summary line CI tooling greps for: `3 passed, 1 failed, 0 skipped`. */
export function formatSummary(s: { passed: number; failed: number; skipped: number }): string {
  return `${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`;
}

/** `1 step`, `3 steps`. */
export function formatCount(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** How a check is named in output: `traffic "75/25 split"`. */
export function formatCheckLabel(c: Pick<CheckOutcome, 'kind' | 'name'>): string {
  return c.name ? `${c.kind} ${JSON.stringify(c.name)}` : c.kind;
}

// eslint-disable-next-line no-control-regex -- matching escape sequences is the point
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** Remove terminal escape sequences and control characters (keeps newlines and tabs), normalise CRLF. */
export function sanitizeText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(ANSI, '').replace(CONTROL, '');
}
