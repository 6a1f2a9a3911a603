// Running a container's own command line (`sleep infinity`, `sh -c "while true; do curl …; done"`,
// `fortio load …`) as its main process: argv goes through the program table, stdout and stderr become
// log lines, and the exit code ends the container.
import { Writable } from 'node:stream';
import { kubeletManagedFiles } from '../runtime/container-files.js';
import type { ContainerContext } from './model.js';
import { sharedTools } from './tools/index.js';
import { programName, type ExecTool, type ToolContext } from './tools/tool.js';

/** A writable that turns what is written into `log(line)` calls (a partial last line is logged at end). */
export function lineLogger(log: (line: string) => void): Writable {
  let pending = '';
  return new Writable({
    write(chunk, _enc, cb) {
      pending += Buffer.from(chunk).toString('utf8');
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        log(pending.slice(0, nl).replace(/\r$/, ''));
        pending = pending.slice(nl + 1);
      }
      cb();
    },
    final(cb) {
      if (pending) log(pending);
      pending = '';
      cb();
    },
  });
}

/** The context a container's main process runs with (the kubelet's files, the container's programs). */
export function containerToolContext(ctx: ContainerContext, commands: Record<string, ExecTool> = {}): ToolContext {
  const lookup = (arg0: string) => {
    const name = programName(arg0);
    return commands[name] ?? sharedTools[name];
  };
  const files = kubeletManagedFiles(ctx.pod, String(ctx.pod.status?.podIP ?? ''));
  return { pod: ctx.pod, container: ctx.container.name, env: ctx.env, files, lookup, network: ctx.network };
}

/**
 * Runs `argv` as the container's process; resolves its exit code (126/127 like runc when the program is
 * missing). The process is interrupted when the container stops.
 */
export async function runContainerCommand(ctx: ContainerContext, argv: string[], commands: Record<string, ExecTool> = {}): Promise<number> {
  const toolCtx = containerToolContext(ctx, commands);
  const tool = toolCtx.lookup(argv[0] ?? '');
  if (!tool) {
    ctx.log(`exec ${argv[0]}: no such file or directory`);
    return 127;
  }
  const out = lineLogger(ctx.log);
  try {
    return await tool(argv, { stdout: out, stderr: out, tty: false, signal: ctx.signal }, toolCtx);
  } finally {
    out.end();
  }
}
