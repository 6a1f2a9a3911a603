// `cat [FILE|-]...`: prints files the container can see (kubelet-managed files and model files), or stdin.
import { writeText, type ExecTool } from './tool.js';
import { normalizePath } from './text-input.js';

/** Concatenates files to stdout; missing files are reported and make the exit code 1. */
export const catTool: ExecTool = async (argv, streams, ctx) => {
  const paths = argv.slice(1).filter((a) => a !== '--');
  let code = 0;
  for (const path of paths.length ? paths : ['-']) {
    if (path === '-') {
      await copyStdin(streams.stdin, streams.stdout);
      continue;
    }
    const content = ctx.files[normalizePath(path)];
    if (content === undefined) {
      await writeText(streams.stderr, `cat: ${path}: No such file or directory\n`);
      code = 1;
      continue;
    }
    await writeText(streams.stdout, content);
  }
  return code;
};

/** Pipes stdin to stdout until stdin ends (nothing to do without stdin). */
async function copyStdin(stdin: NodeJS.ReadableStream | undefined, stdout: NodeJS.WritableStream): Promise<void> {
  if (!stdin) return;
  for await (const chunk of stdin) await writeText(stdout, chunk as string | Uint8Array);
}
