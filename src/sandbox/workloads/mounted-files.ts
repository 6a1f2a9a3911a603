// Lookups over the files a container sees from its ConfigMap and Secret volumes (volume-files.ts
// resolves the mounts, one reader per container): how the addon, python and ratelimit models read
// their config files; plus the command-line flag lookup those models share.
import type { ContainerContext } from './model.js';
import { createVolumeReader } from './volume-files.js';

/** One file of a mounted ConfigMap. */
export interface MountedFile {
  path: string;
  content: string;
}

const readers = new WeakMap<ContainerContext, () => Record<string, string>>();

/** Every file under `dir` (or exactly at a path) that the container's ConfigMap/Secret mounts provide. */
export function mountedFiles(ctx: ContainerContext, dir: string): MountedFile[] {
  let read = readers.get(ctx);
  if (!read) readers.set(ctx, (read = createVolumeReader(ctx)));
  const prefix = dir.replace(/\/+$/, '');
  return Object.entries(read())
    .filter(([path]) => path === prefix || path.startsWith(`${prefix}/`))
    .map(([path, content]) => ({ path, content }));
}

/** The content of one mounted file, or undefined. */
export function readMountedFile(ctx: ContainerContext, path: string): string | undefined {
  return mountedFiles(ctx, path).find((f) => f.path === path)?.content;
}

/** The value of `--flag=value` or `--flag value` (also `-flag`) in the container's command line. */
export function flagValue(ctx: ContainerContext, flag: string): string | undefined {
  const argv = [...(ctx.container.command ?? []), ...(ctx.container.args ?? [])].map(String);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i].replace(/^--?/, '');
    if (a === flag) return argv[i + 1];
    if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
  }
  return undefined;
}
