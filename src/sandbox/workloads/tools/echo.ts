// `echo [-n] ARGS...`: arguments joined by spaces, with a trailing newline unless -n.
import { writeText, type ExecTool } from './tool.js';

/** Prints its arguments. */
export const echoTool: ExecTool = async (argv, streams) => {
  let args = argv.slice(1);
  let newline = true;
  while (args[0] === '-n') {
    newline = false;
    args = args.slice(1);
  }
  await writeText(streams.stdout, args.join(' ') + (newline ? '\n' : ''));
  return 0;
};
