// LabError: one problem in a lab or manifest file, pinned to file:line:column and a field path.

/** A 1-based line and column in a source file. */
export interface Position {
  line: number;
  column: number;
}

/** How serious a LabError is: errors stop a lab from loading, warnings do not. */
export type Severity = 'error' | 'warning';

/** One segment of a field path: a map key or a list index. */
export type PathSegment = string | number;

/** A problem found in a lab (or manifest) file, with where it is and which field it concerns. */
export class LabError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly path: string,
    readonly message: string,
    readonly severity: Severity = 'error',
  ) {}

  /** Renders as `file:line:col path: message` (see formatLabError). */
  toString(): string {
    return formatLabError(this);
  }
}

/** Formats a LabError as `labs/core/x.yaml:23:7 steps[2].checks[0].expect.split: message`. */
export function formatLabError(error: LabError): string {
  const where = `${error.file}:${error.line}:${error.column}`;
  const prefix = error.severity === 'warning' ? ' warning:' : '';
  const path = error.path === '' ? '' : ` ${error.path}:`;
  return `${where}${prefix}${path} ${error.message}`;
}

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** Formats a field path as `steps[2].checks[0].expect.split` (odd keys as `labels["a/b"]`). */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

/** Orders errors by file, then line, then column. */
export function sortLabErrors(errors: LabError[]): LabError[] {
  return [...errors].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}
