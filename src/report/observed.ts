// Summarise what a check observed into a few short lines (reporters show a summary, never a dump).
import { sanitizeText } from './format.js';
import { toJsonValue } from './json-value.js';

/** Limits for an observed-data summary. */
export interface SummaryLimits {
  /** Most lines to return (a trailing `… N more` line counts). */
  maxLines: number;
  /** Longest line, in characters. */
  width: number;
}

/** One-line compact JSON of any value, cut to `width` characters with `…`. */
export function formatInline(value: unknown, width: number): string {
  return truncate(sanitizeText(toCompactJson(value)).replace(/\s*\n\s*/g, ' '), width);
}

/** A few lines describing observed data: string lines, `key: value` pairs, or the first array items. */
export function summarizeObserved(observed: unknown, limits: SummaryLimits = { maxLines: 4, width: 100 }): string[] {
  const { maxLines, width } = limits;
  if (observed === undefined || observed === null) return [];
  let lines: string[];
  let noun: string;
  if (typeof observed === 'string') {
    lines = sanitizeText(observed).split('\n').filter((l) => l.trim() !== '').map((l) => truncate(l, width));
    noun = 'line';
  } else if (Array.isArray(observed)) {
    const inline = formatInline(observed, width);
    if (!inline.endsWith('…')) return [inline];
    lines = observed.map((item) => formatInline(item, width));
    noun = 'item';
  } else if (typeof observed === 'object') {
    lines = Object.entries(observed).map(([k, v]) => truncate(`${k}: ${typeof v === 'string' ? sanitizeText(v).replace(/\n/g, ' ') : formatInline(v, width)}`, width));
    noun = 'field';
  } else {
    return [formatInline(observed, width)];
  }
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, Math.max(0, maxLines - 1));
  const more = lines.length - kept.length;
  return [...kept, `… ${more} more ${noun}${more === 1 ? '' : 's'}`];
}

function truncate(s: string, width: number): string {
  return s.length <= width ? s : `${s.slice(0, Math.max(0, width - 1))}…`;
}

function toCompactJson(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(toJsonValue(value)) ?? String(value);
}
