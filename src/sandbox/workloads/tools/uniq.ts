// `uniq [-c] [-d] [-u] [-i] [INPUT]`: collapses adjacent equal lines; -c prefixes counts as `%7d `.
import { parseShortOptions, readInputs, splitLines } from './text-input.js';
import { writeText, type ExecTool } from './tool.js';

/** The uniq program. */
export const uniqTool: ExecTool = async (argv, streams, ctx) => {
  const parsed = parseShortOptions(argv.slice(1), 'cdui', '', { count: 'c', repeated: 'd', unique: 'u', 'ignore-case': 'i' });
  if ('error' in parsed) {
    await writeText(streams.stderr, `uniq: ${parsed.error}\nTry 'uniq --help' for more information.\n`);
    return 1;
  }
  const { flags } = parsed;
  const { inputs, missing } = await readInputs('uniq', parsed.operands.slice(0, 1), streams, ctx);
  const same = (a: string, b: string) => (flags.has('i') ? a.toLowerCase() === b.toLowerCase() : a === b);
  const groups: { line: string; count: number }[] = [];
  for (const line of splitLines(inputs[0]?.text ?? '')) {
    const last = groups[groups.length - 1];
    if (last && same(last.line, line)) last.count++;
    else groups.push({ line, count: 1 });
  }
  let out = '';
  for (const g of groups) {
    if (flags.has('d') && g.count < 2) continue;
    if (flags.has('u') && g.count > 1) continue;
    out += flags.has('c') ? `${String(g.count).padStart(7)} ${g.line}\n` : `${g.line}\n`;
  }
  await writeText(streams.stdout, out);
  return missing ? 1 : 0;
};
