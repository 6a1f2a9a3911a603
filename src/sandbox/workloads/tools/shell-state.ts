// A shell's state: variables (exported or not), positional parameters, the last status, loop control,
// background jobs and `set` options. A subshell (pipeline stage, `( )`, `$( )`, `&`) works on a copy.

/** `set -e` and `set -x`. */
export interface ShellOptions {
  errexit: boolean;
  xtrace: boolean;
}

/** A background job started with `&`. */
export interface ShellJob {
  id: number;
  done: Promise<number>;
  controller: AbortController;
}

/** Variables, parameters and control state of one shell (a subshell gets a copy). */
export interface ShellState {
  vars: Map<string, string>;
  exported: Set<string>;
  /** $0, $1, … */
  positional: string[];
  status: number;
  exited: boolean;
  breaks: number;
  continues: number;
  jobs: ShellJob[];
  options: ShellOptions;
  /** Inside an if/while condition or a non-final && / || part (set -e does not apply). */
  conditionDepth: number;
}

/** A fresh shell state whose variables start as the container's (exported) environment. */
export function newShellState(env: Record<string, string>, positional: string[]): ShellState {
  return { vars: new Map(Object.entries(env)), exported: new Set(Object.keys(env)), positional, status: 0, exited: false, breaks: 0, continues: 0, jobs: [], options: { errexit: false, xtrace: false }, conditionDepth: 0 };
}

/** A subshell's copy of `s`. */
export function cloneState(s: ShellState): ShellState {
  return { ...s, vars: new Map(s.vars), exported: new Set(s.exported), positional: [...s.positional], jobs: [], options: { ...s.options }, exited: false, breaks: 0, continues: 0 };
}

