// `sort [-nrufb] [-t SEP] [-k F1[,F2]] [FILE]...`: lines in byte (C locale) or numeric order.
import { parseShortOptions, readInputs, splitLines } from './text-input.js';
import { writeText, type ExecTool } from './tool.js';

/** The sort program. */
export const sortTool: ExecTool = async (argv, streams, ctx) => {
  const parsed = parseShortOptions(argv.slice(1), 'nrufbsgV', 'tko', { numeric: 'n', 'numeric-sort': 'n', reverse: 'r', unique: 'u', 'ignore-case': 'f', key: 'k', 'field-separator': 't', output: 'o' });
  if ('error' in parsed) {
    await writeText(streams.stderr, `sort: ${parsed.error}\nTry 'sort --help' for more information.\n`);
    return 2;
  }
  const { flags, values } = parsed;
  const sep = values.get('t')?.at(-1);
  const key = values.get('k')?.at(-1);
  const km = key ? /^(\d+)(?:\.\d+)?[a-z]*(?:,(\d+)(?:\.\d+)?[a-z]*)?$/.exec(key) : undefined;
  if (key && !km) {
    await writeText(streams.stderr, `sort: invalid key specification '${key}'\n`);
    return 2;
  }
  const numeric = flags.has('n') || flags.has('g') || /n/.test(key ?? '');
  const keyOf = (line: string): string => {
    if (!km) return line;
    const fields = sep ? line.split(sep) : line.trim().split(/\s+/);
    const from = Number(km[1]) - 1;
    const to = km[2] ? Number(km[2]) : fields.length;
    return fields.slice(from, to).join(sep ?? ' ');
  };
  const norm = (s: string) => (flags.has('f') ? s.toUpperCase() : s);
  const compare = (a: string, b: string): number => {
    const ka = norm(keyOf(a));
    const kb = norm(keyOf(b));
    if (numeric) {
      const d = (parseFloat(ka) || 0) - (parseFloat(kb) || 0);
      if (d) return d;
      if (key && flags.has('u')) return 0;
    } else if (ka !== kb) return ka < kb ? -1 : 1;
    else if (key && flags.has('u')) return 0;
    return a === b ? 0 : a < b ? -1 : 1;
  };
  const { inputs, missing } = await readInputs('sort', parsed.operands, streams, ctx);
  let lines = inputs.flatMap((i) => splitLines(i.text)).sort(compare);
  if (flags.has('r')) lines.reverse();
  if (flags.has('u')) lines = lines.filter((l, i) => i === 0 || compare(l, lines[i - 1]) !== 0);
  const text = lines.map((l) => `${l}\n`).join('');
  const output = values.get('o')?.at(-1);
  if (output) ctx.files[output.startsWith('/') ? output : `/${output}`] = text;
  else await writeText(streams.stdout, text);
  return missing ? 2 : 0;
};
