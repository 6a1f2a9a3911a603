// RFC 6902 JSON patch (application/json-patch+json) with the behaviour of the evanphx/json-patch
// v4 library kube-apiserver uses: JSON pointers with ~0/~1 escapes, "-" appends, negative array
// indices, "replace" of a missing object member adds it, and the library's error texts.

import { createBadRequest, createGenericInvalid } from './errors.js';
import { cloneJson, describeJsonKind, isJsonEqual, isJsonObject, type JsonObject } from './json-value.js';

/** One RFC 6902 operation as sent on the wire. */
export interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

type Container = JsonObject | unknown[];

/** Error a single operation step raises; its text becomes the Status cause. */
class StepError extends Error {}

const MISSING = 'missing value';
const INVALID_INDEX = 'invalid index referenced';

/** Applies a JSON patch to a copy of `doc`; a bad body is a 400, a failing operation a 422. */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  const operations = parseOperations(ops);
  const root = { value: cloneJson(doc) };
  for (const op of operations) {
    try {
      applyOperation(root, op);
    } catch (err) {
      if (err instanceof StepError) throw createGenericInvalid(err.message);
      throw err;
    }
  }
  return root.value;
}

/** Validates the patch body shape the way Go's decoder into jsonpatch.Patch does. */
function parseOperations(ops: unknown): JsonObject[] {
  if (!Array.isArray(ops)) {
    throw createBadRequest(`json: cannot unmarshal ${describeGoType(ops)} into Go value of type jsonpatch.Patch`);
  }
  for (const op of ops) {
    if (!isJsonObject(op) && op !== null) {
      throw createBadRequest(`json: cannot unmarshal ${describeGoType(op)} into Go value of type jsonpatch.Operation`);
    }
  }
  return ops.map((op) => (op ?? {}) as JsonObject);
}

/** Names a JSON value's kind as Go's unmarshal errors do. */
function describeGoType(value: unknown): string {
  const kind = describeJsonKind(value);
  return kind === 'bool' ? 'bool' : kind;
}

/** Runs one operation against the document holder. */
function applyOperation(root: { value: unknown }, op: JsonObject): void {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  switch (kind) {
    case 'add': return applyAdd(root, op);
    case 'remove': return applyRemove(root, op);
    case 'replace': return applyReplace(root, op);
    case 'move': return applyMove(root, op);
    case 'copy': return applyCopy(root, op);
    case 'test': return applyTest(root, op);
    default: throw new StepError(`Unexpected kind: ${kind}`);
  }
}

/** Reads the `path` (or `from`) member, failing the way the library does when absent. */
function readPointer(op: JsonObject, member: 'path' | 'from', context: string): string {
  const value = op[member];
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) {
    const what = member === 'path' ? 'operation missing path field' : 'operation, missing from field';
    throw new StepError(`${context}: ${what}: ${MISSING}`);
  }
  throw new StepError(`${context}: json: cannot unmarshal ${describeGoType(value)} into Go value of type string`);
}

/** The operation's value (absent means JSON null). */
function readValue(op: JsonObject): unknown {
  return op.value === undefined ? null : cloneJson(op.value);
}

/** Decodes one RFC 6901 reference token. */
function decodeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Finds the container holding the pointer's last token, like the library's findObject. */
function findContainer(root: { value: unknown }, pointer: string): [Container, string] | undefined {
  const tokens = pointer.split('/');
  if (tokens.length < 2) return undefined;
  let current: unknown = root.value;
  for (const raw of tokens.slice(1, -1)) {
    const token = decodeToken(raw);
    if (Array.isArray(current)) {
      const idx = parseIndex(token);
      current = idx !== undefined && idx >= 0 && idx < current.length ? current[idx] : undefined;
    } else if (isJsonObject(current)) {
      current = current[token];
    } else {
      return undefined;
    }
    if (!Array.isArray(current) && !isJsonObject(current)) return undefined;
  }
  if (!Array.isArray(current) && !isJsonObject(current)) return undefined;
  return [current, decodeToken(tokens[tokens.length - 1])];
}

/** Parses an array index as strconv.Atoi would; undefined when it is not an integer. */
function parseIndex(token: string): number | undefined {
  return /^[+-]?\d+$/.test(token) ? Number(token) : undefined;
}

/** Parses an array index or raises the library's Atoi error. */
function requireIndex(token: string): number {
  const idx = parseIndex(token);
  if (idx === undefined) throw new StepError(`strconv.Atoi: parsing ${JSON.stringify(token)}: invalid syntax`);
  return idx;
}

/** Reads a member; arrays reject out-of-range indices. */
function getMember(container: Container, key: string): unknown {
  if (!Array.isArray(container)) return container[key];
  const idx = requireIndex(key);
  if (idx < 0 || idx >= container.length) throw new StepError(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
  return container[idx];
}

/** Adds a member: sets an object key, or inserts into an array ("-" appends). */
function addMember(container: Container, key: string, value: unknown): void {
  if (!Array.isArray(container)) {
    container[key] = value;
    return;
  }
  if (key === '-') {
    container.push(value);
    return;
  }
  const idx = parseIndex(key);
  if (idx === undefined) {
    throw new StepError(`value was not a proper array index: '${key}': strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  }
  const size = container.length + 1;
  if (idx >= size || idx < -size) throw new StepError(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
  container.splice(idx < 0 ? idx + size : idx, 0, value);
}

/** Removes a member; a missing object key or out-of-range index is an error. */
function removeMember(container: Container, key: string): void {
  if (!Array.isArray(container)) {
    if (!(key in container)) throw new StepError(`Unable to remove nonexistent key: ${key}: ${MISSING}`);
    delete container[key];
    return;
  }
  const idx = requireIndex(key);
  if (idx >= container.length || idx < -container.length) {
    throw new StepError(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
  }
  container.splice(idx < 0 ? idx + container.length : idx, 1);
}

/** Wraps a step error with the library's per-operation prefix. */
function wrapStep(prefix: string, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (err instanceof StepError) throw new StepError(`${prefix}: ${err.message}`);
    throw err;
  }
}

/** RFC 6902 "add". */
function applyAdd(root: { value: unknown }, op: JsonObject): void {
  const path = readPointer(op, 'path', 'add operation failed to decode path');
  const found = findContainer(root, path);
  if (!found) throw new StepError(`add operation does not apply: doc is missing path: "${path}": ${MISSING}`);
  wrapStep(`error in add for path: '${path}'`, () => addMember(found[0], found[1], readValue(op)));
}

/** RFC 6902 "remove". */
function applyRemove(root: { value: unknown }, op: JsonObject): void {
  const path = readPointer(op, 'path', 'remove operation failed to decode path');
  const found = findContainer(root, path);
  if (!found) throw new StepError(`remove operation does not apply: doc is missing path: "${path}": ${MISSING}`);
  wrapStep(`error in remove for path: '${path}'`, () => removeMember(found[0], found[1]));
}

/** RFC 6902 "replace" (an empty path replaces the whole document). */
function applyReplace(root: { value: unknown }, op: JsonObject): void {
  const path = readPointer(op, 'path', 'replace operation failed to decode path');
  if (path === '') {
    const value = readValue(op);
    if (!Array.isArray(value) && !isJsonObject(value)) throw new StepError('replace operation value must be object or array');
    root.value = value;
    return;
  }
  const found = findContainer(root, path);
  if (!found) throw new StepError(`replace operation does not apply: doc is missing path: ${path}: ${MISSING}`);
  const [container, key] = found;
  try {
    getMember(container, key);
  } catch {
    throw new StepError(`replace operation does not apply: doc is missing key: ${path}: ${MISSING}`);
  }
  if (Array.isArray(container)) container[requireIndex(key)] = readValue(op);
  else container[key] = readValue(op);
}

/** RFC 6902 "move". */
function applyMove(root: { value: unknown }, op: JsonObject): void {
  const from = readPointer(op, 'from', 'move operation failed to decode from');
  const source = findContainer(root, from);
  if (!source) throw new StepError(`move operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
  let value: unknown;
  wrapStep(`error in move for path: '${source[1]}'`, () => {
    value = getMember(source[0], source[1]);
    removeMember(source[0], source[1]);
  });
  const path = readPointer(op, 'path', 'move operation failed to decode path');
  const target = findContainer(root, path);
  if (!target) throw new StepError(`move operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
  wrapStep(`error in move for path: '${path}'`, () => addMember(target[0], target[1], value ?? null));
}

/** RFC 6902 "copy". */
function applyCopy(root: { value: unknown }, op: JsonObject): void {
  const from = readPointer(op, 'from', 'copy operation failed to decode from');
  const source = findContainer(root, from);
  if (!source) throw new StepError(`copy operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
  let value: unknown;
  wrapStep(`error in copy for from: '${from}'`, () => {
    value = getMember(source[0], source[1]);
  });
  const path = readPointer(op, 'path', 'copy operation failed to decode path');
  const target = findContainer(root, path);
  if (!target) throw new StepError(`copy operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
  wrapStep('error while adding value during copy', () => addMember(target[0], target[1], cloneJson(value ?? null)));
}

/** RFC 6902 "test"; a missing member only matches a null/absent value. */
function applyTest(root: { value: unknown }, op: JsonObject): void {
  const path = readPointer(op, 'path', 'test operation failed to decode path');
  const expected = op.value === undefined ? null : op.value;
  if (path === '') {
    if (!isJsonEqual(root.value, expected)) throw new StepError(`testing value ${path} failed: test failed`);
    return;
  }
  const found = findContainer(root, path);
  if (!found) throw new StepError(`test operation does not apply: is missing path: ${path}: ${MISSING}`);
  let actual: unknown;
  wrapStep(`error in test for path: '${path}'`, () => {
    actual = getMember(found[0], found[1]);
  });
  const matches = actual === undefined || actual === null ? expected === null : isJsonEqual(actual, expected);
  if (!matches) throw new StepError(`testing value ${path} failed: test failed`);
}
