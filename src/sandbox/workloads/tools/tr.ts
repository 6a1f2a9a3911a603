// `tr [-d] [-s] [-c] SET1 [SET2]`: translate, delete or squeeze characters from stdin (ranges a-z,
// classes [:upper:], escapes \n \t \\).
import { writeText, type ExecTool } from './tool.js';

const CLASSES: Record<string, string> = {
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', lower: 'abcdefghijklmnopqrstuvwxyz', digit: '0123456789', space: ' \t\n\r\f\v', blank: ' \t',
  punct: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
};
CLASSES.alpha = CLASSES.upper + CLASSES.lower;
CLASSES.alnum = CLASSES.alpha + CLASSES.digit;
CLASSES.xdigit = `${CLASSES.digit}ABCDEFabcdef`;

/** Expands a tr set into its characters. */
function expandSet(set: string): string[] {
  const chars: string[] = [];
  const unescape = (s: string, i: number): [string, number] => {
    if (s[i] !== '\\' || i + 1 >= s.length) return [s[i], i];
    const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', f: '\f', v: '\v' };
    return [map[s[i + 1]] ?? s[i + 1], i + 1];
  };
  for (let i = 0; i < set.length; i++) {
    const cls = /^\[:([a-z]+):\]/.exec(set.slice(i));
    if (cls && CLASSES[cls[1]]) {
      chars.push(...CLASSES[cls[1]]);
      i += cls[0].length - 1;
      continue;
    }
    const [c, at] = unescape(set, i);
    i = at;
    if (set[i + 1] === '-' && i + 2 < set.length) {
      const [end, endAt] = unescape(set, i + 2);
      for (let code = c.charCodeAt(0); code <= end.charCodeAt(0); code++) chars.push(String.fromCharCode(code));
      i = endAt;
    } else chars.push(c);
  }
  return chars;
}

/** The tr program. */
export const trTool: ExecTool = async (argv, streams) => {
  const args = argv.slice(1);
  const opts = new Set<string>();
  while (args[0]?.startsWith('-') && args[0].length > 1 && /^-[dscC]+$/.test(args[0])) for (const c of args.shift()!.slice(1)) opts.add(c === 'C' ? 'c' : c);
  const needTwo = !opts.has('d') && !(opts.has('s') && args.length === 1);
  if (!args.length || (needTwo && args.length < 2)) {
    await writeText(streams.stderr, `tr: missing operand${args.length ? ` after '${args[0]}'` : ''}\nTry 'tr --help' for more information.\n`);
    return 1;
  }
  const set1 = expandSet(args[0]);
  const set2 = args[1] !== undefined ? expandSet(args[1]) : [];
  const in1 = new Set(set1);
  const complement = opts.has('c');
  const selected = (c: string) => in1.has(c) !== complement;
  const map = new Map<string, string>();
  if (!complement) set1.forEach((c, i) => map.set(c, set2[Math.min(i, set2.length - 1)]));
  const translate = (c: string) => (complement ? set2[set2.length - 1] : map.get(c)) ?? c;
  const squeeze = opts.has('d') || !set2.length ? (c: string) => selected(c) : (c: string) => set2.includes(c);
  let last = '';
  // Streams chunk by chunk, so `… | tr a b | head -n 1` ends as soon as head has its line.
  if (streams.stdin) {
    for await (const chunk of streams.stdin) {
      let out = '';
      for (const c of Buffer.from(chunk as Uint8Array).toString('utf8')) {
        if (opts.has('d') && selected(c)) continue;
        const t = opts.has('d') || !set2.length || !selected(c) ? c : translate(c);
        if (opts.has('s') && t === last && squeeze(t)) continue;
        out += t;
        last = t;
      }
      await writeText(streams.stdout, out);
      if (streams.signal.aborted) break;
    }
  }
  return 0;
};
