// Where an object sits in a source file, so problems found in it (paths relative to the object)
// become LabErrors at file:line:column with a field path a person can follow.
import { LabError, formatPath } from '../lab/index.js';
import type { PathSegment, Position } from '../lab/index.js';
import { locatePath } from '../lab/yaml-source.js';
import type { YamlDocument } from '../lab/yaml-source.js';
import type { ObjectProblem } from './problem.js';

/** An object to check and how to locate its fields. */
export interface ObjectSite {
  /** The object as plain data. */
  object: unknown;
  /** File shown in messages. */
  file: string;
  /** The YAML document the object was read from. */
  source: YamlDocument;
  /** Path of the object inside `source`. */
  at: PathSegment[];
  /** Names `source` in messages, before the field path (which starts with `at`): "documents[1]", or "" for a lab file. */
  label: string;
  /** Maps positions in `source` to positions in `file` (for YAML parsed out of a string in a lab). */
  relocate?: (position: Position) => Position;
}

/** Joins a label and a formatted field path: "documents[0]" + "spec.hosts" → "documents[0].spec.hosts". */
export function joinPath(label: string, rest: string): string {
  if (label === '' || rest === '') return label + rest;
  return rest.startsWith('[') ? `${label}${rest}` : `${label}.${rest}`;
}

/** Turns a problem found in a site's object into a LabError at its position. */
export function locateProblem(site: ObjectSite, problem: ObjectProblem): LabError {
  const position = locatePath(site.source, [...site.at, ...problem.path]);
  const { line, column } = site.relocate ? site.relocate(position) : position;
  return new LabError(site.file, line, column, joinPath(site.label, formatPath([...site.at, ...problem.path])), problem.message, problem.severity);
}
