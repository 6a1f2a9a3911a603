// Prometheus text exposition format 0.0.4 (what Envoy's /stats/prometheus and most exporters serve):
// `name{label="value",…} value [timestamp_ms]` lines; `#` lines (HELP, TYPE, comments) are skipped.
import type { Labels } from './promql-values.js';

/** One scraped sample. */
export interface ScrapedSample {
  labels: Labels;
  value: number;
  timestampMs?: number;
}

/** Parses a value token (`+Inf`, `-Inf`, `NaN` and Go float syntax). */
function parseNumber(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const n = Number(text);
  if (text === '' || Number.isNaN(n)) throw new Error(`strconv.ParseFloat: parsing ${JSON.stringify(text)}: invalid syntax`);
  return n;
}

/** Reads `{…}` starting at `i` (the `{`); returns the labels and the index after `}`. */
function parseLabels(line: string, i: number, into: Labels): number {
  let at = i + 1;
  for (;;) {
    while (line[at] === ' ' || line[at] === ',') at++;
    if (line[at] === '}') return at + 1;
    const name = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(at));
    if (!name || line[at + name[0].length] !== '=' || line[at + name[0].length + 1] !== '"') throw new Error(`invalid label at column ${at + 1}`);
    at += name[0].length + 2;
    let value = '';
    while (at < line.length && line[at] !== '"') {
      if (line[at] === '\\') {
        const c = line[at + 1];
        value += c === 'n' ? '\n' : c;
        at += 2;
      } else value += line[at++];
    }
    if (at >= line.length) throw new Error('unterminated label value');
    into[name[0]] = value;
    at++;
  }
}

/** Parses an exposition body; throws on a malformed line (the scrape then fails, as Prometheus's does). */
export function parseExposition(body: string): ScrapedSample[] {
  const out: ScrapedSample[] = [];
  body.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    try {
      const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
      if (!name) throw new Error('invalid metric name');
      const labels: Labels = { __name__: name[0] };
      let at = name[0].length;
      if (line[at] === '{') at = parseLabels(line, at, labels);
      const [value, ts] = line.slice(at).trim().split(/\s+/);
      out.push({ labels, value: parseNumber(value ?? ''), ...(ts ? { timestampMs: Number(ts) } : {}) });
    } catch (err) {
      throw new Error(`text format parsing error in line ${index + 1}: ${(err as Error).message}`);
    }
  });
  return out;
}
