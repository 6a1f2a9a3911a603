// The sandbox shell's builtins: exit, export, unset, cd, pwd, :, break, continue, wait, kill %N, set,
// shift, read, eval, exec, command, type, ., trap (accepted and ignored), local.
import type { ExecStreams } from '../../types.js';
import { ShellSyntaxError } from './shell-ast.js';
import type { ShellRunner } from './shell-exec.js';
import { parseShell } from './shell-parser.js';
import { normalizePath } from './text-input.js';
import { writeText } from './tool.js';

/** A builtin: argv (argv[0] is its name) → exit status; it may change the shell's state. */
export type Builtin = (argv: string[], io: ExecStreams, shell: ShellRunner) => Promise<number>;

const fail = async (io: ExecStreams, message: string, code = 1) => {
  await writeText(io.stderr, `sh: ${message}\n`);
  return code;
};

const count = (text: string | undefined, io: ExecStreams, name: string): Promise<number> | number => {
  if (text === undefined) return 1;
  return /^\d+$/.test(text) ? Number(text) : fail(io, `${name}: Illegal number: ${text}`, 2).then(() => -1);
};

/** Runs shell text (eval, .) in `shell`; syntax errors exit 2. */
async function runText(text: string, io: ExecStreams, shell: ShellRunner): Promise<number> {
  try {
    return await shell.runList(parseShell(text), io);
  } catch (error) {
    if (!(error instanceof ShellSyntaxError)) throw error;
    return fail(io, error.message, 2);
  }
}

/** Lines of one input stream shared by every `read` on it. */
class LineReader {
  private buffer = '';
  private ended: boolean;
  private wake?: () => void;

  constructor(stream: NodeJS.ReadableStream) {
    this.ended = Boolean((stream as { readableEnded?: boolean }).readableEnded);
    stream.on('data', (c: Buffer | string) => {
      this.buffer += Buffer.from(c).toString('utf8');
      this.wake?.();
    });
    const done = () => {
      this.ended = true;
      this.wake?.();
    };
    stream.on('end', done);
    stream.on('error', done);
  }

  /** The next line (without `\n`) and whether it was newline-terminated; undefined at end of input. */
  async line(): Promise<{ text: string; complete: boolean } | undefined> {
    for (;;) {
      const nl = this.buffer.indexOf('\n');
      if (nl >= 0) {
        const text = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        return { text, complete: true };
      }
      if (this.ended) {
        if (!this.buffer) return undefined;
        const text = this.buffer;
        this.buffer = '';
        return { text, complete: false };
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}
const readers = new WeakMap<object, LineReader>();

/** The builtins by name. */
export const BUILTINS: Record<string, Builtin> = {
  ':': async () => 0,
  trap: async () => 0,
  cd: async (argv, _io, sh) => {
    sh.state.vars.set('PWD', normalizePath(argv[1] ?? sh.state.vars.get('HOME') ?? '/'));
    return 0;
  },
  pwd: async (_argv, io, sh) => {
    await writeText(io.stdout, `${sh.state.vars.get('PWD') ?? '/'}\n`);
    return 0;
  },
  exit: async (argv, io, sh) => {
    const n = argv[1] === undefined ? sh.state.status : /^-?\d+$/.test(argv[1]) ? Number(argv[1]) & 255 : await fail(io, `exit: Illegal number: ${argv[1]}`, 2);
    sh.state.exited = true;
    return n;
  },
  export: async (argv, io, sh) => {
    const args = argv.slice(1).filter((a) => a !== '-p' && a !== '-n');
    if (!args.length) {
      const lines = [...sh.state.exported].sort().map((k) => `export ${k}='${(sh.state.vars.get(k) ?? '').replace(/'/g, "'\\''")}'\n`);
      await writeText(io.stdout, lines.join(''));
    }
    for (const a of args) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(0, eq) : a;
      if (eq >= 0) sh.state.vars.set(name, a.slice(eq + 1));
      sh.state.exported.add(name);
    }
    return 0;
  },
  local: async (argv, _io, sh) => {
    for (const a of argv.slice(1)) if (a.includes('=')) sh.state.vars.set(a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1));
    return 0;
  },
  unset: async (argv, _io, sh) => {
    for (const name of argv.slice(1).filter((a) => !a.startsWith('-'))) {
      sh.state.vars.delete(name);
      sh.state.exported.delete(name);
    }
    return 0;
  },
  break: async (argv, io, sh) => {
    const n = await count(argv[1], io, 'break');
    if (n < 0) return 2;
    sh.state.breaks = Math.max(1, n);
    return 0;
  },
  continue: async (argv, io, sh) => {
    const n = await count(argv[1], io, 'continue');
    if (n < 0) return 2;
    sh.state.continues = Math.max(1, n);
    return 0;
  },
  shift: async (argv, io, sh) => {
    const n = await count(argv[1], io, 'shift');
    if (n < 0 || n > sh.state.positional.length - 1) return n < 0 ? 2 : fail(io, "shift: can't shift that many", 1);
    sh.state.positional.splice(1, n);
    return 0;
  },
  set: async (argv, _io, sh) => {
    const args = argv.slice(1);
    while (args.length && /^[-+][a-z]+$|^[-+]o$/.test(args[0])) {
      const a = args.shift()!;
      const on = a[0] === '-';
      const long = a === '-o' || a === '+o' ? args.shift() : undefined;
      const letters = long === undefined ? a.slice(1) : long === 'errexit' ? 'e' : long === 'xtrace' ? 'x' : '';
      if (letters.includes('e')) sh.state.options.errexit = on;
      if (letters.includes('x')) sh.state.options.xtrace = on;
    }
    if (args[0] === '--') args.shift();
    if (args.length || argv.includes('--')) sh.state.positional = [sh.state.positional[0], ...args];
    return 0;
  },
  wait: async (argv, _io, sh) => {
    const ids = argv.slice(1).map((a) => Number(a.replace(/^%/, '')));
    const jobs = ids.length ? sh.state.jobs.filter((j) => ids.includes(j.id) || ids.includes(100 + j.id)) : sh.state.jobs;
    let status = 0;
    for (const job of jobs) status = await job.done;
    return status;
  },
  kill: async (argv, io, sh) => {
    let status = 0;
    for (const a of argv.slice(1).filter((x) => !/^-(\d+|[A-Z]+|s)$/.test(x))) {
      const job = /^%\d+$/.test(a) ? sh.state.jobs.find((j) => j.id === Number(a.slice(1))) : sh.state.jobs.find((j) => String(100 + j.id) === a);
      if (job) job.controller.abort();
      else status = await fail(io, `kill: can't kill pid ${a}: No such process`);
    }
    return status;
  },
  read: async (argv, io, sh) => {
    const args = argv.slice(1);
    let raw = false;
    while (args[0]?.startsWith('-')) {
      const opt = args.shift()!;
      if (opt === '-r') raw = true;
      else if (opt === '-p') await writeText(io.stderr, args.shift() ?? '');
    }
    if (!io.stdin) return 1;
    let reader = readers.get(io.stdin);
    if (!reader) readers.set(io.stdin, (reader = new LineReader(io.stdin)));
    const line = await reader.line();
    const names = args.length ? args : ['REPLY'];
    const text = raw ? (line?.text ?? '') : (line?.text ?? '').replace(/\\(.)/g, '$1');
    const fields = names.length === 1 ? [text.replace(/^[ \t]+|[ \t]+$/g, '')] : text.trim().split(/[ \t]+/);
    names.forEach((name, i) => sh.state.vars.set(name, i === names.length - 1 ? fields.slice(i).join(' ') : (fields[i] ?? '')));
    return line?.complete ? 0 : 1;
  },
  eval: async (argv, io, sh) => runText(argv.slice(1).join(' '), io, sh),
  '.': async (argv, io, sh) => {
    const text = argv[1] === undefined ? undefined : sh.ctx.files[normalizePath(argv[1])];
    if (text === undefined) return fail(io, `.: can't open '${argv[1] ?? ''}'`, 2);
    return runText(text, io, sh);
  },
  exec: async (argv, io, sh) => {
    if (argv.length < 2) return 0;
    const tool = sh.ctx.lookup(argv[1]);
    sh.state.exited = true;
    if (!tool) return fail(io, `exec: ${argv[1]}: not found`, 127);
    return tool(argv.slice(1), io, sh.toolContext());
  },
  command: async (argv, io, sh) => {
    if (argv[1] === '-v' || argv[1] === '-V') {
      const name = argv[2] ?? '';
      if (BUILTINS[name]) await writeText(io.stdout, `${name}\n`);
      else if (sh.ctx.lookup(name)) await writeText(io.stdout, `/usr/bin/${name}\n`);
      else return 1;
      return 0;
    }
    const tool = argv[1] ? sh.ctx.lookup(argv[1]) : undefined;
    if (!argv[1]) return 0;
    if (!tool) return fail(io, `${argv[1]}: not found`, 127);
    return tool(argv.slice(1), io, sh.toolContext());
  },
  type: async (argv, io, sh) => {
    let status = 0;
    for (const name of argv.slice(1)) {
      if (BUILTINS[name]) await writeText(io.stdout, `${name} is a shell builtin\n`);
      else if (sh.ctx.lookup(name)) await writeText(io.stdout, `${name} is /usr/bin/${name}\n`);
      else {
        await writeText(io.stdout, `${name}: not found\n`);
        status = 127;
      }
    }
    return status;
  },
};
BUILTINS.source = BUILTINS['.'];
BUILTINS.readonly = BUILTINS.export;
