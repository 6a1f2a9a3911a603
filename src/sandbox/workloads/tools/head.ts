// `head [-n N|-N] [-c N] [FILE]...`: the first lines (default 10) or bytes; stops reading stdin early.
import { parseShortOptions, readFile, splitLines, stdinLines } from './text-input.js';
import { writeText, type ExecTool } from './tool.js';

/** The head program. */
export const headTool: ExecTool = async (argv, streams, ctx) => {
  const args = argv.slice(1).map((a, i) => (i === 0 && /^-\d+$/.test(a) ? `-n${a.slice(1)}` : a));
  const parsed = parseShortOptions(args, 'qv', 'nc', { lines: 'n', bytes: 'c', quiet: 'q', silent: 'q' });
  if ('error' in parsed) {
    await writeText(streams.stderr, `head: ${parsed.error}\nTry 'head --help' for more information.\n`);
    return 1;
  }
  const countText = parsed.values.get('n')?.at(-1) ?? '10';
  const bytesText = parsed.values.get('c')?.at(-1);
  const n = Number(bytesText ?? countText);
  if (!Number.isInteger(n) || n < 0) {
    await writeText(streams.stderr, `head: invalid number of ${bytesText ? 'bytes' : 'lines'}: '${bytesText ?? countText}'\n`);
    return 1;
  }
  const files = parsed.operands.length ? parsed.operands : ['-'];
  let code = 0;
  for (const [index, file] of files.entries()) {
    if (files.length > 1 && !parsed.flags.has('q')) await writeText(streams.stdout, `${index ? '\n' : ''}==> ${file === '-' ? 'standard input' : file} <==\n`);
    if (file !== '-' && readFile(ctx, file) === undefined) {
      await writeText(streams.stderr, `head: cannot open '${file}' for reading: No such file or directory\n`);
      code = 1;
      continue;
    }
    if (bytesText !== undefined) {
      const text = file === '-' ? await firstBytes(streams.stdin, n) : readFile(ctx, file)!;
      await writeText(streams.stdout, Buffer.from(text).subarray(0, n));
      continue;
    }
    let taken = 0;
    const lines = file === '-' ? stdinLines(streams.stdin) : splitLines(readFile(ctx, file)!);
    if (n === 0) continue;
    for await (const line of lines) {
      await writeText(streams.stdout, `${line}\n`);
      if (++taken >= n) break;
    }
  }
  return code;
};

async function firstBytes(stdin: NodeJS.ReadableStream | undefined, n: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  if (!stdin) return '';
  for await (const c of stdin) {
    const b = Buffer.from(c as Uint8Array);
    chunks.push(b);
    size += b.length;
    if (size >= n) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}
