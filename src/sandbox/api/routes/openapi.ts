// The OpenAPI documents kubectl fetches. The v3 documents list, per group-version, the paths and
// their PATCH operations with the `fieldValidation` parameter, so kubectl validates server-side
// (as against a real 1.30 server). Component schemas are deliberately absent: kubectl then builds
// strategic merge patches from its compiled-in types, which match the real API exactly.
import { createHash } from 'node:crypto';
import type { ResourceType } from '../resource-types.js';
import type { TypeRegistry } from '../type-registry.js';

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/** GET /openapi/v3: the index of group-version documents. */
export function describeOpenApiV3Index(types: TypeRegistry): unknown {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  const seen = new Set<string>();
  for (const t of types.all()) {
    const p = gvPath(t.group, t.version);
    if (seen.has(p)) continue;
    seen.add(p);
    const hash = createHash('sha512').update(JSON.stringify(describeOpenApiV3(types, t.group, t.version))).digest('hex').slice(0, 32).toUpperCase();
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hash}` };
  }
  return { paths };
}

/** GET /openapi/v3/<api|apis/group>/<version>, or undefined. */
export function describeOpenApiV3(types: TypeRegistry, group: string, version: string): unknown {
  const list = types.all().filter((t) => t.group === group && t.version === version);
  if (!list.length) return undefined;
  const paths: Record<string, unknown> = {};
  for (const t of list) paths[itemPath(t)] = itemOperations(t);
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.30.0' }, paths, components: { schemas: {} } };
}

function itemPath(t: ResourceType): string {
  const base = t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
  return t.namespaced ? `${base}/namespaces/{namespace}/${t.plural}/{name}` : `${base}/${t.plural}/{name}`;
}

function itemOperations(t: ResourceType): unknown {
  const gvk = { group: t.group, version: t.version, kind: t.kind };
  const params = [
    { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
    { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
    { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
  ];
  const patchTypes = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json'];
  return {
    get: { operationId: `read${t.kind}`, 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk, responses: {} },
    put: { operationId: `replace${t.kind}`, 'x-kubernetes-action': 'put', 'x-kubernetes-group-version-kind': gvk, parameters: params, responses: {} },
    patch: {
      operationId: `patch${t.kind}`,
      'x-kubernetes-action': 'patch',
      'x-kubernetes-group-version-kind': gvk,
      parameters: [...params, { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } }],
      requestBody: { content: Object.fromEntries(patchTypes.map((p) => [p, { schema: { type: 'object' } }])) },
      responses: {},
    },
    delete: { operationId: `delete${t.kind}`, 'x-kubernetes-action': 'delete', 'x-kubernetes-group-version-kind': gvk, responses: {} },
  };
}
