// The sandbox shell's syntax tree: lists of and-or lists of pipelines of commands (simple commands, for,
// while/until, if, { } groups and ( ) subshells), with words kept unexpanded until they run.

/** A piece of a word; `quoted` parts are neither field-split nor brace-expanded. */
export type WordPart =
  | { kind: 'lit'; text: string; quoted: boolean }
  | { kind: 'param'; name: string; op?: ParamOp; arg?: Word; quoted: boolean }
  | { kind: 'subst'; body: ShellList; quoted: boolean }
  | { kind: 'arith'; expr: Word; quoted: boolean };

/** A shell word before expansion. */
export type Word = WordPart[];

/** `${name<op>arg}` operators; `len` is `${#name}`. */
export type ParamOp = ':-' | '-' | ':=' | '=' | ':+' | '+' | ':?' | '?' | 'len' | '%' | '%%' | '#' | '##';

/** `[fd]> word`, `[fd]>> word`, `[fd]< word`, `[fd]>&fd`, `[fd]<&fd`. */
export interface Redirect {
  fd: number;
  op: '>' | '>>' | '<' | '>&' | '<&';
  target: Word;
}

/** `NAME=value` before a command (or alone). */
export interface Assignment {
  name: string;
  value: Word;
}

/** A command with its arguments. */
export interface SimpleCommand {
  kind: 'simple';
  assigns: Assignment[];
  words: Word[];
  redirects: Redirect[];
}

/** `for NAME [in WORDS]; do LIST; done` */
export interface ForCommand {
  kind: 'for';
  name: string;
  items?: Word[];
  body: ShellList;
  redirects: Redirect[];
}

/** `while LIST; do LIST; done` (or `until`). */
export interface LoopCommand {
  kind: 'while';
  until: boolean;
  cond: ShellList;
  body: ShellList;
  redirects: Redirect[];
}

/** `if LIST; then LIST; [elif LIST; then LIST;]… [else LIST;] fi` */
export interface IfCommand {
  kind: 'if';
  branches: { cond: ShellList; body: ShellList }[];
  otherwise?: ShellList;
  redirects: Redirect[];
}

/** `{ LIST; }` (same shell) or `( LIST )` (subshell). */
export interface GroupCommand {
  kind: 'group';
  subshell: boolean;
  body: ShellList;
  redirects: Redirect[];
}

/** Any command. */
export type Command = SimpleCommand | ForCommand | LoopCommand | IfCommand | GroupCommand;

/** `[!] cmd | cmd | …` */
export interface Pipeline {
  negate: boolean;
  commands: Command[];
}

/** `pipeline && pipeline || …`, optionally run in the background with `&`. */
export interface AndOr {
  pipelines: Pipeline[];
  ops: ('&&' | '||')[];
  background: boolean;
}

/** A sequence of and-or lists (separated by `;`, `&` or newlines). */
export type ShellList = AndOr[];

/** A syntax error: the message after `sh: `, and whether more input could complete the command. */
export class ShellSyntaxError extends Error {
  constructor(
    message: string,
    readonly incomplete = false,
  ) {
    super(message);
  }
}
