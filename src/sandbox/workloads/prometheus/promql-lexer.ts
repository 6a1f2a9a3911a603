// Tokens of PromQL (https://prometheus.io/docs/prometheus/latest/querying/basics/): identifiers and
// keywords, numbers, durations (after offset), strings, operators and punctuation; `[...]` is read
// whole as a range token.
import { PromQLError } from './promql-errors.js';

/** One token with the character offset it starts at. */
export interface Token {
  kind: 'ident' | 'number' | 'duration' | 'string' | 'op' | 'punct' | 'range' | 'eof';
  text: string;
  pos: number;
}

/** Operators, longest first so `==` wins over `=`. */
const operators = ['==', '!=', '<=', '>=', '=~', '!~', '+', '-', '*', '/', '%', '^', '<', '>', '='];
const punctuation = new Set(['(', ')', '{', '}', ',', '@']);

/** Reads a quoted string (Go escapes for "…" and '…'; `…` is raw). */
function readString(src: string, start: number): { value: string; end: number } {
  const quote = src[start];
  let i = start + 1;
  let value = '';
  while (i < src.length && src[i] !== quote) {
    if (src[i] === '\\' && quote !== '`') {
      const next = src[i + 1];
      const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'" };
      value += escapes[next] ?? `\\${next}`;
      i += 2;
      continue;
    }
    value += src[i++];
  }
  if (i >= src.length) throw PromQLError.parse(start, 'unterminated quoted string');
  return { value, end: i + 1 };
}

/** Splits a query into tokens. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      const s = readString(src, i);
      out.push({ kind: 'string', text: s.value, pos: i });
      i = s.end;
      continue;
    }
    if (c === '[') {
      const end = src.indexOf(']', i);
      if (end < 0) throw PromQLError.parse(i, 'unclosed left bracket');
      out.push({ kind: 'range', text: src.slice(i + 1, end).trim(), pos: i });
      i = end + 1;
      continue;
    }
    const duration = /^(?:\d+(?:ms|s|m|h|d|w|y))+(?![a-zA-Z0-9_])/.exec(src.slice(i));
    if (duration) {
      out.push({ kind: 'duration', text: duration[0], pos: i });
      i += duration[0].length;
      continue;
    }
    const num = /^(?:0x[0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(src.slice(i));
    if (num && !/[a-zA-Z_]/.test(src[i + num[0].length] ?? '')) {
      out.push({ kind: 'number', text: num[0], pos: i });
      i += num[0].length;
      continue;
    }
    const ident = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(src.slice(i));
    if (ident) {
      out.push({ kind: 'ident', text: ident[0], pos: i });
      i += ident[0].length;
      continue;
    }
    const op = operators.find((o) => src.startsWith(o, i));
    if (op) {
      out.push({ kind: 'op', text: op, pos: i });
      i += op.length;
      continue;
    }
    if (punctuation.has(c)) {
      out.push({ kind: 'punct', text: c, pos: i });
      i++;
      continue;
    }
    throw PromQLError.parse(i, `unexpected character: ${JSON.stringify(c)}`);
  }
  out.push({ kind: 'eof', text: '', pos: src.length });
  return out;
}

/** A Prometheus duration (`5m`, `1h30m`, `500ms`) in milliseconds. */
export function parseDuration(text: string, pos: number): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };
  const re = /(\d+)(ms|s|m|h|d|w|y)/y;
  let total = 0;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) throw PromQLError.parse(pos, `bad duration ${JSON.stringify(text)}: use a number and a unit (ms, s, m, h, d, w, y), e.g. 5m`);
    total += Number(m[1]) * units[m[2]];
    at = re.lastIndex;
  }
  if (!text || total <= 0) throw PromQLError.parse(pos, `bad duration ${JSON.stringify(text)}: a range must be positive, e.g. [5m]`);
  return total;
}
