// What one HTTP response must look like (the `http` check's expect): status, headers, body text,
// body regex, a JSON path and latency bounds; or that no response came (a transport error with a
// reason and, from a pod, curl's exit code). Pure: returns the problems found.
import type { HttpCheck } from '../lab/index.js';
import { describeReason, parseJsonBody, readJsonPath, type ObservedResponse } from '../traffic/index.js';
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

/** Problems with the lack of a response against an expected transport error. */
function checkTransportError(want: NonNullable<HttpCheck['expect']['transportError']>, r: ObservedResponse): string[] {
  const expected = `${describeReason(want.reason)}${want.curlExitCode !== undefined ? ` (curl exit code ${want.curlExitCode})` : ''}`;
  if (r.status !== 0) return [`got HTTP ${r.status}${r.body ? ` (${JSON.stringify(r.body.length > 60 ? `${r.body.slice(0, 57)}...` : r.body)})` : ''}, expected no HTTP response: ${expected}`];
  const seen = r.error ?? 'transport error';
  if (!r.transport && (want.reason !== 'any' || want.curlExitCode !== undefined)) return [`no HTTP response, and the sender could not tell why (${seen}); expected ${expected}`];
  if (want.reason !== 'any' && r.transport?.reason !== want.reason) return [`no HTTP response, but ${seen}; expected ${expected}`];
  if (want.curlExitCode !== undefined && r.transport?.curlExitCode !== want.curlExitCode) return [`no HTTP response, but ${seen}; expected curl exit code ${want.curlExitCode}`];
  return [];
}

/** Problems with a response against an `http` check's expectations (empty when it matches). */
export function checkHttpResponse(expect: HttpCheck['expect'], r: ObservedResponse): string[] {
  if (!expect.transportError && r.status === 0) return [`no HTTP response: ${r.error ?? 'transport error'}`];
  const problems = expect.transportError ? checkTransportError(expect.transportError, r) : checkResponse(expect, r);
  const { minMs, maxMs } = expect.latency ?? {};
  if (minMs !== undefined && r.latencyMs < minMs) problems.push(`took ${formatMs(r.latencyMs)}, expected at least ${formatMs(minMs)}`);
  if (maxMs !== undefined && r.latencyMs > maxMs) problems.push(`took ${formatMs(r.latencyMs)}, expected at most ${formatMs(maxMs)}`);
  return problems;
}

/** Problems with an HTTP response's status, headers and body. */
function checkResponse(expect: HttpCheck['expect'], r: ObservedResponse): string[] {
  const problems: string[] = [];
  const status = expect.status ?? [200];
  if (!status.includes(r.status)) problems.push(`status ${r.status}, expected ${status.join(' or ')}`);
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
  return problems;
}
