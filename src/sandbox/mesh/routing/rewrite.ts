// Request rewriting, redirects and header manipulation of a matched route (§1.9, §1.10).
import type { MeshRequest } from '../types.js';
import { compileFullMatch, matchedPrefixLength, pathOnly } from './match.js';

/** `headers.request|response` operations of a rule or destination (§1.10). */
export interface HeaderOperations {
  set?: Record<string, string>;
  add?: Record<string, string>;
  remove?: string[];
}

/** §1.10: `set` overwrites, `add` appends as a comma-separated list, `remove` deletes (names lower-cased). */
export function applyHeaderOperations(headers: Record<string, string>, ops: HeaderOperations | undefined): Record<string, string> {
  if (!ops) return headers;
  const out = { ...headers };
  for (const [k, v] of Object.entries(ops.set ?? {})) out[k.toLowerCase()] = String(v);
  for (const [k, v] of Object.entries(ops.add ?? {})) {
    const key = k.toLowerCase();
    out[key] = out[key] !== undefined && out[key] !== '' ? `${out[key]},${v}` : String(v);
  }
  for (const k of ops.remove ?? []) delete out[k.toLowerCase()];
  return out;
}

/** §1.10: request header operations; setting `host` becomes an authority rewrite. */
export function applyRequestHeaderOperations(req: MeshRequest, ops: HeaderOperations | undefined): MeshRequest {
  if (!ops) return req;
  const hostSet = Object.entries(ops.set ?? {}).find(([k]) => k.toLowerCase() === 'host');
  const headers = applyHeaderOperations(req.headers, { ...ops, set: Object.fromEntries(Object.entries(ops.set ?? {}).filter(([k]) => k.toLowerCase() !== 'host')) });
  return { ...req, headers, ...(hostSet ? { authority: String(hostSet[1]) } : {}) };
}

function substituteRe2(rewrite: string): string {
  return rewrite.replace(/\$/g, '$$$$').replace(/\\(\d)/g, '$$$1');
}

/** §1.9: `rewrite.uri` (Envoy prefix_rewrite), `uriRegexRewrite` (RE2 groups), `rewrite.authority`; records x-envoy-original-path. */
export function applyRewrite(req: MeshRequest, rewrite: any, match: any | null): MeshRequest {
  if (!rewrite) return req;
  const query = req.path.slice(pathOnly(req.path).length);
  let path = pathOnly(req.path);
  if (typeof rewrite.uri === 'string') {
    path = rewrite.uri + path.slice(matchedPrefixLength(match, req.path));
  } else if (rewrite.uriRegexRewrite?.match !== undefined) {
    const re = compileFullMatch(rewrite.uriRegexRewrite.match);
    if (re) path = path.replace(new RegExp(re.source.slice(4, -2), re.flags + 'g'), substituteRe2(String(rewrite.uriRegexRewrite.rewrite ?? '')));
  }
  const out: MeshRequest = { ...req, headers: { ...req.headers } };
  if (path + query !== req.path) {
    out.headers['x-envoy-original-path'] = req.path;
    out.path = path + query;
  }
  if (rewrite.authority) out.authority = rewrite.authority;
  return out;
}

/** §1.9: the redirect a route answers with (default 301), keeping the query string as Envoy does. */
export function redirectResponse(req: MeshRequest, redirect: any, match: any | null, scheme: string): { status: number; location: string } {
  const query = req.path.slice(pathOnly(req.path).length);
  let path = pathOnly(req.path);
  if (typeof redirect.uri === 'string') path = redirect.uri;
  else if (typeof redirect.prefixRewrite === 'string') path = redirect.prefixRewrite + path.slice(matchedPrefixLength(match, req.path));
  const targetScheme = redirect.scheme ?? scheme;
  let host = redirect.authority ?? req.authority;
  const bare = host.replace(/:\d+$/, '');
  if (redirect.port) host = `${bare}:${redirect.port}`;
  else if (redirect.derivePort === 'FROM_PROTOCOL_DEFAULT' || targetScheme !== scheme) host = bare;
  const finalPath = typeof redirect.uri === 'string' && redirect.uri.includes('?') ? path : path + query;
  return { status: Number(redirect.redirectCode ?? 301), location: `${targetScheme}://${host}${finalPath}` };
}
