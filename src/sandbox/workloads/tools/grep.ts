// `grep [-cEFhHiloqnsvwx] [-e PATTERN]... [-m NUM] [PATTERN] [FILE]...` (also egrep / fgrep): exit 0 when a
// line is selected, 1 when none is, 2 on errors; reads stdin line by line so `-q` / `-m` stop early.
import { escapeRegExp, posixToJs } from './posix-regex.js';
import { parseShortOptions, readFile, splitLines, stdinLines } from './text-input.js';
import { programName, writeText, type ExecTool } from './tool.js';

const LONG = { count: 'c', 'extended-regexp': 'E', 'fixed-strings': 'F', 'ignore-case': 'i', 'only-matching': 'o', quiet: 'q', silent: 'q', 'invert-match': 'v', 'line-number': 'n', 'word-regexp': 'w', 'line-regexp': 'x', 'no-filename': 'h', 'with-filename': 'H', 'files-with-matches': 'l', 'no-messages': 's', regexp: 'e', 'max-count': 'm', text: 'a' };

/** The grep program. */
export const grepTool: ExecTool = async (argv, streams, ctx) => {
  const name = programName(argv[0]);
  const parsed = parseShortOptions(argv.slice(1), 'cEFhHiloqnsvwxaIrRPUz', 'emABCf', LONG);
  const usage = async (msg: string) => {
    await writeText(streams.stderr, `grep: ${msg}\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n`);
    return 2;
  };
  if ('error' in parsed) return usage(parsed.error);
  const { flags, values, operands } = parsed;
  for (const unsupported of ['A', 'B', 'C', 'f', 'r', 'R', 'P', 'z']) {
    if (flags.has(unsupported) || values.has(unsupported)) return usage(`option -${unsupported} is not supported by the sandbox's grep`);
  }
  const patterns = values.get('e') ?? (operands.length ? [operands.shift()!] : []);
  if (!patterns.length) return usage('no pattern given');
  const extended = flags.has('E') || name === 'egrep';
  const fixed = flags.has('F') || name === 'fgrep';
  let regex: RegExp;
  try {
    const sources = patterns.flatMap((p) => p.split('\n')).map((p) => (fixed ? escapeRegExp(p) : posixToJs(p, extended)));
    let source = sources.length > 1 ? sources.map((s) => `(?:${s})`).join('|') : sources[0];
    if (flags.has('w')) source = `(?<![\\w])(?:${source})(?![\\w])`;
    if (flags.has('x')) source = `^(?:${source})$`;
    regex = new RegExp(source, flags.has('i') ? 'gi' : 'g');
  } catch (error) {
    await writeText(streams.stderr, `grep: ${(error as Error).message}\n`);
    return 2;
  }
  const maxCount = values.has('m') ? Number(values.get('m')!.at(-1)) : Infinity;
  const files = operands.length ? operands : ['-'];
  const showName = flags.has('H') || (files.length > 1 && !flags.has('h'));
  let selectedAny = false;
  let trouble = false;
  for (const file of files) {
    let lines: AsyncIterable<string> | Iterable<string>;
    if (file === '-') lines = stdinLines(streams.stdin);
    else {
      const text = readFile(ctx, file);
      if (text === undefined) {
        if (!flags.has('s')) await writeText(streams.stderr, `grep: ${file}: No such file or directory\n`);
        trouble = true;
        continue;
      }
      lines = splitLines(text);
    }
    const label = file === '-' ? '(standard input)' : file;
    const prefix = (n: number) => `${showName ? `${label}:` : ''}${flags.has('n') ? `${n}:` : ''}`;
    let count = 0;
    let lineNo = 0;
    for await (const line of lines) {
      lineNo++;
      regex.lastIndex = 0;
      const matches = regex.test(line);
      if (matches === flags.has('v')) continue;
      count++;
      selectedAny = true;
      if (flags.has('q')) return 0;
      if (flags.has('l')) break;
      if (!flags.has('c')) {
        if (flags.has('o')) {
          regex.lastIndex = 0;
          if (!flags.has('v')) for (const m of line.matchAll(regex)) if (m[0]) await writeText(streams.stdout, `${prefix(lineNo)}${m[0]}\n`);
        } else await writeText(streams.stdout, `${prefix(lineNo)}${line}\n`);
      }
      if (count >= maxCount) break;
    }
    if (flags.has('c')) await writeText(streams.stdout, `${showName ? `${label}:` : ''}${count}\n`);
    if (flags.has('l') && count) await writeText(streams.stdout, `${label}\n`);
  }
  if (trouble && !(flags.has('q') && selectedAny)) return 2;
  return selectedAny ? 0 : 1;
};
