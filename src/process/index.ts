// Subprocesses: the only importer of execa. Runs allow-listed programs (istioctl, kubectl) with
// argument arrays, never through a shell.
export { ALLOWED_PROGRAMS, runProgram } from './run-program.js';
export type { AllowedProgram, RunOptions, RunResult } from './run-program.js';
