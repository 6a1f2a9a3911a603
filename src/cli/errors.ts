// User-facing errors: one paragraph naming the cause and the fix, plus the documented exit code.

/** Exit codes, as documented in the README. */
export const ExitCode = {
  ok: 0,
  checkFailed: 1,
  usage: 2,
  unreachable: 3,
  interrupted: 130,
} as const;

/** An error meant for the person at the terminal: printed without a stack trace unless --debug. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.usage,
    readonly fix?: string,
  ) {
    super(message);
  }
}

/** Render an error as the one paragraph the CLI prints. */
export function formatError(err: unknown, debug: boolean): string {
  if (err instanceof UserError) {
    const text = err.fix ? `${err.message}\n  fix: ${err.fix}` : err.message;
    return debug && err.stack ? `${text}\n${err.stack}` : text;
  }
  const e = err as Error;
  const text = `unexpected error: ${e?.message ?? String(err)}\n  fix: re-run with --debug for details, and report it if it persists.`;
  return debug && e?.stack ? `${text}\n${e.stack}` : text;
}
