// `cut -d DELIM -f LIST [-s]` / `cut -c LIST` / `cut -b LIST`: fields or characters of each line.
import { parseShortOptions, readFile, splitLines, stdinLines } from './text-input.js';
import { writeText, type ExecTool } from './tool.js';

/** A 1-based inclusive range list (`1,3`, `2-`, `-3`, `1-2,5`). */
function parseList(list: string): [number, number][] | undefined {
  const ranges: [number, number][] = [];
  for (const part of list.split(',')) {
    const m = /^(\d*)(-?)(\d*)$/.exec(part);
    if (!m || (!m[1] && !m[3])) return undefined;
    const from = m[1] ? Number(m[1]) : 1;
    const to = m[2] ? (m[3] ? Number(m[3]) : Infinity) : from;
    if (from < 1 || to < from) return undefined;
    ranges.push([from, to]);
  }
  return ranges;
}

/** The cut program. */
export const cutTool: ExecTool = async (argv, streams, ctx) => {
  const parsed = parseShortOptions(argv.slice(1), 'sn', 'dfcb', { delimiter: 'd', fields: 'f', characters: 'c', bytes: 'b', 'only-delimited': 's' });
  const fail = async (msg: string) => {
    await writeText(streams.stderr, `cut: ${msg}\nTry 'cut --help' for more information.\n`);
    return 1;
  };
  if ('error' in parsed) return fail(parsed.error);
  const fields = parsed.values.get('f')?.at(-1);
  const chars = parsed.values.get('c')?.at(-1) ?? parsed.values.get('b')?.at(-1);
  if (!fields && !chars) return fail('you must specify a list of bytes, characters, or fields');
  const ranges = parseList((fields ?? chars)!);
  if (!ranges) return fail(`invalid field value '${fields ?? chars}'`);
  const delim = parsed.values.get('d')?.at(-1) ?? '\t';
  if (delim.length !== 1) return fail('the delimiter must be a single character');
  const pick = <T>(items: T[]) => items.filter((_, i) => ranges.some(([a, b]) => i + 1 >= a && i + 1 <= b));
  let missing = false;
  for (const path of parsed.operands.length ? parsed.operands : ['-']) {
    const text = path === '-' ? undefined : readFile(ctx, path);
    if (path !== '-' && text === undefined) {
      await writeText(streams.stderr, `cut: ${path}: No such file or directory\n`);
      missing = true;
      continue;
    }
    // stdin is cut line by line as it arrives (so an endless producer can be cut and head-ed).
    for await (const line of text === undefined ? stdinLines(streams.stdin) : splitLines(text)) {
      if (chars) await writeText(streams.stdout, `${pick([...line]).join('')}\n`);
      else if (!line.includes(delim)) await writeText(streams.stdout, parsed.flags.has('s') ? '' : `${line}\n`);
      else await writeText(streams.stdout, `${pick(line.split(delim)).join(delim)}\n`);
      if (streams.signal.aborted) break;
    }
  }
  return missing ? 1 : 0;
};
