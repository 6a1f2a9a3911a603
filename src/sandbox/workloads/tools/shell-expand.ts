// Word expansion in the sandbox shell, in sh's order: brace expansion ({1..10}, {a,b} — a bash feature the
// labs' loops use), parameters (${x:-d}, ${#x}, ${x%pat}…), $(…) / `…`, $((…)), field splitting, quote removal.
// Pathname globbing is not done: patterns stay literal, as sh leaves patterns that match no file.
import type { ShellList, Word, WordPart } from './shell-ast.js';
import { evaluateArith } from './shell-arith.js';

/** Raised for `${x:?msg}` and other expansion errors; the message is printed after `sh: `. */
export class ExpandError extends Error {}

/** What expansion reads and runs. */
export interface ExpandEnv {
  /** A variable or special parameter (`?`, `#`, `$`, `!`, `0`–`9`, …); undefined when unset. */
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  /** Positional parameters $1…$n. */
  positional(): string[];
  /** Runs a command substitution and returns its standard output. */
  substitute(list: ShellList): Promise<string>;
}

/** Expands words into fields (brace expansion, splitting on blanks, quote removal). */
export async function expandFields(words: Word[], env: ExpandEnv): Promise<string[]> {
  const out: string[] = [];
  for (const word of words) for (const w of braceExpand(word)) out.push(...(await expandParts(w, env, true)));
  return out;
}

/** Expands one word to a single string (assignments, redirection targets, `${x:-word}` words). */
export async function expandString(word: Word, env: ExpandEnv): Promise<string> {
  return (await expandParts(word, env, false)).join('');
}

async function expandParts(word: Word, env: ExpandEnv, split: boolean): Promise<string[]> {
  const fields: string[] = [];
  let cur = '';
  let exists = false;
  const end = () => {
    if (exists) fields.push(cur);
    cur = '';
    exists = false;
  };
  const quoted = (text: string) => {
    cur += text;
    exists = true;
  };
  const unquoted = (value: string) => {
    if (!split) {
      cur += value;
      exists ||= value.length > 0;
      return;
    }
    value.split(/[ \t\n]+/).forEach((piece, i) => {
      if (i > 0) end();
      if (piece) quoted(piece);
    });
  };
  for (const part of word) {
    if (part.kind === 'lit') {
      if (part.quoted) quoted(part.text);
      else if (part.text) quoted(part.text);
    } else if (part.kind === 'param' && part.quoted && split && part.name === '@' && !part.op) {
      env.positional().forEach((p, i) => {
        if (i > 0) end();
        quoted(p);
      });
    } else {
      const value = part.kind === 'param' ? await paramValue(part, env) : part.kind === 'subst' ? (await env.substitute(part.body)).replace(/\n+$/, '') : String(evaluateArith(await expandString(part.expr, env), env));
      if (part.quoted) quoted(value);
      else unquoted(value);
    }
  }
  if (!split) return [cur];
  end();
  return fields;
}

async function paramValue(part: Extract<WordPart, { kind: 'param' }>, env: ExpandEnv): Promise<string> {
  const { name, op } = part;
  const raw = name === '@' || name === '*' ? env.positional().join(' ') : env.get(name);
  const arg = () => (part.arg ? expandString(part.arg, env) : Promise.resolve(''));
  const unsetOrEmpty = raw === undefined || raw === '';
  switch (op) {
    case undefined:
      return raw ?? '';
    case 'len':
      return String([...(raw ?? '')].length);
    case ':-':
    case '-':
      return (op === ':-' ? unsetOrEmpty : raw === undefined) ? arg() : raw!;
    case ':=':
    case '=': {
      if (!(op === ':=' ? unsetOrEmpty : raw === undefined)) return raw!;
      const value = await arg();
      env.set(name, value);
      return value;
    }
    case ':+':
    case '+':
      return (op === ':+' ? !unsetOrEmpty : raw !== undefined) ? arg() : '';
    case ':?':
    case '?':
      if (op === ':?' ? unsetOrEmpty : raw === undefined) throw new ExpandError(`${name}: ${(await arg()) || 'parameter not set'}`);
      return raw!;
    default:
      return removePattern(raw ?? '', await arg(), op);
  }
}

/** `${x#p}` `${x##p}` `${x%p}` `${x%%p}` with a glob pattern. */
function removePattern(value: string, pattern: string, op: '#' | '##' | '%' | '%%'): string {
  const re = new RegExp(`^${globToRegex(pattern)}$`, 's');
  const n = value.length;
  const lengths = op === '#' || op === '%' ? [...Array(n + 1).keys()] : [...Array(n + 1).keys()].reverse();
  for (const k of lengths) {
    if (op.startsWith('#') && re.test(value.slice(0, k))) return value.slice(k);
    if (op.startsWith('%') && re.test(value.slice(n - k))) return value.slice(0, n - k);
  }
  return value;
}

/** A shell glob (`*`, `?`, `[…]`) as regex source. */
export function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[' && glob.indexOf(']', i + 1) > i) {
      const end = glob.indexOf(']', i + 1);
      out += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '\\' && i + 1 < glob.length) out += glob[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else out += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return out;
}

/** Brace expansion on unquoted literal text: `{1..5}`, `{01..10}`, `{a..e}`, `{1..10..2}`, `{x,y,z}`. */
export function braceExpand(word: Word): Word[] {
  for (let pi = 0; pi < word.length; pi++) {
    const part = word[pi];
    if (part.kind !== 'lit' || part.quoted) continue;
    const found = findBrace(part.text);
    if (!found) continue;
    const before = part.text.slice(0, found.start);
    const after = part.text.slice(found.end + 1);
    return found.alternatives.flatMap((alt) => braceExpand([...word.slice(0, pi), { kind: 'lit', text: before + alt + after, quoted: false }, ...word.slice(pi + 1)]));
  }
  return [word];
}

function findBrace(text: string): { start: number; end: number; alternatives: string[] } | undefined {
  for (let start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    let end = -1;
    const commas: number[] = [];
    for (let i = start; i < text.length; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}' && --depth === 0) {
        end = i;
        break;
      } else if (text[i] === ',' && depth === 1) commas.push(i);
    }
    if (end < 0) continue;
    const inner = text.slice(start + 1, end);
    const range = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(inner);
    if (range) {
      const [a, b] = [Number(range[1]), Number(range[2])];
      const step = Math.abs(Number(range[3] ?? 1)) || 1;
      const width = /^-?0\d/.test(range[1]) || /^-?0\d/.test(range[2]) ? Math.max(range[1].length, range[2].length) : 0;
      const values: string[] = [];
      for (let v = a; a <= b ? v <= b : v >= b; v += a <= b ? step : -step) {
        const digits = width ? String(Math.abs(v)).padStart(width - (v < 0 ? 1 : 0), '0') : String(Math.abs(v));
        values.push(v < 0 ? `-${digits}` : digits);
      }
      return { start, end, alternatives: values };
    }
    const chars = /^([A-Za-z])\.\.([A-Za-z])$/.exec(inner);
    if (chars) {
      const [a, b] = [chars[1].charCodeAt(0), chars[2].charCodeAt(0)];
      const values: string[] = [];
      for (let c = a; a <= b ? c <= b : c >= b; c += a <= b ? 1 : -1) values.push(String.fromCharCode(c));
      return { start, end, alternatives: values };
    }
    if (commas.length) {
      const bounds = [start, ...commas, end];
      return { start, end, alternatives: bounds.slice(0, -1).map((b, i) => text.slice(b + 1, bounds[i + 1])) };
    }
  }
  return undefined;
}
