// HTTPMatchRequest semantics exactly as Istio translates them to Envoy route matches (§1.4, §1.5).
import type { MeshRequest } from '../types.js';

/** A StringMatch: one of exact, prefix, regex (an empty object means "present" for headers and query params). */
export type StringMatch = { exact?: string; prefix?: string; regex?: string };

/** What a request is matched against besides its own fields. */
export interface MatchContext {
  /** `:scheme` as Envoy sees it. */
  scheme: string;
}

/** §1.4: RE2 full match, emulated by an anchored JS RegExp; a leading `(?i)` becomes the `i` flag. Invalid → undefined. */
export function compileFullMatch(re: string): RegExp | undefined {
  let src = re;
  let flags = 'u';
  if (src.startsWith('(?i)')) {
    src = src.slice(4);
    flags += 'i';
  }
  try {
    return new RegExp(`^(?:${src})$`, flags);
  } catch {
    try {
      return new RegExp(`^(?:${src})$`, flags.replace('u', ''));
    } catch {
      return undefined;
    }
  }
}

/** Path without its query string (§1.4: uri matches ignore the query). */
export function pathOnly(path: string): string {
  const i = path.indexOf('?');
  return i < 0 ? path : path.slice(0, i);
}

/** Query parameters, first occurrence wins; `?key` has value "" (§1.4). */
export function parseQuery(path: string): Map<string, string> {
  const out = new Map<string, string>();
  const i = path.indexOf('?');
  if (i < 0) return out;
  for (const part of path.slice(i + 1).split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    if (!out.has(k)) out.set(k, eq < 0 ? '' : part.slice(eq + 1));
  }
  return out;
}

/** §1.4 `canBeConvertedToPresentMatch`: `{}` or `regex: "*"` is a presence check. */
export function isPresenceMatch(m: StringMatch | null | undefined): boolean {
  return !m || (m.exact === undefined && m.prefix === undefined && m.regex === undefined) || m.regex === '*';
}

/** Match a string value (absent → false) against a StringMatch. */
export function matchString(m: StringMatch, value: string | undefined, caseSensitive = true): boolean {
  if (value === undefined) return false;
  if (isPresenceMatch(m)) return true;
  const v = caseSensitive ? value : value.toLowerCase();
  if (m.exact !== undefined) return v === (caseSensitive ? m.exact : m.exact.toLowerCase());
  if (m.prefix !== undefined) return v.startsWith(caseSensitive ? m.prefix : m.prefix.toLowerCase());
  return compileFullMatch(m.regex!)?.test(value) ?? false;
}

/** Header names Istio ignores inside `headers` (§1.4): they are matched through their own fields. */
const ignoredHeaderKeys = new Set(['uri', 'scheme', 'method', 'authority']);

function matchHeaders(spec: Record<string, StringMatch> | undefined, headers: Record<string, string>, invert: boolean): boolean {
  for (const [rawName, m] of Object.entries(spec ?? {})) {
    const name = rawName.toLowerCase();
    if (ignoredHeaderKeys.has(name)) continue;
    // §1.4: `@request.auth.claims.*` needs RequestAuthentication (JWT), which the sandbox does not model: never matches.
    if (name.startsWith('@request.auth.claims')) return false;
    const value = headers[name];
    if (!invert) {
      if (!matchString(m ?? {}, value)) return false;
      continue;
    }
    // withoutHeaders: invert_match with treat_missing_header_as_empty, except presence which is "absent".
    const hit = isPresenceMatch(m) ? value !== undefined : matchString(m, value ?? '');
    if (hit) return false;
  }
  return true;
}

function matchQuery(spec: Record<string, StringMatch> | undefined, path: string): boolean {
  if (!spec || !Object.keys(spec).length) return true;
  const q = parseQuery(path);
  return Object.entries(spec).every(([k, m]) => matchString(m ?? {}, q.get(k)));
}

/** Which part of the path a uri match consumed, for `rewrite.uri` (§1.9): prefix length, or the whole path. */
export function matchedPrefixLength(match: any, path: string): number {
  const p = pathOnly(path);
  if (match?.uri?.prefix !== undefined) return match.uri.prefix.length;
  if (match?.uri?.exact !== undefined || match?.uri?.regex !== undefined) return p.length;
  return 1;
}

/** §1.4: every condition of one match block (ANDed); `port`, `sourceLabels`, `gateways` are handled at build time. */
export function matchesRequest(match: any, req: MeshRequest, ctx: MatchContext): boolean {
  if (!match) return true;
  const path = req.path || '/';
  if (match.uri && !matchString(match.uri, pathOnly(path), match.uri.regex !== undefined || !match.ignoreUriCase)) return false;
  if (match.method && !matchString(match.method, req.method)) return false;
  if (match.authority && !matchString(match.authority, req.authority)) return false;
  if (match.scheme && !matchString(match.scheme, ctx.scheme)) return false;
  if (!matchHeaders(match.headers, req.headers, false)) return false;
  if (!matchHeaders(match.withoutHeaders, req.headers, true)) return false;
  return matchQuery(match.queryParams, path);
}

/** §1.5 `IsCatchAllRoute`: no match, or prefix `/` / regex `.*` (or `*`) with no header, query or other matcher. */
export function isCatchAllMatch(match: any): boolean {
  if (!match) return true;
  const uri = match.uri;
  const uriCatchAll = !uri || uri.prefix === '/' || uri.regex === '.*' || uri.regex === '*' || (uri.exact === undefined && uri.prefix === undefined && uri.regex === undefined);
  const others = ['headers', 'withoutHeaders', 'queryParams'].some((k) => match[k] && Object.keys(match[k]).length);
  return uriCatchAll && !others && !match.method && !match.authority && !match.scheme;
}
