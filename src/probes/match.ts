// Partial object matching, as chainsaw's assert does it: every field in `expected` must be present
// with an equal value in `actual`; lists match when each expected element matches some actual element.

/** Paths where `actual` differs from the partial `expected` (empty when it matches). */
export function findMismatches(actual: unknown, expected: unknown, path = ''): string[] {
  if (expected === null || typeof expected !== 'object') {
    return actual === expected || String(actual) === String(expected) && typeof actual !== 'object' ? [] : [`${path || '.'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected a list, got ${JSON.stringify(actual)}`];
    const out: string[] = [];
    expected.forEach((item, i) => {
      if (!actual.some((a) => findMismatches(a, item).length === 0)) out.push(`${path}[${i}]: no element matches ${JSON.stringify(item)}`);
    });
    return out;
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${path || '.'}: expected an object, got ${JSON.stringify(actual)}`];
  return Object.entries(expected as Record<string, unknown>).flatMap(([k, v]) => findMismatches((actual as Record<string, unknown>)[k], v, `${path}.${k}`));
}
