// A small JSON path reader for checks: "$.headers.Host", "args.v", "$.items[0].name", "$['x-y']".

/** Splits a path into keys and indexes; throws on a malformed path. */
export function parseJsonPath(path: string): (string | number)[] {
  const text = path.startsWith('$') ? path.slice(1) : path.startsWith('.') || path.startsWith('[') ? path : `.${path}`;
  const parts: (string | number)[] = [];
  const token = /\.([^.[\]]+)|\[(\d+)\]|\[(['"])(.*?)\3\]/y;
  let at = 0;
  while (at < text.length) {
    token.lastIndex = at;
    const m = token.exec(text);
    if (!m) throw new Error(`cannot read JSON path ${JSON.stringify(path)} at ${JSON.stringify(text.slice(at))}`);
    parts.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[4]));
    at = token.lastIndex;
  }
  return parts;
}

/** The value at `path` in `value`, and whether it exists. */
export function readJsonPath(value: unknown, path: string): { found: boolean; value?: unknown } {
  let current: unknown = value;
  for (const part of parseJsonPath(path)) {
    if (current === null || typeof current !== 'object' || !(part in (current as object))) return { found: false };
    current = (current as Record<string | number, unknown>)[part];
  }
  return { found: true, value: current };
}

/** Parses a response body as JSON; undefined when it is not JSON. */
export function parseJsonBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
