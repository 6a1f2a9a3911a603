// `printf FORMAT [ARG]...`: %s %d %i %u %x %X %o %c %f %e %g %b %% with width/precision, backslash
// escapes; the format is reused while arguments remain.
import { writeText, type ExecTool } from './tool.js';

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', a: '\x07', b: '\b', f: '\f', v: '\v', '"': '"', "'": "'" };

/** Backslash escapes as printf and %b interpret them. */
function unescape(text: string): string {
  return text.replace(/\\(0[0-7]{0,3}|[0-7]{1,3}|x[0-9a-fA-F]{1,2}|.)/g, (_, e: string) => {
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    return ESCAPES[e] ?? `\\${e}`;
  });
}

/** The printf program. */
export const printfTool: ExecTool = async (argv, streams) => {
  if (argv.length < 2) {
    await writeText(streams.stderr, 'printf: usage: printf format [arguments]\n');
    return 2;
  }
  const format = argv[1];
  const args = argv.slice(2);
  let next = 0;
  let code = 0;
  let out = '';
  const take = () => (next < args.length ? args[next++] : undefined);
  const number = (v: string | undefined): number => {
    if (v === undefined || v === '') return 0;
    const n = /^'./.test(v) || /^"./.test(v) ? v.charCodeAt(1) : Number(v);
    if (!Number.isFinite(n)) {
      code = 1;
      void writeText(streams.stderr, `printf: ${v}: invalid number\n`);
      return 0;
    }
    return n;
  };
  do {
    const start = next;
    out += format.replace(/%([-+ #0]*)(\d+|\*)?(?:\.(\d+|\*))?([sdiuxXocfeEgGb%])|\\(0[0-7]{0,3}|[0-7]{1,3}|x[0-9a-fA-F]{1,2}|.)/g, (whole, fl: string, w: string, p: string, conv: string, esc: string) => {
      if (esc !== undefined) return unescape(whole);
      if (conv === '%') return '%';
      const width = w === '*' ? number(take()) : w ? Number(w) : 0;
      const prec = p === '*' ? number(take()) : p !== undefined ? Number(p) : undefined;
      const arg = take();
      let s: string;
      switch (conv) {
        case 's': s = (arg ?? '').slice(0, prec); break;
        case 'b': s = unescape(arg ?? ''); break;
        case 'c': s = (arg ?? '').slice(0, 1); break;
        case 'd': case 'i': case 'u': s = String(Math.trunc(number(arg))); break;
        case 'x': s = Math.trunc(number(arg)).toString(16); break;
        case 'X': s = Math.trunc(number(arg)).toString(16).toUpperCase(); break;
        case 'o': s = Math.trunc(number(arg)).toString(8); break;
        case 'e': case 'E': s = number(arg).toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2'); if (conv === 'E') s = s.toUpperCase(); break;
        case 'g': case 'G': s = String(Number(number(arg).toPrecision(prec || 6))); break;
        default: s = number(arg).toFixed(prec ?? 6);
      }
      if (fl.includes('+') && /[dieEfgG]/.test(conv) && !s.startsWith('-')) s = `+${s}`;
      if (s.length < width) s = fl.includes('-') ? s.padEnd(width) : fl.includes('0') && conv !== 's' ? (s.startsWith('-') ? `-${s.slice(1).padStart(width - 1, '0')}` : s.padStart(width, '0')) : s.padStart(width);
      return s;
    });
    if (next === start) break;
  } while (next < args.length);
  await writeText(streams.stdout, out);
  return code;
};
