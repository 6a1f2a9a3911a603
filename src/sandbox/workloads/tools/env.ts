// `env [NAME=VALUE...] [COMMAND ARGS...]`: prints the environment, or runs COMMAND (busybox wording).
import { writeText, type ExecTool } from './tool.js';

/** Prints the container environment one NAME=VALUE per line, in the order the kubelet built it. */
export const envTool: ExecTool = async (argv, streams, ctx) => {
  const env = { ...ctx.env };
  let i = 1;
  for (; i < argv.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[i]); i++) {
    const eq = argv[i].indexOf('=');
    env[argv[i].slice(0, eq)] = argv[i].slice(eq + 1);
  }
  if (i < argv.length) {
    // The command runs with the container's environment; per-invocation overrides are not modelled.
    const tool = ctx.lookup(argv[i]);
    if (!tool) {
      await writeText(streams.stderr, `env: can't execute '${argv[i]}': No such file or directory\n`);
      return 127;
    }
    return tool(argv.slice(i), streams, ctx);
  }
  await writeText(streams.stdout, Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(''));
  return 0;
};
