// Files a container sees from ConfigMap volumes (configMap.items and subPath mounts included), read
// through the container's API view at the moment of the call: how the addon models read their
// prometheus.yml, grafana.ini, dashboards and Jaeger/Kiali config. Secrets and other volume types
// are not resolved.
import type { ContainerContext } from './model.js';

/** One file of a mounted ConfigMap. */
export interface MountedFile {
  path: string;
  content: string;
}

/** The ConfigMap data a volume exposes, as relative path → content (items remap keys). */
function volumeFiles(ctx: ContainerContext, volumeName: string): Record<string, string> | undefined {
  const volume = (ctx.pod.spec?.volumes ?? []).find((v: any) => v.name === volumeName);
  const ref = volume?.configMap;
  if (!ref?.name || !ctx.cluster) return undefined;
  const cm = ctx.cluster.get('configmaps', ctx.pod.metadata.namespace ?? 'default', ref.name);
  if (!cm) return undefined;
  const data: Record<string, string> = cm.data ?? {};
  if (!ref.items?.length) return { ...data };
  const out: Record<string, string> = {};
  for (const item of ref.items) if (item.key in data) out[item.path ?? item.key] = data[item.key];
  return out;
}

/** Every file under `dir` (or exactly at a path) that the container's ConfigMap mounts provide. */
export function mountedFiles(ctx: ContainerContext, dir: string): MountedFile[] {
  const prefix = dir.replace(/\/+$/, '');
  const out: MountedFile[] = [];
  for (const mount of ctx.container.volumeMounts ?? []) {
    const files = volumeFiles(ctx, mount.name);
    if (!files) continue;
    const at = String(mount.mountPath).replace(/\/+$/, '');
    const entries: [string, string][] = mount.subPath ? (mount.subPath in files ? [[at, files[mount.subPath]]] : []) : Object.entries(files).map(([rel, content]) => [`${at}/${rel}`, content]);
    for (const [path, content] of entries) if (path === prefix || path.startsWith(`${prefix}/`)) out.push({ path, content });
  }
  return out;
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
