// `sh -c "CMD"` and an interactive/stdin `sh`: simple commands (with `;`, `&&`, `||`) run through the
// container's program table. Messages follow busybox ash, the shell of the Alpine-based sample images.
import type { ExecStreams } from '../../types.js';
import { parseShellList } from './shell-words.js';
import { writeText, type ExecTool, type ToolContext } from './tool.js';

/** Shell state across the commands of one invocation. */
interface ShellState {
  vars: Map<string, string>;
  positional: string[];
  status: number;
  exited: boolean;
}

/** The shell: `-c` runs one command line; a script operand is refused; otherwise lines are read from stdin. */
export const shTool: ExecTool = async (argv, streams, ctx) => {
  const args = argv.slice(1);
  const state: ShellState = { vars: new Map(), positional: [argv[0]], status: 0, exited: false };
  if (args[0] === '-c') {
    if (args.length < 2) {
      await writeText(streams.stderr, 'sh: -c requires an argument\n');
      return 2;
    }
    state.positional = [args[2] ?? argv[0], ...args.slice(3)];
    return runLine(args[1], streams, ctx, state);
  }
  if (args.length && !args[0].startsWith('-')) {
    await writeText(streams.stderr, `sh: can't open '${args[0]}': No such file or directory\n`);
    return 2;
  }
  return readLines(streams, ctx, state);
};

/** Runs one command line and returns the last command's exit status. */
async function runLine(line: string, streams: ExecStreams, ctx: ToolContext, state: ShellState): Promise<number> {
  const lookupVar = (name: string): string | undefined => {
    if (name === '?') return String(state.status);
    if (name === '#') return String(state.positional.length - 1);
    if (name === '$') return '1';
    if (/^[0-9]+$/.test(name)) return state.positional[Number(name)];
    return state.vars.get(name) ?? ctx.env[name];
  };
  for (const step of parseShellList(line, lookupVar)) {
    if ('error' in step) {
      await writeText(streams.stderr, `sh: ${step.error}\n`);
      return (state.status = step.code);
    }
    if ((step.when === 'success' && state.status !== 0) || (step.when === 'failure' && state.status === 0)) continue;
    state.status = await runCommand(step.argv, streams, ctx, state);
    if (state.exited || streams.signal.aborted) break;
  }
  return state.status;
}

/** Builtins first, then the container's programs; an unknown name exits 127. */
async function runCommand(argv: string[], streams: ExecStreams, ctx: ToolContext, state: ShellState): Promise<number> {
  const [name, ...rest] = argv;
  const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;
  if (assignment.test(name) && rest.every((a) => assignment.test(a))) {
    for (const a of argv) state.vars.set(a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1));
    return 0;
  }
  switch (name) {
    case 'exit':
      state.exited = true;
      return rest.length ? Number(rest[0]) & 255 : state.status;
    case 'export':
      for (const a of rest) if (a.includes('=')) state.vars.set(a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1));
      return 0;
    case 'cd':
    case ':':
      return 0;
  }
  const tool = ctx.lookup(name);
  if (!tool) {
    await writeText(streams.stderr, `sh: ${name}: not found\n`);
    return 127;
  }
  return tool(argv, streams, ctx);
}

/** Reads command lines from stdin (a prompt and line editing when there is a TTY) until EOF or `exit`. */
async function readLines(streams: ExecStreams, ctx: ToolContext, state: ShellState): Promise<number> {
  const { stdin, stdout, tty } = streams;
  if (!stdin) return 0;
  const prompt = () => (tty ? writeText(stdout, '/ # ') : Promise.resolve());
  let line = '';
  await prompt();
  for await (const chunk of stdin) {
    for (const ch of Buffer.from(chunk as Uint8Array).toString('utf8')) {
      if (tty && (ch === '\x7f' || ch === '\b')) {
        if (line) await writeText(stdout, '\b \b');
        line = line.slice(0, -1);
      } else if (tty && ch === '\x03') {
        line = '';
        await writeText(stdout, '^C\n');
        await prompt();
      } else if (ch === '\x04' && tty && !line) {
        return state.status;
      } else if (ch === '\r' || ch === '\n') {
        if (tty) await writeText(stdout, '\n');
        if (line.trim()) await runLine(line, streams, ctx, state);
        line = '';
        if (state.exited || streams.signal.aborted) return state.status;
        await prompt();
      } else {
        line += ch;
        if (tty) await writeText(stdout, ch);
      }
    }
  }
  if (line.trim()) await runLine(line, streams, ctx, state);
  return state.status;
}
