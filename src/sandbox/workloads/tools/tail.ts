// `tail [-n N|-N|-n +N] [-c N] [FILE]...`: the last lines (default 10), or from line N with `+N`.
import { readInputs, parseShortOptions, splitLines } from './text-input.js';
import { writeText, type ExecTool } from './tool.js';

/** The tail program. */
export const tailTool: ExecTool = async (argv, streams, ctx) => {
  const args = argv.slice(1).map((a, i) => (i === 0 && /^[-+]\d+$/.test(a) ? `-n${a.startsWith('+') ? a : a.slice(1)}` : a));
  const parsed = parseShortOptions(args, 'qvF', 'nc', { lines: 'n', bytes: 'c', quiet: 'q', silent: 'q' });
  if ('error' in parsed) {
    await writeText(streams.stderr, `tail: ${parsed.error}\nTry 'tail --help' for more information.\n`);
    return 1;
  }
  const bytes = parsed.values.get('c')?.at(-1);
  const spec = bytes ?? parsed.values.get('n')?.at(-1) ?? '10';
  const m = /^(\+)?(\d+)$/.exec(spec);
  if (!m) {
    await writeText(streams.stderr, `tail: invalid number of ${bytes ? 'bytes' : 'lines'}: '${spec}'\n`);
    return 1;
  }
  const fromStart = Boolean(m[1]);
  const n = Number(m[2]);
  const { inputs, missing } = await readInputs('tail', parsed.operands, streams, ctx);
  for (const [index, input] of inputs.entries()) {
    if (inputs.length > 1 && !parsed.flags.has('q')) await writeText(streams.stdout, `${index ? '\n' : ''}==> ${input.name === '(standard input)' ? 'standard input' : input.name} <==\n`);
    if (bytes !== undefined) {
      const buf = Buffer.from(input.text);
      await writeText(streams.stdout, fromStart ? buf.subarray(Math.max(0, n - 1)) : buf.subarray(Math.max(0, buf.length - n)));
      continue;
    }
    const lines = splitLines(input.text);
    const chosen = fromStart ? lines.slice(Math.max(0, n - 1)) : n === 0 ? [] : lines.slice(-n);
    const text = chosen.map((l) => `${l}\n`).join('');
    await writeText(streams.stdout, chosen.length && !input.text.endsWith('\n') ? text.slice(0, -1) : text);
  }
  return missing ? 1 : 0;
};
