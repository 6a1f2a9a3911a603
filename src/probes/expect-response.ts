// What one HTTP response must look like (the `http` check's expect): status, headers, body text,
// body regex, a JSON path and latency bounds. Pure: returns the problems found.
import type { HttpCheck } from '../lab/index.js';
import { parseJsonBody, readJsonPath, type ObservedResponse } from '../traffic/index.js';
import { formatMs } from './compare.js';
import { findMismatches } from './match.js';

type HeaderExpectation = NonNullable<HttpCheck['expect']['headers']>[string];

/** Problems with one header value against its expectation. */
function checkHeader(name: string, value: string | undefined, want: HeaderExpectation): string[] {
  const spec = typeof want === 'string' ? { equals: want } : want;
  const shown = value === undefined ? 'absent' : JSON.stringify(value);
  if (spec.present === false) return value === undefined ? [] : [`header ${name} is present (${shown}), expected absent`];
  if (value === undefined) return [`header ${name} is absent`];
  const problems: string[] = [];
  if (spec.equals !== undefined && value !== spec.equals) problems.push(`header ${name} is ${shown}, expected ${JSON.stringify(spec.equals)}`);
  if (spec.contains !== undefined && !value.includes(spec.contains)) problems.push(`header ${name} is ${shown}, expected it to contain ${JSON.stringify(spec.contains)}`);
  if (spec.matches !== undefined && !new RegExp(spec.matches).test(value)) problems.push(`header ${name} is ${shown}, expected it to match /${spec.matches}/`);
  return problems;
}

/** Problems with a response against an `http` check's expectations (empty when it matches). */
export function checkHttpResponse(expect: HttpCheck['expect'], r: ObservedResponse): string[] {
  if (r.status === 0) return [`no HTTP response: ${r.error ?? 'transport error'}`];
  const problems: string[] = [];
  if (!expect.status.includes(r.status)) problems.push(`status ${r.status}, expected ${expect.status.join(' or ')}`);
  for (const [name, want] of Object.entries(expect.headers ?? {})) problems.push(...checkHeader(name, r.headers[name.toLowerCase()], want));
  for (const text of expect.bodyContains ?? []) if (!r.body.includes(text)) problems.push(`body does not contain ${JSON.stringify(text)}`);
  for (const text of expect.bodyNotContains ?? []) if (r.body.includes(text)) problems.push(`body contains ${JSON.stringify(text)}`);
  if (expect.bodyRegex && !new RegExp(expect.bodyRegex).test(r.body)) problems.push(`body does not match /${expect.bodyRegex}/`);
  if (expect.jsonPath) {
    const body = parseJsonBody(r.body);
    const hit = body === undefined ? { found: false } : readJsonPath(body, expect.jsonPath.path);
    if (body === undefined) problems.push(`body is not JSON, cannot read ${expect.jsonPath.path}`);
    else if (!hit.found) problems.push(`${expect.jsonPath.path} is missing from the body`);
    else if (expect.jsonPath.equals !== undefined && findMismatches(hit.value, expect.jsonPath.equals).length) {
      problems.push(`${expect.jsonPath.path} is ${JSON.stringify(hit.value)}, expected ${JSON.stringify(expect.jsonPath.equals)}`);
    }
  }
  const { minMs, maxMs } = expect.latency ?? {};
  if (minMs !== undefined && r.latencyMs < minMs) problems.push(`took ${formatMs(r.latencyMs)}, expected at least ${formatMs(minMs)}`);
  if (maxMs !== undefined && r.latencyMs > maxMs) problems.push(`took ${formatMs(r.latencyMs)}, expected at most ${formatMs(maxMs)}`);
  return problems;
}
