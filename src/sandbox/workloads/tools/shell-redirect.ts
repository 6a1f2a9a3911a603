// Redirections for the sandbox shell: `< file`, `> file`, `>> file`, `2>&1`, `>&2`, `2>&-`, with files
// read from and written to the container's file map (`/dev/null` discards).
import { Readable, Writable } from 'node:stream';
import type { ExecStreams } from '../../types.js';
import type { Redirect } from './shell-ast.js';
import { expandString, type ExpandEnv } from './shell-expand.js';
import { normalizePath } from './text-input.js';
import { writeText } from './tool.js';

/** Applies `redirects` in order to a copy of `io`; an unreadable input or bad descriptor fails with status 1. */
export async function applyRedirects(redirects: Redirect[], io: ExecStreams, files: Record<string, string>, env: ExpandEnv): Promise<{ io: ExecStreams } | { error: number }> {
  if (!redirects.length) return { io };
  const out: ExecStreams = { ...io };
  const fds = (fd: number): 'stdout' | 'stderr' | undefined => (fd === 1 ? 'stdout' : fd === 2 ? 'stderr' : undefined);
  for (const r of redirects) {
    const target = await expandString(r.target, env);
    if (r.op === '<') {
      const content = target === '/dev/null' ? '' : files[normalizePath(target)];
      if (content === undefined) {
        await writeText(io.stderr, `sh: can't open '${target}': no such file\n`);
        return { error: 1 };
      }
      if (r.fd === 0) out.stdin = Readable.from([Buffer.from(content)]);
    } else if (r.op === '>' || r.op === '>>') {
      const sink = fileSink(files, target, r.op === '>>');
      const fd = fds(r.fd);
      if (fd) out[fd] = sink;
    } else if (r.op === '>&') {
      const fd = fds(r.fd);
      const from = target === '-' ? discard() : target === '1' ? out.stdout : target === '2' ? out.stderr : undefined;
      if (!from) {
        await writeText(io.stderr, `sh: ${target}: bad file descriptor\n`);
        return { error: 1 };
      }
      if (fd) out[fd] = from;
    }
  }
  return { io: out };
}

/** A writable that (over)writes or appends to a file in `files`. */
function fileSink(files: Record<string, string>, target: string, append: boolean): NodeJS.WritableStream {
  if (target === '/dev/null') return discard();
  const path = normalizePath(target);
  if (!append || files[path] === undefined) files[path] = '';
  return new Writable({
    write(chunk, _enc, cb) {
      files[path] += Buffer.from(chunk).toString('utf8');
      cb();
    },
  });
}

/** A writable that drops everything (/dev/null, closed descriptors). */
function discard(): Writable {
  return new Writable({ write: (_c, _e, cb) => cb() });
}
