// A problem found in one object, located by a field path relative to that object.
import type { PathSegment, Severity } from '../lab/index.js';

/** One problem in an object: the field it concerns, what is wrong, and how serious it is. */
export interface ObjectProblem {
  path: PathSegment[];
  message: string;
  severity: Severity;
}

/** Builds an error-level problem. */
export function createError(path: PathSegment[], message: string): ObjectProblem {
  return { path, message, severity: 'error' };
}

/** Builds a warning-level problem. */
export function createWarning(path: PathSegment[], message: string): ObjectProblem {
  return { path, message, severity: 'warning' };
}
