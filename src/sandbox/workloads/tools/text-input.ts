// Input for the line-oriented text tools (grep, head, tail, wc, cut, tr, sort, uniq): stdin or the
// container's files, read whole or line by line, and short-option parsing in busybox/GNU style.
import type { ExecStreams } from '../../types.js';
import { writeText, type ToolContext } from './tool.js';

/** Collapses `//`, `.` and `..`; relative paths resolve from `/` (the sample images' working directory). */
export function normalizePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** A file's content by path, as the tools see the filesystem (`/dev/null` is empty). */
export function readFile(ctx: ToolContext, path: string): string | undefined {
  if (path === '/dev/null') return '';
  return ctx.files[normalizePath(path)];
}

/** All of stdin as text (empty without stdin). */
export async function readStdin(stdin: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!stdin) return '';
  const chunks: Buffer[] = [];
  for await (const c of stdin) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

/** Lines of stdin as they arrive (without their `\n`); stops reading when the consumer stops. */
export async function* stdinLines(stdin: NodeJS.ReadableStream | undefined): AsyncGenerator<string> {
  if (!stdin) return;
  let pending = '';
  for await (const c of stdin) {
    pending += Buffer.from(c as Uint8Array).toString('utf8');
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      yield pending.slice(0, nl);
      pending = pending.slice(nl + 1);
    }
  }
  if (pending) yield pending;
}

/** Splits text into lines (a final newline does not start an extra empty line). */
export function splitLines(text: string): string[] {
  if (!text) return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Each named input's text (`-` or none = stdin); missing files are reported as `tool: path: No such file or directory`. */
export async function readInputs(tool: string, paths: string[], streams: ExecStreams, ctx: ToolContext): Promise<{ inputs: { name: string; text: string }[]; missing: boolean }> {
  const inputs: { name: string; text: string }[] = [];
  let missing = false;
  for (const path of paths.length ? paths : ['-']) {
    if (path === '-') {
      inputs.push({ name: '(standard input)', text: await readStdin(streams.stdin) });
      continue;
    }
    const text = readFile(ctx, path);
    if (text === undefined) {
      await writeText(streams.stderr, `${tool}: ${path}: No such file or directory\n`);
      missing = true;
    } else inputs.push({ name: path, text });
  }
  return { inputs, missing };
}

/** Parsed short/long options: flags seen, values of options that take one, and operands. */
export interface ParsedOptions {
  flags: Set<string>;
  values: Map<string, string[]>;
  operands: string[];
}

/**
 * getopt-like parsing with permutation (options may follow operands, as GNU and busybox allow):
 * `valued` letters take an argument (`-n5`, `-n 5`); `long` maps long names to letters.
 */
export function parseShortOptions(args: string[], flagLetters: string, valued: string, long: Record<string, string> = {}): ParsedOptions | { error: string } {
  const out: ParsedOptions = { flags: new Set(), values: new Map(), operands: [] };
  const add = (letter: string, value: string) => out.values.set(letter, [...(out.values.get(letter) ?? []), value]);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      out.operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const [name, inline] = a.slice(2).split(/=(.*)/s);
      const letter = long[name];
      if (!letter) return { error: `unrecognized option '${a}'` };
      if (valued.includes(letter)) {
        const value = inline ?? args[++i];
        if (value === undefined) return { error: `option '--${name}' requires an argument` };
        add(letter, value);
      } else out.flags.add(letter);
      continue;
    }
    if (!a.startsWith('-') || a === '-') {
      out.operands.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (valued.includes(c)) {
        const value = j + 1 < a.length ? a.slice(j + 1) : args[++i];
        if (value === undefined) return { error: `option requires an argument -- '${c}'` };
        add(c, value);
        break;
      }
      if (!flagLetters.includes(c)) return { error: `invalid option -- '${c}'` };
      out.flags.add(c);
    }
  }
  return out;
}
