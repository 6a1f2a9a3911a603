// The sandbox shell's parser: quoting, $VAR expansion and `;` / `&&` / `||` lists of simple commands.
// Pipelines, redirections, subshells and command substitution are reported as unsupported.

/** One simple command and when it runs relative to the previous one's exit code. */
export interface ShellCommand {
  argv: string[];
  /** `always` after `;` (or first), `success` after `&&`, `failure` after `||`. */
  when: 'always' | 'success' | 'failure';
}

/** A parse failure: the message the shell prints (without the `sh: ` prefix) and its exit code. */
export interface ShellSyntaxError {
  error: string;
  code: number;
}

/**
 * Parses `line` lazily: each command's words are expanded only when the consumer asks for it,
 * so `A=1; echo $A` and `$?` see the effects of earlier commands.
 */
export function* parseShellList(line: string, lookup: (name: string) => string | undefined): Generator<ShellCommand | ShellSyntaxError> {
  let argv: string[] = [];
  let word = '';
  let inWord = false;
  let when: ShellCommand['when'] = 'always';
  const endWord = () => {
    if (inWord) argv.push(word);
    word = '';
    inWord = false;
  };
  const appendExpansion = (value: string) => {
    // Unquoted expansions are split into fields on whitespace.
    value.split(/[ \t\n]+/).forEach((field, index) => {
      if (index > 0) endWord();
      if (field) {
        word += field;
        inWord = true;
      }
    });
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') {
      if (i + 1 < line.length && line[i + 1] !== '\n') word += line[i + 1];
      inWord = true;
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return yield { error: 'syntax error: unterminated quoted string', code: 2 };
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      const quoted = readDoubleQuoted(line, i + 1, lookup);
      if ('error' in quoted) return yield quoted;
      word += quoted.text;
      inWord = true;
      i = quoted.end;
    } else if (c === '$') {
      const ref = readVariable(line, i);
      if ('error' in ref) return yield ref;
      if (ref.name === undefined) {
        word += '$';
        inWord = true;
      } else appendExpansion(lookup(ref.name) ?? '');
      i = ref.end;
    } else if (c === ' ' || c === '\t' || c === '\n') {
      endWord();
    } else if (c === '#' && !inWord) {
      break;
    } else if (c === ';' || (c === '&' && line[i + 1] === '&') || (c === '|' && line[i + 1] === '|')) {
      endWord();
      const op = c === ';' ? ';' : c + c;
      if (!argv.length) return yield { error: `syntax error: unexpected "${op}"`, code: 2 };
      yield { argv, when };
      argv = [];
      when = c === ';' ? 'always' : c === '&' ? 'success' : 'failure';
      if (c !== ';') i++;
    } else if ('|&<>()`'.includes(c)) {
      return yield unsupported(c);
    } else {
      word += c;
      inWord = true;
    }
  }
  endWord();
  if (argv.length) yield { argv, when };
  else if (when !== 'always') yield { error: 'syntax error: unexpected end of file', code: 2 };
}

/** Text of a "..." string starting after the opening quote; `end` is the index of the closing quote. */
function readDoubleQuoted(line: string, start: number, lookup: (name: string) => string | undefined): { text: string; end: number } | ShellSyntaxError {
  let text = '';
  for (let i = start; i < line.length; i++) {
    const c = line[i];
    if (c === '"') return { text, end: i };
    if (c === '\\' && '$`"\\\n'.includes(line[i + 1] ?? '')) {
      if (line[i + 1] !== '\n') text += line[i + 1];
      i++;
    } else if (c === '$') {
      const ref = readVariable(line, i);
      if ('error' in ref) return ref;
      text += ref.name === undefined ? '$' : (lookup(ref.name) ?? '');
      i = ref.end;
    } else if (c === '`') {
      return unsupported(c);
    } else text += c;
  }
  return { error: 'syntax error: unterminated quoted string', code: 2 };
}

/** The variable referenced at `line[start] === '$'`; `end` is the index of its last character. */
function readVariable(line: string, start: number): { name?: string; end: number } | ShellSyntaxError {
  const next = line[start + 1] ?? '';
  if (next === '(') return unsupported('$(');
  if (next === '{') {
    const close = line.indexOf('}', start + 2);
    if (close < 0) return { error: 'syntax error: missing }', code: 2 };
    const name = line.slice(start + 2, close);
    if (!/^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?#$])$/.test(name)) return { error: `${line.slice(start, close + 1)}: bad substitution`, code: 2 };
    return { name, end: close };
  }
  if (/[?#$0-9]/.test(next)) return { name: next, end: start + 1 };
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(line.slice(start + 1));
  return m ? { name: m[0], end: start + m[0].length } : { end: start };
}

function unsupported(token: string): ShellSyntaxError {
  return { error: `'${token}' is not supported by the sandbox's shell yet (pipelines, redirections, subshells and command substitution are not emulated)`, code: 2 };
}
