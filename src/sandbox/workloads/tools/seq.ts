// `seq [-s SEP] [-w] [FIRST [INCREMENT]] LAST`: a number sequence, one per line by default.
import { writeText, type ExecTool } from './tool.js';

/** The seq program. */
export const seqTool: ExecTool = async (argv, streams) => {
  const args = argv.slice(1);
  let sep = '\n';
  let equalWidth = false;
  while (args.length && /^-[sw]/.test(args[0]) && !/^-\d/.test(args[0])) {
    const a = args.shift()!;
    if (a === '-w') equalWidth = true;
    else if (a === '-s') sep = args.shift() ?? '';
    else if (a.startsWith('-s')) sep = a.slice(2);
  }
  const nums = args.map(Number);
  if (!args.length || args.length > 3 || nums.some((n) => !Number.isFinite(n)) || args.some((a) => a.trim() === '')) {
    const bad = args.find((a) => !Number.isFinite(Number(a)) || a.trim() === '');
    await writeText(streams.stderr, bad !== undefined ? `seq: invalid floating point argument: '${bad}'\nTry 'seq --help' for more information.\n` : `seq: missing operand\nTry 'seq --help' for more information.\n`);
    return 1;
  }
  const [first, step, last] = nums.length === 1 ? [1, 1, nums[0]] : nums.length === 2 ? [nums[0], 1, nums[1]] : nums;
  if (step === 0) {
    await writeText(streams.stderr, `seq: invalid Zero increment value: '${args[1]}'\nTry 'seq --help' for more information.\n`);
    return 1;
  }
  const decimals = Math.max(...args.map((a) => (a.includes('.') ? a.split('.')[1].replace(/e.*/i, '').length : 0)));
  const values: string[] = [];
  for (let i = 0; ; i++) {
    const v = first + i * step;
    if ((step > 0 && v > last + 1e-9) || (step < 0 && v < last - 1e-9) || values.length > 1_000_000) break;
    values.push(v.toFixed(decimals));
  }
  const width = equalWidth ? Math.max(...values.map((v) => v.length)) : 0;
  const body = values.map((v) => (width ? (v.startsWith('-') ? `-${v.slice(1).padStart(width - 1, '0')}` : v.padStart(width, '0')) : v)).join(sep);
  await writeText(streams.stdout, values.length ? `${body}\n` : '');
  return 0;
};
