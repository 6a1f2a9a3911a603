// The sandbox shell's tokenizer: operators, redirections with optional fd numbers, and words with their
// quoting and `$…` / backtick expansions recorded as parts (expanded later, when the command runs).
import { ShellSyntaxError, type ParamOp, type ShellList, type Word, type WordPart } from './shell-ast.js';

/** A token: a word (`text` set when it is one unquoted literal), an operator, a redirection, or the end. */
export type Token =
  | { type: 'word'; word: Word; text?: string }
  | { type: 'op'; op: string }
  | { type: 'redirect'; fd?: number; op: string }
  | { type: 'eof' };

/** Parses a nested command list starting at `start` (just after `$(`); `end` is the index after its `)`. */
export type NestedParser = (src: string, start: number) => { list: ShellList; end: number };
/** Parses a whole program text (a backtick substitution's content). */
export type ProgramParser = (text: string) => ShellList;

const META = ' \t\n;&|<>()';
const PARAM_OPS: ParamOp[] = [':-', ':=', ':+', ':?', '%%', '##', '-', '=', '+', '?', '%', '#'];

/** Reads tokens from `src` starting at `pos`. */
export class ShellLexer {
  constructor(
    readonly src: string,
    public pos: number,
    private readonly nested: NestedParser,
    private readonly program: ProgramParser,
  ) {}

  /** The next token (skipping blanks, line continuations and comments). */
  next(): Token {
    const s = this.src;
    for (;;) {
      while (this.pos < s.length && (s[this.pos] === ' ' || s[this.pos] === '\t')) this.pos++;
      if (s.startsWith('\\\n', this.pos)) this.pos += 2;
      else if (s[this.pos] === '#') while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      else break;
    }
    if (this.pos >= s.length) return { type: 'eof' };
    const c = s[this.pos];
    const two = s.slice(this.pos, this.pos + 2);
    if (two === '&>' || two === '<<' || two === '<>') throw new ShellSyntaxError(`'${two}' redirections are not supported by the sandbox's shell`);
    if (['&&', '||', ';;'].includes(two)) {
      this.pos += 2;
      return { type: 'op', op: two };
    }
    if (c === '>' || c === '<') return this.redirect(undefined);
    const fd = /^\d+(?=[<>])/.exec(s.slice(this.pos));
    if (fd) {
      this.pos += fd[0].length;
      return this.redirect(Number(fd[0]));
    }
    if ('\n;&|()'.includes(c)) {
      this.pos++;
      return { type: 'op', op: c };
    }
    return this.word();
  }

  private redirect(fd: number | undefined): Token {
    const s = this.src;
    for (const op of ['>>', '>&', '<&', '>|', '>', '<']) {
      if (s.startsWith(op, this.pos)) {
        this.pos += op.length;
        return { type: 'redirect', fd, op: op === '>|' ? '>' : op };
      }
    }
    throw new ShellSyntaxError('syntax error: bad redirection');
  }

  /** Reads one word up to an unquoted metacharacter. */
  private word(): Token {
    const s = this.src;
    const parts: WordPart[] = [];
    const lit = (text: string, quoted: boolean) => {
      const last = parts[parts.length - 1];
      if (last?.kind === 'lit' && last.quoted === quoted) last.text += text;
      else parts.push({ kind: 'lit', text, quoted });
    };
    while (this.pos < s.length && !META.includes(s[this.pos])) {
      const c = s[this.pos];
      if (c === '\\') {
        if (s[this.pos + 1] === '\n') this.pos += 2;
        else {
          if (this.pos + 1 < s.length) lit(s[this.pos + 1], true);
          this.pos += 2;
        }
      } else if (c === "'") {
        const end = s.indexOf("'", this.pos + 1);
        if (end < 0) throw new ShellSyntaxError('syntax error: unterminated quoted string', true);
        lit(s.slice(this.pos + 1, end), true);
        this.pos = end + 1;
      } else if (c === '"') {
        this.pos++;
        parts.push(...this.doubleQuoted());
      } else if (c === '$') parts.push(this.dollar(false));
      else if (c === '`') parts.push(this.backtick(false));
      else {
        lit(c, false);
        this.pos++;
      }
    }
    const only = parts.length === 1 && parts[0].kind === 'lit' && !parts[0].quoted ? parts[0].text : undefined;
    return { type: 'word', word: parts, text: only };
  }

  /** The parts of a "…" string; `pos` is just after the opening quote and ends after the closing one. */
  private doubleQuoted(stop = '"'): WordPart[] {
    const s = this.src;
    const parts: WordPart[] = [];
    let text = '';
    const flush = () => {
      if (text) parts.push({ kind: 'lit', text, quoted: true });
      text = '';
    };
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (stop && c === stop) {
        this.pos++;
        flush();
        if (!parts.length) parts.push({ kind: 'lit', text: '', quoted: true });
        return parts;
      }
      if (c === '\\' && '$`"\\\n'.includes(s[this.pos + 1] ?? '')) {
        if (s[this.pos + 1] !== '\n') text += s[this.pos + 1];
        this.pos += 2;
      } else if (c === '$' || c === '`') {
        flush();
        parts.push(c === '$' ? this.dollar(true) : this.backtick(true));
      } else {
        text += c;
        this.pos++;
      }
    }
    if (stop) throw new ShellSyntaxError('syntax error: unterminated quoted string', true);
    flush();
    return parts;
  }

  /** `$name`, `${…}`, `$(…)`, `$((…))` or a literal `$`. */
  private dollar(quoted: boolean): WordPart {
    const s = this.src;
    const start = this.pos;
    if (s.startsWith('$((', start)) {
      let depth = 0;
      for (let i = start + 3; i < s.length; i++) {
        if (s[i] === '(') depth++;
        else if (s[i] === ')') {
          if (depth === 0 && s[i + 1] === ')') {
            this.pos = i + 2;
            return { kind: 'arith', expr: subWord(s.slice(start + 3, i), this.nested, this.program), quoted };
          }
          depth--;
        }
      }
      throw new ShellSyntaxError('syntax error: unterminated arithmetic expansion', true);
    }
    if (s.startsWith('$(', start)) {
      const { list, end } = this.nested(s, start + 2);
      this.pos = end;
      return { kind: 'subst', body: list, quoted };
    }
    if (s.startsWith('${', start)) {
      let depth = 0;
      let end = -1;
      for (let i = start + 2; i < s.length; i++) {
        if (s.startsWith('${', i)) depth++;
        else if (s[i] === '}') {
          if (depth === 0) {
            end = i;
            break;
          }
          depth--;
        }
      }
      if (end < 0) throw new ShellSyntaxError('syntax error: missing }', true);
      this.pos = end + 1;
      return this.braced(s.slice(start + 2, end), quoted);
    }
    const m = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9?#$@*!-])/.exec(s.slice(start + 1));
    this.pos = start + 1 + (m ? m[0].length : 0);
    return m ? { kind: 'param', name: m[0], quoted } : { kind: 'lit', text: '$', quoted };
  }

  private braced(inner: string, quoted: boolean): WordPart {
    const bad = () => new ShellSyntaxError(`syntax error: bad substitution`);
    if (/^#([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?])$/.test(inner)) return { kind: 'param', name: inner.slice(1), op: 'len', quoted };
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?#$@*!-])/.exec(inner);
    if (!m) throw bad();
    const rest = inner.slice(m[0].length);
    if (!rest) return { kind: 'param', name: m[0], quoted };
    const op = PARAM_OPS.find((o) => rest.startsWith(o));
    if (!op) throw bad();
    return { kind: 'param', name: m[0], op, arg: subWord(rest.slice(op.length), this.nested, this.program), quoted };
  }

  /** `` `cmd` ``: the text up to the closing backtick, un-escaped and parsed as a program. */
  private backtick(quoted: boolean): WordPart {
    const s = this.src;
    let text = '';
    for (let i = this.pos + 1; i < s.length; i++) {
      if (s[i] === '\\' && '`\\$'.includes(s[i + 1] ?? '')) {
        text += s[++i];
      } else if (s[i] === '`') {
        this.pos = i + 1;
        return { kind: 'subst', body: this.program(text), quoted };
      } else text += s[i];
    }
    throw new ShellSyntaxError('syntax error: unterminated quoted string', true);
  }

  /** Reads the whole remaining text as the inside of a double-quoted string (no closing quote). */
  readAllAsQuoted(): WordPart[] {
    return this.doubleQuoted('');
  }
}

/** Parses text that appears inside `${…}` or `$((…))` as a word (quotes and expansions allowed). */
function subWord(text: string, nested: NestedParser, program: ProgramParser): Word {
  const lexer = new ShellLexer(text, 0, nested, program);
  const parts = lexer.readAllAsQuoted();
  return parts.map((p) => ({ ...p, quoted: false }) as WordPart);
}
