// Running parsed shell code: lists, && / ||, pipelines (stages run concurrently, joined by in-memory
// pipes; when a stage ends, the one before it is signalled like SIGPIPE), background jobs, loops,
// redirections, and commands looked up in the container's program table.
import { PassThrough, Writable } from 'node:stream';
import type { ExecStreams } from '../../types.js';
import { ArithError } from './shell-arith.js';
import type { AndOr, Command, Pipeline, Redirect, ShellList, SimpleCommand } from './shell-ast.js';
import { BUILTINS } from './shell-builtins.js';
import { ExpandError, expandFields, expandString, type ExpandEnv } from './shell-expand.js';
import { applyRedirects } from './shell-redirect.js';
import { cloneState, type ShellState } from './shell-state.js';
import { writeText, type ToolContext } from './tool.js';

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Executes shell code for one shell state. */
export class ShellRunner {
  /** Whether the last and-or list's final, non-negated pipeline ran (set -e only looks at those). */
  private finalRan = false;

  constructor(
    readonly ctx: ToolContext,
    readonly state: ShellState,
  ) {}

  /** True when the current list should stop (exit, break/continue, session ended). */
  stopped(io: ExecStreams): boolean {
    return this.state.exited || this.state.breaks > 0 || this.state.continues > 0 || io.signal.aborted;
  }

  async runList(list: ShellList, io: ExecStreams): Promise<number> {
    const s = this.state;
    for (const item of list) {
      if (this.stopped(io)) break;
      if (item.background) {
        this.startJob(item, io);
        s.status = 0;
        continue;
      }
      s.status = await this.runAndOr(item, io);
      if (s.options.errexit && s.status !== 0 && s.conditionDepth === 0 && this.finalRan) s.exited = true;
    }
    return s.status;
  }

  private startJob(item: AndOr, io: ExecStreams): void {
    const controller = new AbortController();
    const runner = new ShellRunner(this.ctx, cloneState(this.state));
    const jobIo: ExecStreams = { ...io, stdin: undefined, signal: AbortSignal.any([io.signal, controller.signal]) };
    const done = runner.runAndOr({ ...item, background: false }, jobIo).then(async (code) => {
      await runner.waitJobs();
      return code;
    });
    this.state.jobs.push({ id: this.state.jobs.length + 1, done, controller });
  }

  /** Waits for every background job; returns the last one's status. */
  async waitJobs(): Promise<number> {
    let status = 0;
    for (const job of this.state.jobs) status = await job.done;
    return status;
  }

  async runAndOr(item: AndOr, io: ExecStreams): Promise<number> {
    let status = 0;
    this.finalRan = false;
    for (let i = 0; i < item.pipelines.length; i++) {
      if (i > 0 && (item.ops[i - 1] === '&&') !== (status === 0)) continue;
      if (this.stopped(io)) break;
      const last = i === item.pipelines.length - 1;
      if (!last) this.state.conditionDepth++;
      try {
        status = await this.runPipeline(item.pipelines[i], io);
      } finally {
        if (!last) this.state.conditionDepth--;
      }
      this.state.status = status;
      this.finalRan = last && !item.pipelines[i].negate;
    }
    return status;
  }

  async runPipeline(p: Pipeline, io: ExecStreams): Promise<number> {
    let status: number;
    if (p.commands.length === 1) status = await this.runCommand(p.commands[0], io);
    else {
      const n = p.commands.length;
      const pipes = Array.from({ length: n - 1 }, () => new PassThrough().on('error', () => undefined));
      const stops = p.commands.map(() => new AbortController());
      const statuses = await Promise.all(
        p.commands.map(async (cmd, k) => {
          const stage: ExecStreams = { ...io, stdin: k ? pipes[k - 1] : io.stdin, stdout: k < n - 1 ? pipes[k] : io.stdout, signal: AbortSignal.any([io.signal, stops[k].signal]) };
          try {
            return await new ShellRunner(this.ctx, cloneState(this.state)).runCommand(cmd, stage);
          } finally {
            if (k < n - 1) pipes[k].end();
            // Like SIGPIPE: everything upstream of a finished stage stops, and what it still writes is dropped.
            for (let j = 0; j < k; j++) {
              stops[j].abort();
              pipes[j].end();
              pipes[j].resume();
            }
          }
        }),
      );
      status = statuses[n - 1];
    }
    return p.negate ? Number(status === 0) : status;
  }

  async runCommand(cmd: Command, io: ExecStreams): Promise<number> {
    try {
      if (cmd.kind === 'simple') return await this.runSimple(cmd, io);
      const redirected = await this.redirect(cmd.redirects, io);
      if ('error' in redirected) return redirected.error;
      return await this.runCompound(cmd, redirected.io);
    } catch (error) {
      if (!(error instanceof ExpandError || error instanceof ArithError)) throw error;
      await writeText(io.stderr, `sh: ${error.message}\n`);
      this.state.exited = true;
      return 2;
    }
  }

  private async runCompound(cmd: Exclude<Command, SimpleCommand>, io: ExecStreams): Promise<number> {
    const s = this.state;
    switch (cmd.kind) {
      case 'group':
        return cmd.subshell ? new ShellRunner(this.ctx, cloneState(s)).runList(cmd.body, io) : this.runList(cmd.body, io);
      case 'if':
        for (const branch of cmd.branches) {
          s.conditionDepth++;
          const c = await this.runList(branch.cond, io);
          s.conditionDepth--;
          if (this.stopped(io)) return c;
          if (c === 0) return this.runList(branch.body, io);
        }
        return cmd.otherwise ? this.runList(cmd.otherwise, io) : 0;
      case 'for': {
        const items = cmd.items ? await expandFields(cmd.items, this.expandEnv(io)) : s.positional.slice(1);
        let status = 0;
        for (const value of items) {
          s.vars.set(cmd.name, value);
          status = await this.runList(cmd.body, io);
          if (this.loopControl(io)) break;
          await yieldToLoop();
        }
        return status;
      }
      case 'while': {
        let status = 0;
        for (;;) {
          s.conditionDepth++;
          const c = await this.runList(cmd.cond, io);
          s.conditionDepth--;
          if (this.loopControl(io) || (c === 0) === cmd.until) break;
          status = await this.runList(cmd.body, io);
          if (this.loopControl(io)) break;
          await yieldToLoop();
        }
        return status;
      }
    }
  }

  /** After a loop body: consumes one level of break/continue; true when the loop must end. */
  private loopControl(io: ExecStreams): boolean {
    const s = this.state;
    if (s.breaks > 0) {
      s.breaks--;
      return true;
    }
    if (s.continues > 0) {
      s.continues--;
      return s.continues > 0;
    }
    return s.exited || io.signal.aborted;
  }

  private async runSimple(cmd: SimpleCommand, io: ExecStreams): Promise<number> {
    const s = this.state;
    const env = this.expandEnv(io);
    const substStatus = { last: undefined as number | undefined };
    const trackingEnv: ExpandEnv = { ...env, substitute: async (list) => this.capture(list, io, substStatus) };
    const assigns: [string, string][] = [];
    for (const a of cmd.assigns) assigns.push([a.name, await expandString(a.value, trackingEnv)]);
    const argv = await expandFields(cmd.words, trackingEnv);
    const redirected = await this.redirect(cmd.redirects, io);
    if ('error' in redirected) return redirected.error;
    if (!argv.length) {
      for (const [k, v] of assigns) s.vars.set(k, v);
      return substStatus.last ?? 0;
    }
    if (s.options.xtrace) await writeText(io.stderr, `+ ${[...assigns.map(([k, v]) => `${k}=${v}`), ...argv].join(' ')}\n`);
    const builtin = BUILTINS[argv[0]];
    if (builtin) return builtin(argv, redirected.io, this);
    const tool = this.ctx.lookup(argv[0]);
    if (!tool) {
      await writeText(redirected.io.stderr, `sh: ${argv[0]}: not found\n`);
      return 127;
    }
    return tool(argv, redirected.io, this.toolContext(assigns));
  }

  /** The context a program runs with: the shell's exported variables (plus `NAME=value` prefixes) as its environment. */
  toolContext(assigns: [string, string][] = []): ToolContext {
    const env: Record<string, string> = {};
    for (const [k, v] of this.state.vars) if (this.state.exported.has(k)) env[k] = v;
    for (const [k, v] of assigns) env[k] = v;
    return { ...this.ctx, env };
  }

  /** Runs a command substitution in a subshell and returns what it wrote to stdout. */
  async capture(list: ShellList, io: ExecStreams, status?: { last?: number }): Promise<string> {
    const chunks: Buffer[] = [];
    const stdout = new Writable({
      write(chunk, _enc, cb) {
        chunks.push(Buffer.from(chunk));
        cb();
      },
    });
    const sub = new ShellRunner(this.ctx, cloneState(this.state));
    const code = await sub.runList(list, { ...io, stdout });
    await sub.waitJobs();
    this.state.status = code;
    if (status) status.last = code;
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Variables and substitution for word expansion. */
  expandEnv(io: ExecStreams): ExpandEnv {
    const s = this.state;
    return {
      get: (name) => {
        if (name === '?') return String(s.status);
        if (name === '#') return String(s.positional.length - 1);
        if (name === '$') return '1';
        if (name === '!') return s.jobs.length ? String(100 + s.jobs.length) : '';
        if (name === '-') return `${s.options.errexit ? 'e' : ''}${s.options.xtrace ? 'x' : ''}`;
        if (/^\d+$/.test(name)) return s.positional[Number(name)];
        return s.vars.get(name);
      },
      set: (name, value) => void s.vars.set(name, value),
      positional: () => s.positional.slice(1),
      substitute: (list) => this.capture(list, io),
    };
  }

  /** Applies redirections to a copy of `io`. */
  private redirect(redirects: Redirect[], io: ExecStreams): Promise<{ io: ExecStreams } | { error: number }> {
    return applyRedirects(redirects, io, this.ctx.files, this.expandEnv(io));
  }
}
