// `sh [-ex] -c "CMD" [ARG0 [ARG]...]` and an interactive/stdin `sh`: a POSIX sh subset (pipelines, && || ;,
// background &, for / while / until / if, { } ( ), redirections, $(…), $((…)), brace ranges) run through
// the container's program table. Messages follow busybox ash, the shell of the Alpine-based sample images.
import type { ExecStreams } from '../../types.js';
import { ShellSyntaxError } from './shell-ast.js';
import { ShellRunner } from './shell-exec.js';
import { newShellState, type ShellState } from './shell-state.js';
import { parseShell } from './shell-parser.js';
import { writeText, type ExecTool } from './tool.js';

/** The shell: `-c` runs one command line; a script operand runs a file; otherwise lines are read from stdin. */
export const shTool: ExecTool = async (argv, streams, ctx) => {
  const args = argv.slice(1);
  const state = newShellState(ctx.env, [argv[0]]);
  let command: string | undefined;
  while (args.length && /^[-+][a-z]+$/.test(args[0])) {
    const opt = args.shift()!;
    const on = opt[0] === '-';
    for (const letter of opt.slice(1)) {
      if (letter === 'c' && on) {
        if (!args.length) {
          await writeText(streams.stderr, 'sh: -c requires an argument\n');
          return 2;
        }
        command = args.shift()!;
      } else if (letter === 'e') state.options.errexit = on;
      else if (letter === 'x') state.options.xtrace = on;
    }
  }
  const runner = new ShellRunner(ctx, state);
  if (command !== undefined) {
    state.positional = [args[0] ?? argv[0], ...args.slice(1)];
    return finish(runner, await runText(command, streams, runner));
  }
  if (args.length) {
    const script = ctx.files[args[0].startsWith('/') ? args[0] : `/${args[0]}`];
    if (script === undefined) {
      await writeText(streams.stderr, `sh: can't open '${args[0]}': No such file or directory\n`);
      return 2;
    }
    state.positional = [...args];
    return finish(runner, await runText(script, streams, runner));
  }
  return finish(runner, await readLines(streams, runner));
};

/** Waits for background jobs still running when the shell reaches its end. */
async function finish(runner: ShellRunner, status: number): Promise<number> {
  await runner.waitJobs();
  return status;
}

/** Parses and runs `text`; a syntax error prints `sh: …` and returns 2. */
async function runText(text: string, streams: ExecStreams, runner: ShellRunner): Promise<number> {
  let list;
  try {
    list = parseShell(text);
  } catch (error) {
    if (!(error instanceof ShellSyntaxError)) throw error;
    await writeText(streams.stderr, `sh: ${error.message}\n`);
    return (runner.state.status = 2);
  }
  return runner.runList(list, streams);
}

/** True when `text` is an unfinished command (open quote, `for` without `done`, trailing `&&` …). */
function incomplete(text: string): boolean {
  try {
    parseShell(text);
    return false;
  } catch (error) {
    return error instanceof ShellSyntaxError && error.incomplete;
  }
}

/** Reads command lines from stdin (prompts and line editing when there is a TTY) until EOF or `exit`. */
async function readLines(streams: ExecStreams, runner: ShellRunner): Promise<number> {
  const { stdin, stdout, tty } = streams;
  const state: ShellState = runner.state;
  if (!stdin) return 0;
  let pending = '';
  const prompt = () => (tty ? writeText(stdout, pending ? '> ' : '/ # ') : Promise.resolve());
  let line = '';
  await prompt();
  for await (const chunk of stdin) {
    for (const ch of Buffer.from(chunk as Uint8Array).toString('utf8')) {
      if (tty && (ch === '\x7f' || ch === '\b')) {
        if (line) await writeText(stdout, '\b \b');
        line = line.slice(0, -1);
      } else if (tty && ch === '\x03') {
        line = '';
        pending = '';
        await writeText(stdout, '^C\n');
        await prompt();
      } else if (ch === '\x04' && tty && !line) {
        return state.status;
      } else if (ch === '\r' || ch === '\n') {
        if (tty) await writeText(stdout, '\n');
        const text = pending + line;
        line = '';
        if (text.trim() && incomplete(text)) pending = `${text}\n`;
        else {
          pending = '';
          if (text.trim()) await runText(text, streams, runner);
        }
        if (state.exited || streams.signal.aborted) return state.status;
        await prompt();
      } else {
        line += ch;
        if (tty) await writeText(stdout, ch);
      }
    }
  }
  if ((pending + line).trim()) await runText(pending + line, streams, runner);
  return state.status;
}
