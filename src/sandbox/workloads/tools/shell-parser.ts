// The sandbox shell's grammar (a POSIX sh subset): lists, && / ||, pipelines, `!`, background `&`,
// for / while / until / if, { } and ( ), redirections, assignments. `case`, functions and here-documents
// are refused with a clear error.
import { ShellSyntaxError, type AndOr, type Assignment, type Command, type Pipeline, type Redirect, type ShellList, type Word } from './shell-ast.js';
import { ShellLexer, type Token } from './shell-lexer.js';

const RESERVED = new Set(['if', 'then', 'elif', 'else', 'fi', 'for', 'in', 'do', 'done', 'while', 'until', '{', '}', '!', 'case', 'esac', 'function', 'select']);

/** Parses a whole command line / script. */
export function parseShell(src: string): ShellList {
  const p = new ShellParser(src, 0);
  const list = p.list([], []);
  const t = p.peek();
  if (t.type !== 'eof') throw p.unexpected(t);
  return list;
}

/** Recursive-descent parser over a ShellLexer. */
class ShellParser {
  private readonly lexer: ShellLexer;
  private lookahead?: Token;

  constructor(src: string, pos: number) {
    this.lexer = new ShellLexer(src, pos, nestedList, parseShell);
  }

  peek(): Token {
    return (this.lookahead ??= this.lexer.next());
  }

  private take(): Token {
    const t = this.peek();
    this.lookahead = undefined;
    return t;
  }

  /** The position just after the last token taken. */
  get position(): number {
    return this.lexer.pos;
  }

  private isWord(t: Token, text: string): boolean {
    return t.type === 'word' && t.text === text;
  }

  private skipNewlines(): void {
    while (this.peek().type === 'op' && (this.peek() as { op: string }).op === '\n') this.take();
  }

  unexpected(t: Token, expecting?: string): ShellSyntaxError {
    const what = t.type === 'eof' ? 'end of file' : t.type === 'word' ? `"${t.text ?? 'word'}"` : t.type === 'op' ? (t.op === '\n' ? 'newline' : `"${t.op}"`) : `"${t.op}"`;
    return new ShellSyntaxError(`syntax error: unexpected ${what}${expecting ? ` (expecting "${expecting}")` : ''}`, t.type === 'eof');
  }

  private expectWord(text: string): void {
    const t = this.take();
    if (!this.isWord(t, text)) throw this.unexpected(t, text);
  }

  /** A list up to one of the reserved `stopWords` or operators `stopOps` (not consumed). */
  list(stopWords: string[], stopOps: string[], required = false): ShellList {
    const items: AndOr[] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.type === 'eof' || (t.type === 'word' && t.text !== undefined && stopWords.includes(t.text)) || (t.type === 'op' && stopOps.includes(t.op))) break;
      const item = this.andOr();
      items.push(item);
      const sep = this.peek();
      if (sep.type === 'op' && (sep.op === '&' || sep.op === ';' || sep.op === '\n')) {
        this.take();
        item.background = sep.op === '&';
      } else if (!(sep.type === 'eof' || (sep.type === 'op' && stopOps.includes(sep.op)) || (sep.type === 'word' && stopWords.includes(sep.text ?? '')))) throw this.unexpected(sep);
    }
    if (required && !items.length) throw this.unexpected(this.peek());
    return items;
  }

  private andOr(): AndOr {
    const node: AndOr = { pipelines: [this.pipeline()], ops: [], background: false };
    for (let t = this.peek(); t.type === 'op' && (t.op === '&&' || t.op === '||'); t = this.peek()) {
      this.take();
      this.skipNewlines();
      node.ops.push(t.op as '&&' | '||');
      node.pipelines.push(this.pipeline());
    }
    return node;
  }

  private pipeline(): Pipeline {
    let negate = false;
    if (this.isWord(this.peek(), '!')) {
      this.take();
      negate = true;
    }
    const commands = [this.command()];
    for (let t = this.peek(); t.type === 'op' && t.op === '|'; t = this.peek()) {
      this.take();
      this.skipNewlines();
      commands.push(this.command());
    }
    return { negate, commands };
  }

  private command(): Command {
    const t = this.peek();
    let cmd: Command;
    if (t.type === 'op' && t.op === '(') {
      this.take();
      const body = this.list([], [')'], true);
      const close = this.take();
      if (close.type !== 'op' || close.op !== ')') throw this.unexpected(close, ')');
      cmd = { kind: 'group', subshell: true, body, redirects: [] };
    } else if (t.type === 'word' && t.text !== undefined && RESERVED.has(t.text)) {
      cmd = this.compound(t.text, t);
    } else return this.simple();
    cmd.redirects.push(...this.redirects());
    return cmd;
  }

  private compound(word: string, t: Token): Command {
    switch (word) {
      case 'if': {
        this.take();
        const branches: { cond: ShellList; body: ShellList }[] = [];
        let otherwise: ShellList | undefined;
        for (;;) {
          const cond = this.list(['then'], [], true);
          this.expectWord('then');
          branches.push({ cond, body: this.list(['elif', 'else', 'fi'], [], true) });
          const next = this.take();
          if (this.isWord(next, 'elif')) continue;
          if (this.isWord(next, 'else')) {
            otherwise = this.list(['fi'], [], true);
            this.expectWord('fi');
          } else if (!this.isWord(next, 'fi')) throw this.unexpected(next, 'fi');
          return { kind: 'if', branches, otherwise, redirects: [] };
        }
      }
      case 'for': {
        this.take();
        const name = this.take();
        if (name.type !== 'word' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name.text ?? '')) throw new ShellSyntaxError(`syntax error: bad for loop variable`);
        this.skipNewlines();
        let items: Word[] | undefined;
        if (this.isWord(this.peek(), 'in')) {
          this.take();
          items = [];
          for (let w = this.peek(); w.type === 'word'; w = this.peek()) items.push((this.take() as { word: Word }).word);
          const sep = this.take();
          if (sep.type !== 'op' || (sep.op !== ';' && sep.op !== '\n')) throw this.unexpected(sep, 'do');
        } else if (this.peek().type === 'op' && (this.peek() as { op: string }).op === ';') this.take();
        this.skipNewlines();
        this.expectWord('do');
        const body = this.list(['done'], [], true);
        this.expectWord('done');
        return { kind: 'for', name: name.text!, items, body, redirects: [] };
      }
      case 'while':
      case 'until': {
        this.take();
        const cond = this.list(['do'], [], true);
        this.expectWord('do');
        const body = this.list(['done'], [], true);
        this.expectWord('done');
        return { kind: 'while', until: word === 'until', cond, body, redirects: [] };
      }
      case '{': {
        this.take();
        const body = this.list(['}'], [], true);
        this.expectWord('}');
        return { kind: 'group', subshell: false, body, redirects: [] };
      }
      case 'case':
      case 'function':
      case 'select':
        throw new ShellSyntaxError(`'${word}' is not supported by the sandbox's shell (supported: pipelines, && || ;, &, for, while, until, if, { }, ( ), redirections, $(...), $((...)))`);
      default:
        throw this.unexpected(t);
    }
  }

  private redirects(): Redirect[] {
    const out: Redirect[] = [];
    for (let t = this.peek(); t.type === 'redirect'; t = this.peek()) out.push(this.redirect());
    return out;
  }

  private redirect(): Redirect {
    const r = this.take() as { type: 'redirect'; fd?: number; op: string };
    const target = this.take();
    if (target.type !== 'word') throw this.unexpected(target);
    const fd = r.fd ?? (r.op.startsWith('<') ? 0 : 1);
    return { fd, op: r.op as Redirect['op'], target: target.word };
  }

  private simple(): Command {
    const assigns: Assignment[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      const t = this.peek();
      if (t.type === 'redirect') redirects.push(this.redirect());
      else if (t.type === 'word') {
        this.take();
        const first = t.word[0];
        const m = !words.length && first?.kind === 'lit' && !first.quoted ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text) : null;
        if (m) {
          const rest = first.kind === 'lit' ? first.text.slice(m[0].length) : '';
          assigns.push({ name: m[1], value: [...(rest ? [{ kind: 'lit' as const, text: rest, quoted: false }] : []), ...t.word.slice(1)] });
        } else words.push(t.word);
        const after = this.peek();
        if (words.length === 1 && after.type === 'op' && after.op === '(') throw new ShellSyntaxError("function definitions are not supported by the sandbox's shell");
      } else break;
    }
    if (!assigns.length && !words.length && !redirects.length) throw this.unexpected(this.peek());
    return { kind: 'simple', assigns, words, redirects };
  }
}

/** `$( … )`: parses a list from `start` and requires the closing `)`. */
function nestedList(src: string, start: number): { list: ShellList; end: number } {
  const p = new ShellParser(src, start);
  const list = p.list([], [')']);
  const close = p.peek();
  if (close.type !== 'op' || close.op !== ')') throw p.unexpected(close, ')');
  return { list, end: p.position };
}
