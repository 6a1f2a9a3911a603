// `wc [-lwcm] [FILE]...`: line, word and byte counts; one count alone is printed without padding.
import { parseShortOptions, readInputs } from './text-input.js';
import { writeText, type ExecTool } from './tool.js';

/** The wc program. */
export const wcTool: ExecTool = async (argv, streams, ctx) => {
  const parsed = parseShortOptions(argv.slice(1), 'lwcmL', '', { lines: 'l', words: 'w', bytes: 'c', chars: 'm' });
  if ('error' in parsed) {
    await writeText(streams.stderr, `wc: ${parsed.error}\nTry 'wc --help' for more information.\n`);
    return 1;
  }
  const chosen = ['l', 'w', 'c', 'm'].filter((f) => parsed.flags.has(f));
  const columns = chosen.length ? chosen : ['l', 'w', 'c'];
  const { inputs, missing } = await readInputs('wc', parsed.operands, streams, ctx);
  const rows = inputs.map((i) => ({ name: parsed.operands.length ? i.name : '', counts: counts(i.text, columns) }));
  if (rows.length > 1) rows.push({ name: 'total', counts: columns.map((_, k) => rows.reduce((s, r) => s + r.counts[k], 0)) });
  const width = columns.length === 1 && rows.length === 1 ? 0 : parsed.operands.length ? Math.max(1, ...rows.flatMap((r) => r.counts.map((c) => String(c).length))) : 7;
  for (const r of rows) await writeText(streams.stdout, `${r.counts.map((c) => String(c).padStart(width)).join(' ')}${r.name ? ` ${r.name}` : ''}\n`);
  return missing ? 1 : 0;
};

function counts(text: string, columns: string[]): number[] {
  return columns.map((c) => {
    if (c === 'l') return (text.match(/\n/g) ?? []).length;
    if (c === 'w') return text.split(/\s+/).filter(Boolean).length;
    if (c === 'm') return [...text].length;
    return Buffer.byteLength(text);
  });
}
