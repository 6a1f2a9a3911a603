// ConfigMap and Secret volumes as a container sees them (spec.volumes × the container's volumeMounts),
// read through the container's API view: `<mountPath>/<key>` per key (or `items[].path`), one file for a
// `subPath` mount. Directory mounts follow later edits of the object, as the kubelet's atomic writer
// refreshes them; subPath mounts keep what they held when the container started, as on a real node.
// Differences from a node: an edit is visible at the next read
// (a real kubelet takes up to about a minute: its sync period plus the ConfigMap cache TTL); the `..data`
// symlink layout is not reproduced; and a missing object does not hold the container in ContainerCreating
// — that one is announced with a FailedMount Warning event.
import type { KubeObject } from '../types.js';
import type { ContainerContext } from './model.js';

/** Files of one volume by relative path; undefined when its object is missing. */
function readVolume(ctx: ContainerContext, volume: any): Record<string, string> | undefined {
  const isConfigMap = !!volume.configMap;
  const source = volume.configMap ?? volume.secret;
  const name: string | undefined = isConfigMap ? source?.name : source?.secretName;
  if (!name) return undefined;
  const obj = ctx.cluster?.get(isConfigMap ? 'configmaps' : 'secrets', ctx.pod.metadata.namespace ?? 'default', name);
  if (!obj) return source.optional ? {} : undefined;
  const data = dataOf(obj, isConfigMap);
  const items: any[] | undefined = source.items;
  if (!items?.length) return data;
  const out: Record<string, string> = {};
  for (const item of items) if (item?.key in data && item.path) out[item.path] = data[item.key];
  return out;
}

function dataOf(obj: KubeObject, isConfigMap: boolean): Record<string, string> {
  const decode = (v: unknown) => Buffer.from(String(v), 'base64').toString('utf8');
  if (isConfigMap) return { ...(obj.data ?? {}), ...Object.fromEntries(Object.entries(obj.binaryData ?? {}).map(([k, v]) => [k, decode(v)])) };
  return { ...Object.fromEntries(Object.entries(obj.data ?? {}).map(([k, v]) => [k, decode(v)])), ...(obj.stringData ?? {}) };
}

/** A reader of the container's mounted ConfigMap/Secret files (absolute path → content), as of each call. */
export function createVolumeReader(ctx: ContainerContext): () => Record<string, string> {
  const volumes = new Map<string, any>((ctx.pod.spec?.volumes ?? []).filter((v: any) => v.configMap || v.secret).map((v: any) => [v.name, v]));
  const mounts: any[] = (ctx.container.volumeMounts ?? []).filter((m: any) => volumes.has(m.name));
  const warned = new Set<string>();
  const lastSeen = new Map<string, Record<string, string>>();
  const read = (mount: any) => {
    const volume = volumes.get(mount.name);
    const files = readVolume(ctx, volume);
    if (files) lastSeen.set(mount.name, files);
    if (!files && !warned.has(mount.name)) {
      warned.add(mount.name);
      const kind = volume.configMap ? 'configmap' : 'secret';
      ctx.cluster?.warn('FailedMount', `MountVolume.SetUp failed for volume "${mount.name}" : ${kind} "${volume.configMap?.name ?? volume.secret?.secretName}" not found (the sandbox started the container without it; a real kubelet would keep the pod in ContainerCreating)`);
    }
    // A deleted object leaves the files of a running container as they were, as the kubelet does.
    return files ?? lastSeen.get(mount.name) ?? {};
  };
  const fixed: Record<string, string> = {};
  for (const m of mounts.filter((m) => m.subPath)) {
    const content = read(m)[m.subPath];
    if (content !== undefined) fixed[m.mountPath] = content;
  }
  return () => {
    const out: Record<string, string> = {};
    for (const m of mounts.filter((m) => !m.subPath)) {
      for (const [rel, content] of Object.entries(read(m))) out[`${String(m.mountPath).replace(/\/+$/, '')}/${rel}`] = content;
    }
    return { ...out, ...fixed };
  };
}
