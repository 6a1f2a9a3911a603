// POSIX basic and extended regular expressions (grep, grep -E) translated to JavaScript RegExp source.

const CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z', digit: '0-9', alnum: 'a-zA-Z0-9', upper: 'A-Z', lower: 'a-z', space: ' \\t\\n\\r\\f\\v', blank: ' \\t',
  xdigit: '0-9A-Fa-f', punct: '!-\\/:-@\\[-`{-~', cntrl: '\\x00-\\x1f\\x7f', print: '\\x20-\\x7e', graph: '\\x21-\\x7e', word: '\\w',
};

/** Copies a bracket expression starting at `[`; returns its JS form and the index of the closing `]`. */
function bracket(src: string, start: number): { text: string; end: number } | undefined {
  let i = start + 1;
  let out = '[';
  if (src[i] === '^') {
    out += '^';
    i++;
  }
  if (src[i] === ']') {
    out += '\\]';
    i++;
  }
  for (; i < src.length; i++) {
    const c = src[i];
    if (c === ']') return { text: `${out}]`, end: i };
    if (c === '[' && src[i + 1] === ':') {
      const close = src.indexOf(':]', i + 2);
      const name = close > 0 ? src.slice(i + 2, close) : '';
      if (CLASSES[name]) {
        out += CLASSES[name];
        i = close + 1;
        continue;
      }
    }
    out += c === '\\' ? '\\\\' : c;
  }
  return undefined;
}

/** JS RegExp source for a POSIX BRE (`extended` false) or ERE (`extended` true); throws on bad brackets. */
export function posixToJs(pattern: string, extended: boolean): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '[') {
      const b = bracket(pattern, i);
      if (!b) throw new Error('Unmatched [, [^, [:, [., or [=');
      out += b.text;
      i = b.end;
    } else if (c === '\\' && i + 1 < pattern.length) {
      const n = pattern[++i];
      if (n === '<' || n === '>') out += '\\b';
      else if (!extended && '(){}|+?'.includes(n)) out += n;
      else if ('wWsSbB'.includes(n)) out += `\\${n}`;
      else out += /[a-zA-Z0-9]/.test(n) ? n : `\\${n}`;
    } else if (!extended && '(){}|+?'.includes(c)) out += `\\${c}`;
    else if (c === '*' && (i === 0 || (!extended && pattern[i - 1] === '^' && i === 1))) out += '\\*';
    else if (c === '/') out += '\\/';
    else out += c;
  }
  return out;
}

/** Escapes text for use as a literal inside a JS RegExp (grep -F). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
