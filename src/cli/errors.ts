// User-facing errors: one paragraph naming the cause and the fix, plus the documented exit code.
import { redactText } from '../report/redact.js';

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

/** The HTTP status of an API error that says the credentials were refused (401, 403), if it is one. */
function refusedStatus(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  return status === 401 || status === 403 ? status : undefined;
}

/** The exit code for an error that reached the top: its own, 3 for refused credentials, else 2. */
export function exitCodeOf(err: unknown): number {
  const own = (err as { exitCode?: unknown } | null)?.exitCode;
  if (typeof own === 'number') return own;
  return refusedStatus(err) ? ExitCode.unreachable : ExitCode.usage;
}

/** Render an error as the one paragraph the CLI prints, with credentials redacted (even in --debug stacks). */
export function formatError(err: unknown, debug: boolean): string {
  if (err instanceof UserError) {
    const text = err.fix ? `${err.message}\n  fix: ${err.fix}` : err.message;
    return redactText(debug && err.stack ? `${text}\n${err.stack}` : text);
  }
  const e = err as Error;
  const refused = refusedStatus(err);
  const text = refused
    ? `the cluster refused istio-lab's credentials part-way through (HTTP ${refused}: ${e.message}).\n  fix: refresh your login (e.g. \`gcloud container clusters get-credentials\`, \`aws eks update-kubeconfig\`, \`oc login\`), or pick another --context; \`istio-lab reset\` cleans up whatever was applied.`
    : `unexpected error: ${e?.message ?? String(err)}\n  fix: re-run with --debug for details, and report it if it persists.`;
  return redactText(debug && e?.stack ? `${text}\n${e.stack}` : text);
}
