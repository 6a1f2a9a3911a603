// The error for touching an object istio-lab did not create.
import type { ObjectRef } from '../cluster/types.js';
import { UserError, ExitCode } from '../cli/errors.js';
import { describeRef } from '../runner/ownership.js';

/** One-paragraph conflict error with the fix. */
export function conflictError(ref: ObjectRef, verb: string): UserError {
  const where = ref.namespace ? ` in namespace ${ref.namespace}` : '';
  return new UserError(
    `${describeRef(ref)}${where} already exists and was not created by istio-lab, so the lab will not ${verb} it (it could be someone else's).`,
    ExitCode.usage,
    `delete or rename that object, run the lab against another cluster or namespace, or pass --adopt to let istio-lab take it over (reset will then delete it).`,
  );
}

/** The API server refused an object a lab applies: name the object, the lab file and the server's reason. */
export function rejectedError(err: unknown, ref: ObjectRef, action: { file?: string; files?: string[] }, ctx: { loaded: { displayFile: string }; step: { name: string } }): Error {
  const e = err as { status?: number; reason?: string; message?: string };
  if (typeof e.status !== 'number') return err as Error;
  const source = action.file ?? action.files?.join(', ') ?? 'an inline manifest';
  return new UserError(
    `the cluster rejected ${describeRef(ref)} (from ${source}, ${ctx.loaded.displayFile} step "${ctx.step.name}"): ${e.message} (HTTP ${e.status} ${e.reason}).`,
    e.status === 401 || e.status === 403 ? ExitCode.unreachable : ExitCode.usage,
    e.status === 404 && /no matches for kind|not served/.test(e.message ?? '') ? 'install the CRDs that define this kind first (usually the `install` lab), or fix its apiVersion.' : 'fix the manifest (`istio-lab validate` checks it), or check your permissions on the cluster.',
  );
}
