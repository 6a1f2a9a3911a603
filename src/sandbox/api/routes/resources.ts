// CRUD, list, watch and the status/scale subresources for every served resource type.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../../types.js';
import type { Registry, PatchType, WriteOptions, DeleteOptions } from '../registry.js';
import type { ResourceType } from '../resource-types.js';
import { ApiError, badRequest, expired, methodNotAllowed } from '../status.js';
import { parseFieldSelector, parseLabelSelector } from '../selectors.js';
import { parseBody, readBody, sendJson } from './http-io.js';
import type { ResourcePath } from './paths.js';
import { toTable } from './tables.js';
import { serveWatch } from './watch.js';
import type { WatchLimiter } from '../watch-limits.js';

const patchTypes: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

/** Context of one API request. */
export interface ResourceCall {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  path: ResourcePath;
  registry: Registry;
  stopSignal: AbortSignal;
  /** Admits watches within the server's bounds (429 past them). */
  watches?: WatchLimiter;
}

/** Look up the type a resource path addresses (by plural, singular or short name as kubectl never sends but curl users do). */
export function resolveType(registry: Registry, p: ResourcePath): ResourceType {
  const rt = registry.types.byResource(p.group, p.version, p.resource);
  if (rt) return rt;
  const gv = p.group ? `${p.group}/${p.version}` : p.version;
  if (!registry.types.all().some((t) => t.group === p.group && t.version === p.version)) {
    throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${gv} is not served)`);
  }
  throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}

/** Handle a request on a resource path (everything but streaming pod subresources). */
export async function handleResource(call: ResourceCall): Promise<void> {
  const { req, res, url, path, registry } = call;
  const rt = resolveType(registry, path);
  const method = req.method ?? 'GET';
  const q = url.searchParams;
  const warnings: string[] = [];
  const write: WriteOptions = {
    fieldManager: q.get('fieldManager') ?? undefined,
    userAgent: req.headers['user-agent'],
    dryRun: q.getAll('dryRun').includes('All'),
    subresource: path.subresource,
    fieldValidation: (q.get('fieldValidation') as WriteOptions['fieldValidation']) ?? undefined,
    force: q.get('force') === 'true',
    warnings,
  };
  if (path.subresource && !['status', 'scale'].includes(path.subresource)) {
    if (!rt.subresources.includes(path.subresource)) throw new ApiError(404, 'NotFound', `the server could not find the requested resource`);
    throw methodNotAllowed(method, `${rt.plural}/${path.subresource}`);
  }
  if (path.subresource && !rt.subresources.includes(path.subresource)) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  if (rt.namespaced && path.namespace === undefined && path.name) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  // A cluster-scoped kind is not served under /namespaces/<ns>/.
  if (!rt.namespaced && path.namespace !== undefined) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
  const ns = rt.namespaced ? path.namespace : undefined;

  if (!path.name) {
    if (method === 'GET') return listOrWatch(call, rt, ns);
    if (method === 'POST') {
      if (!rt.verbs.includes('create')) throw methodNotAllowed('create', rt.plural);
      const body = parseBody(await readBody(req), req.headers['content-type']) as KubeObject;
      if (rt.namespaced && !ns) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      const created = registry.create(rt, ns, body, write);
      return sendJson(res, 201, created, warnings);
    }
    if (method === 'DELETE') {
      if (!rt.verbs.includes('deletecollection')) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
      const selected = filterList(registry.list(rt, ns), q, registry.types.keyOf(rt), rt.custom);
      const opts = await deleteOptions(req, q);
      const items = selected.map((o) => registry.delete(rt, o.metadata.namespace, o.metadata.name!, opts).object);
      return sendJson(res, 200, { kind: rt.listKind, apiVersion: apiVersion(rt), metadata: { resourceVersion: String(registry.store.resourceVersion) }, items });
    }
    throw methodNotAllowed(method, rt.plural);
  }

  const name = path.name;
  if (method === 'GET') {
    if (q.get('watch') === 'true' || q.get('watch') === '1' || path.watchPrefix) {
      return listOrWatch(call, rt, ns, name);
    }
    const obj = registry.get(rt, ns, name);
    const out = path.subresource === 'scale' ? registry.toScale(rt, obj) : obj;
    return sendJson(res, 200, wantsTable(req) && !path.subresource ? toTable(rt, [out], { resourceVersion: out.metadata.resourceVersion, includeObject: q.get('includeObject') ?? undefined, crdColumns: crdColumns(registry, rt) }) : out);
  }
  if (method === 'PUT') {
    const body = parseBody(await readBody(req), req.headers['content-type']) as KubeObject;
    if (path.subresource === 'scale') {
      const current = registry.get(rt, ns, name);
      return sendJson(res, 200, registry.updateScale(rt, registry.types.keyOf(rt), current, body, write), warnings);
    }
    return sendJson(res, 200, registry.update(rt, ns, name, body, write), warnings);
  }
  if (method === 'PATCH') {
    const ct = (req.headers['content-type'] ?? '').split(';')[0].trim();
    const type = patchTypes[ct];
    if (!type) {
      throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${Object.keys(patchTypes).join(', ')}`);
    }
    const body = parseBody(await readBody(req), type === 'apply' ? 'application/yaml' : 'application/json');
    if (body === undefined || body === null) throw badRequest('the request body is empty; a patch is required');
    const before = registry.find(rt, ns, name);
    const out = registry.patch(rt, ns, name, type, body, write);
    return sendJson(res, type === 'apply' && !before ? 201 : 200, out, warnings);
  }
  if (method === 'DELETE') {
    const opts = await deleteOptions(req, q);
    const { object, removed } = registry.delete(rt, ns, name, opts);
    if (!removed) return sendJson(res, 200, object);
    return sendJson(res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, group: rt.group || undefined, kind: rt.plural, uid: object.metadata.uid } });
  }
  throw methodNotAllowed(method, rt.plural);
}

function apiVersion(rt: ResourceType): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

function wantsTable(req: IncomingMessage): boolean {
  const accept = String(req.headers.accept ?? '').split(',')[0];
  return accept.includes('as=Table');
}

function crdColumns(registry: Registry, rt: ResourceType): any[] | undefined {
  if (!rt.custom) return undefined;
  const crd = registry.store.list('apiextensions.k8s.io/customresourcedefinitions').find((c) => c.spec?.group === rt.group && c.spec?.names?.plural === rt.plural);
  return registry.types.printerColumnsOf(crd, rt.version);
}

function filterList(items: KubeObject[], q: URLSearchParams, key: string, custom: boolean): KubeObject[] {
  const byLabel = parseLabelSelector(q.get('labelSelector'));
  const byField = parseFieldSelector(q.get('fieldSelector'), key, custom);
  return items.filter((o) => byLabel(o) && byField(o));
}

interface ContinueToken {
  rv: number;
  start: string;
}

function listOrWatch(call: ResourceCall, rt: ResourceType, ns: string | undefined, name?: string): void {
  const { req, res, url, registry } = call;
  const q = url.searchParams;
  const key = registry.types.keyOf(rt);
  const byLabel = parseLabelSelector(q.get('labelSelector'));
  const byField = parseFieldSelector(name ? `metadata.name=${name}` : q.get('fieldSelector'), key, rt.custom);
  const table = wantsTable(req);
  const columns = crdColumns(registry, rt);
  if (q.get('watch') === 'true' || q.get('watch') === '1' || call.path.watchPrefix) {
    const timeout = Number(q.get('timeoutSeconds') ?? 0) || undefined;
    call.watches?.admit(req, res);
    serveWatch(req, res, registry, {
      rt,
      namespace: ns,
      matches: (o) => byLabel(o) && byField(o),
      resourceVersion: q.get('resourceVersion') ?? undefined,
      timeoutSeconds: timeout,
      allowBookmarks: q.get('allowWatchBookmarks') === 'true',
      encode: (o) => (table ? toTable(rt, [o], { includeObject: q.get('includeObject') ?? undefined, crdColumns: columns }) : o),
    }, call.stopSignal);
    return;
  }
  let items = filterList(registry.list(rt, ns), q, key, rt.custom);
  const rv = String(registry.store.resourceVersion);
  let continueToken: string | undefined;
  let remaining: number | undefined;
  const token = q.get('continue');
  if (token) {
    const parsed = decodeContinue(token);
    if (registry.store.eventsSince(parsed.rv) === 'expired') {
      throw expired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
    }
    items = items.filter((o) => itemKey(o) > parsed.start);
  }
  const limit = Number(q.get('limit') ?? 0);
  if (limit > 0 && items.length > limit) {
    // The real server counts the remaining items only for unfiltered lists.
    if (!q.get('labelSelector') && !q.get('fieldSelector')) remaining = items.length - limit;
    items = items.slice(0, limit);
    continueToken = Buffer.from(JSON.stringify({ rv: Number(rv), start: itemKey(items[items.length - 1]) } satisfies ContinueToken)).toString('base64url');
  }
  if (table) {
    return sendJson(res, 200, toTable(rt, items, { resourceVersion: rv, includeObject: q.get('includeObject') ?? undefined, crdColumns: columns, continueToken }));
  }
  const metadata: Record<string, unknown> = { resourceVersion: rv };
  if (continueToken) {
    metadata.continue = continueToken;
    metadata.remainingItemCount = remaining;
  }
  sendJson(res, 200, { kind: rt.listKind, apiVersion: apiVersion(rt), metadata, items });
}

function itemKey(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueToken;
    if (typeof parsed.rv !== 'number' || typeof parsed.start !== 'string') throw new Error('shape');
    return parsed;
  } catch {
    throw badRequest('continue key is not valid: malformed token');
  }
}

async function deleteOptions(req: IncomingMessage, q: URLSearchParams): Promise<DeleteOptions> {
  const body = (parseBody(await readBody(req), 'application/json') ?? {}) as Record<string, any>;
  const grace = q.get('gracePeriodSeconds') ?? body.gracePeriodSeconds;
  return {
    propagationPolicy: (q.get('propagationPolicy') ?? body.propagationPolicy ?? (body.orphanDependents ? 'Orphan' : undefined)) as DeleteOptions['propagationPolicy'],
    gracePeriodSeconds: grace === undefined || grace === null ? undefined : Number(grace),
    preconditions: body.preconditions,
    dryRun: q.getAll('dryRun').includes('All') || (body.dryRun ?? []).includes('All'),
  };
}
