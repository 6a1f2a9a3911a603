// Reads YAML text into documents with positions, under limits against hostile input
// (size, alias expansion, number of documents; floods of syntax errors are capped), and maps field
// paths back to line:column.
import { Composer, LineCounter, Parser, isAlias, isMap, isPair, isScalar, isSeq, visit } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import { LabError, formatPath } from './errors.js';
import type { PathSegment, Position } from './errors.js';

/** Limits applied while reading YAML. */
export interface YamlLimits {
  /** Largest accepted file, in bytes. */
  maxBytes: number;
  /** Budget for alias expansion (the yaml package's maxAliasCount). */
  maxAliasCount: number;
  /** Most documents read from one stream (default MAX_YAML_DOCUMENTS). */
  maxDocuments?: number;
}

/** Most YAML documents read from one file: far beyond any real manifest, and parsing stops there. */
export const MAX_YAML_DOCUMENTS = 10_000;

/** One YAML document of a file, with what is needed to locate its nodes. */
export interface YamlDocument {
  doc: Document;
  lineCounter: LineCounter;
}

/** Result of reading a YAML stream: documents, or errors (syntax, size). */
export type YamlStreamResult =
  | { ok: true; documents: YamlDocument[]; warnings: LabError[] }
  | { ok: false; errors: LabError[]; warnings: LabError[] };

/** Result of turning one document into plain data. */
export type YamlDataResult = { ok: true; value: unknown } | { ok: false; errors: LabError[] };

/** Formats a byte count for messages ("1.2 MiB", "800 KiB"). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}

/** Builds the error for a file over the size limit. */
export function createOversizeError(file: string, bytes: number, maxBytes: number): LabError {
  return new LabError(file, 1, 1, '', `file is ${bytes} bytes; the limit is ${formatBytes(maxBytes)} (${maxBytes} bytes)`);
}

/** Parses a YAML stream into documents; syntax errors become LabErrors with positions. */
export function readYamlStream(text: string, file: string, limits: YamlLimits): YamlStreamResult {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) return { ok: false, errors: [createOversizeError(file, bytes, limits.maxBytes)], warnings: [] };
  const lineCounter = new LineCounter();
  const maxDocuments = limits.maxDocuments ?? MAX_YAML_DOCUMENTS;
  const docs: Document[] = [];
  // Documents are composed one at a time, so a file of a million "---" stops at the limit.
  for (const doc of new Composer({ prettyErrors: false, merge: true, uniqueKeys: true }).compose(new Parser(lineCounter.addNewLine).parse(text))) {
    if (docs.length === maxDocuments) {
      const { line, col } = lineCounter.linePos(doc.range[0]);
      const message = `more than ${maxDocuments} YAML documents in one file; split it into several files`;
      return { ok: false, errors: [new LabError(file, line, col, '', message)], warnings: [] };
    }
    docs.push(doc);
  }
  const at = (offset: number) => lineCounter.linePos(Math.min(offset, text.length));
  const toLabError = (e: { pos: [number, number]; message: string }, severity: 'error' | 'warning') =>
    new LabError(file, at(e.pos[0]).line, at(e.pos[0]).col, '', formatYamlMessage(e.message), severity);
  const errors = limitYamlErrors(docs.flatMap((doc) => doc.errors.map((e) => toLabError(e, 'error'))), file);
  const warnings = limitYamlErrors(docs.flatMap((doc) => doc.warnings.map((w) => toLabError(w, 'warning'))), file);
  if (errors.length > 0) return { ok: false, errors, warnings };
  return { ok: true, documents: docs.map((doc) => ({ doc, lineCounter })), warnings };
}

/** Most YAML syntax problems reported per file; one unclosed bracket can otherwise yield hundreds. */
export const MAX_YAML_ERRORS = 20;

/** Drops repeats of a message on the same line and keeps the first MAX_YAML_ERRORS, noting how many more. */
function limitYamlErrors(found: LabError[], file: string): LabError[] {
  const seen = new Set<string>();
  const unique = found.filter((e) => {
    const key = `${e.line}|${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (unique.length <= MAX_YAML_ERRORS) return unique;
  const last = unique[MAX_YAML_ERRORS - 1];
  const more = unique.length - MAX_YAML_ERRORS;
  const note = `YAML: ${more} more problem${more === 1 ? '' : 's'} after line ${last.line} not shown; fix the ones above first (they often cause the rest)`;
  return [...unique.slice(0, MAX_YAML_ERRORS), new LabError(file, last.line, last.column, '', note, last.severity)];
}

function formatYamlMessage(message: string): string {
  if (/maximum call stack size exceeded/i.test(message)) {
    return 'YAML: nested too deeply to parse (hundreds of levels of [ ], { } or indentation); look for unclosed brackets, and write a flatter structure';
  }
  return `YAML: ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
}

/** Converts a document to plain data, rejecting alias expansion beyond the budget. */
export function convertToData(source: YamlDocument, file: string, maxAliasCount: number): YamlDataResult {
  try {
    return { ok: true, value: source.doc.toJS({ maxAliasCount }) };
  } catch (error) {
    const where = findFirstAlias(source) ?? { line: 1, column: 1 };
    const message =
      error instanceof ReferenceError && /alias/i.test(error.message)
        ? `too many YAML alias expansions (limit ${maxAliasCount}); write the values out instead of nesting aliases`
        : `YAML: ${(error as Error).message}`;
    return { ok: false, errors: [new LabError(file, where.line, where.column, '', message)] };
  }
}

function findFirstAlias(source: YamlDocument): Position | undefined {
  let found: Position | undefined;
  visit(source.doc, {
    Alias(_key, node) {
      found = locateNode(source, node);
      return visit.BREAK;
    },
  });
  return found;
}

/** The position where a node starts (1:1 when the node has no range). */
export function locateNode(source: YamlDocument, node: { range?: readonly number[] | null } | null | undefined): Position {
  const offset = node?.range?.[0];
  if (offset === undefined) return { line: 1, column: 1 };
  const { line, col } = source.lineCounter.linePos(offset);
  return { line, column: col };
}

/**
 * Finds where a field path points in a document: the key for a map entry, the item for a
 * list entry, and the enclosing map when a key is missing.
 */
export function locatePath(source: YamlDocument, path: readonly PathSegment[]): Position {
  let node = resolve(source, source.doc.contents as Node | null);
  let position = locateNode(source, node);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = findPair(source, node, segment);
      if (!pair) return locateNode(source, node);
      position = locateNode(source, pair.key as Node);
      node = resolve(source, pair.value as Node | null);
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      node = resolve(source, node.items[segment] as Node | null);
      position = locateNode(source, node);
    } else {
      return position;
    }
  }
  return position;
}

function resolve(source: YamlDocument, node: Node | null | undefined): Node | null {
  if (isAlias(node)) return (node.resolve(source.doc) as Node | undefined) ?? null;
  return node ?? null;
}

function findPair(source: YamlDocument, map: Node, segment: PathSegment): Pair<unknown, unknown> | undefined {
  if (!isMap(map)) return undefined;
  for (const pair of map.items) {
    if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === String(segment)) return pair;
  }
  for (const pair of map.items) {
    const merged = isScalar(pair.key) && pair.key.value === '<<' ? resolve(source, pair.value as Node) : null;
    const inner: Pair<unknown, unknown> | undefined = merged ? findPair(source, merged, segment) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

/** Builds a LabError located at a field path of a document. */
export function createErrorAt(
  source: YamlDocument,
  file: string,
  path: readonly PathSegment[],
  message: string,
  severity: 'error' | 'warning' = 'error',
): LabError {
  const { line, column } = locatePath(source, path);
  return new LabError(file, line, column, formatPath(path), message, severity);
}
