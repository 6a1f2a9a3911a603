// Puts each response into a bucket by the check's rule: a header's value, a body regex, a JSON
// path or the status; optional `buckets` map the value through regexes (first match wins, else "other").
import type { Classify } from '../lab/index.js';
import { parseJsonBody, readJsonPath } from './json-path.js';
import type { ObservedResponse } from './response.js';

/** Bucket for responses that no rule or bucket regex matched. */
export const OTHER_BUCKET = 'other';

/** The value a rule extracts from a response; undefined when it is missing. */
export function extractValue(rule: Classify, r: ObservedResponse): string | undefined {
  switch (rule.by) {
    case 'status':
      return r.status === 0 ? '000' : String(r.status);
    case 'header':
      return r.headers[rule.header.toLowerCase()];
    case 'bodyRegex': {
      if (!rule.pattern) return r.body;
      const m = new RegExp(rule.pattern).exec(r.body);
      return m ? m[1] ?? m[0] : undefined;
    }
    case 'jsonPath': {
      const body = parseJsonBody(r.body);
      if (body === undefined) return undefined;
      const hit = readJsonPath(body, rule.path);
      if (!hit.found || hit.value === undefined) return undefined;
      return typeof hit.value === 'string' ? hit.value : JSON.stringify(hit.value);
    }
  }
}

/** Builds a classifier from a rule (regexes compiled once). */
export function createClassifier(rule: Classify): (r: ObservedResponse) => string {
  const buckets = Object.entries(rule.buckets ?? {}).map(([name, source]) => [name, new RegExp(source)] as const);
  return (r) => {
    const value = extractValue(rule, r);
    if (value === undefined) return OTHER_BUCKET;
    if (!buckets.length) return value;
    return buckets.find(([, re]) => re.test(value))?.[0] ?? OTHER_BUCKET;
  };
}
