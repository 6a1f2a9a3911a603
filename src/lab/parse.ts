// Pure parsing of a lab file: YAML text → typed Lab, or LabErrors pinned to file:line:column.
// No file system access here (see load.ts); tests hit this directly.
import { LabError, formatPath, sortLabErrors } from './errors.js';
import type { PathSegment, Position } from './errors.js';
import { describeIssues } from './issues.js';
import { LabSchema } from './schema.js';
import type { Lab } from './schema.js';
import { createErrorAt, locatePath, locateNode, readYamlStream, convertToData } from './yaml-source.js';
import type { YamlDocument } from './yaml-source.js';

/** First line every lab file should carry so editors validate it against the JSON Schema. */
export const SCHEMA_COMMENT = '# yaml-language-server: $schema=../../schema/lab.schema.json';

/** Largest lab file accepted, in bytes (1 MiB). */
export const MAX_LAB_BYTES = 1024 * 1024;

/** Alias expansion budget for lab files (aliases are rarely needed in a lab). */
export const LAB_MAX_ALIAS_COUNT = 50;

/** Outcome of parsing a lab: the lab plus a way to locate its fields, or the errors found. */
export type ParseResult =
  | { ok: true; lab: Lab; warnings: LabError[]; locate: (path: readonly PathSegment[]) => Position }
  | { ok: false; errors: LabError[]; warnings: LabError[] };

/** Warns when the first line is not the yaml-language-server schema comment. */
function checkSchemaComment(text: string, file: string): LabError[] {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0].trimEnd();
  if (first === SCHEMA_COMMENT) return [];
  const prefix = '# yaml-language-server: $schema=';
  const message = first.startsWith(prefix)
    ? `schema comment points to "${first.slice(prefix.length)}"; expected "${SCHEMA_COMMENT.slice(prefix.length)}"`
    : `first line should be "${SCHEMA_COMMENT}" so editors can validate the lab`;
  return [new LabError(file, 1, 1, '', message, 'warning')];
}

/** Checks rules tied to where the file lives: track = folder name, name = file name. */
function checkFileIdentity(data: unknown, file: string, source: YamlDocument): LabError[] {
  if (typeof data !== 'object' || data === null) return [];
  const { name, track } = data as Record<string, unknown>;
  const parts = file.replace(/\\/g, '/').split('/');
  const base = parts.at(-1) ?? '';
  const stem = /\.ya?ml$/.test(base) ? base.replace(/\.ya?ml$/, '') : undefined;
  const folder = parts.length > 1 ? parts.at(-2) : undefined;
  const errors: LabError[] = [];
  if (stem !== undefined && typeof name === 'string' && name !== stem) {
    errors.push(createErrorAt(source, file, ['name'], `name "${name}" must match the file name "${base}"`));
  }
  if (folder !== undefined && folder !== '.' && folder !== '..' && typeof track === 'string' && track !== folder) {
    errors.push(createErrorAt(source, file, ['track'], `track "${track}" must match the lab's folder "${folder}"`));
  }
  return errors;
}

/** Parses lab YAML text; `file` is used in messages and for the track/name checks. */
export function parseLab(text: string, file: string): ParseResult {
  const stream = readYamlStream(text, file, { maxBytes: MAX_LAB_BYTES, maxAliasCount: LAB_MAX_ALIAS_COUNT });
  const warnings = [...checkSchemaComment(text, file), ...stream.warnings];
  if (!stream.ok) return { ok: false, errors: sortLabErrors(stream.errors), warnings };
  const [source, second] = stream.documents;
  if (second) {
    const { line, column } = locateNode(second, second.doc);
    const count = stream.documents.length;
    const message = `a lab file holds exactly one YAML document, found ${count}; remove the "---" separator or split the file`;
    return { ok: false, errors: [new LabError(file, line, column, '', message)], warnings };
  }
  const empty = new LabError(file, 1, 1, '', 'file is empty; a lab needs name, title, track, summary, scope and steps');
  if (!source) return { ok: false, errors: [empty], warnings };
  const data = convertToData(source, file, LAB_MAX_ALIAS_COUNT);
  if (!data.ok) return { ok: false, errors: data.errors, warnings };
  if (data.value === null || data.value === undefined) return { ok: false, errors: [empty], warnings };
  const identity = checkFileIdentity(data.value, file, source);
  const parsed = LabSchema.safeParse(data.value);
  const schemaErrors = parsed.success
    ? []
    : describeIssues(parsed.error.issues, data.value, LabSchema).map((report) => {
        const { line, column } = locatePath(source, report.path);
        return new LabError(file, line, column, formatPath(report.path), report.message);
      });
  const errors = [...schemaErrors, ...identity];
  if (!parsed.success || errors.length > 0) return { ok: false, errors: sortLabErrors(errors), warnings };
  return { ok: true, lab: parsed.data, warnings, locate: (path) => locatePath(source, path) };
}
