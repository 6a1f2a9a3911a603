// Container image references: `[registry/]path[:tag][@digest]`, as containerd normalises them.

/** The parts of an image reference. */
export interface ImageRef {
  /** Registry host (`docker.io` when the reference names none). */
  registry: string;
  /** Repository path within the registry (`library/nginx`, `istio/proxyv2`). */
  path: string;
  tag?: string;
  digest?: string;
}

/** Splits an image reference; a first segment with `.` or `:` (or `localhost`) is a registry host. */
export function parseImageRef(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : 'docker.io';
  let path = hasRegistry ? rest.slice(slash + 1) : rest;
  if (registry === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  return { registry, path, tag, digest };
}

/** The fully qualified reference containerd reports in containerStatuses[].image (`docker.io/library/nginx:latest`). */
export function normalizeImage(image: string): string {
  const ref = parseImageRef(image);
  const base = `${ref.registry}/${ref.path}`;
  if (ref.digest) return ref.tag ? `${base}:${ref.tag}@${ref.digest}` : `${base}@${ref.digest}`;
  return `${base}:${ref.tag ?? 'latest'}`;
}

/** The key workload models are registered under: the repository path without registry, `library/`, tag or digest. */
export function imageRepository(image: string): string {
  const ref = parseImageRef(image);
  return ref.path.startsWith('library/') ? ref.path.slice('library/'.length) : ref.path;
}
