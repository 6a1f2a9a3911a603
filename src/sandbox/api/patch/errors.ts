// Errors raised by the patch and apply engine. Each carries the HTTP code, Status reason, message
// and causes a real kube-apiserver 1.30 returns, so the HTTP layer can render a metav1.Status.

/** One entry of Status.details.causes. */
export interface PatchErrorCause {
  field?: string;
  message: string;
  reason?: string;
}

/** Fields of a PatchError. */
export interface PatchErrorInit {
  code: 400 | 409 | 415 | 422;
  reason: string;
  message: string;
  causes?: PatchErrorCause[];
  /** The causes explain the failure to callers in-process, but the server sends none (NewGenericServerResponse). */
  causesOffWire?: boolean;
}

/** A patch/apply failure shaped like the kube-apiserver Status for it. */
export class PatchError extends Error {
  readonly code: 400 | 409 | 415 | 422;
  readonly reason: string;
  readonly causes?: PatchErrorCause[];
  readonly causesOffWire: boolean;

  constructor(init: PatchErrorInit) {
    super(init.message);
    this.name = 'PatchError';
    this.code = init.code;
    this.reason = init.reason;
    if (init.causes) this.causes = init.causes;
    this.causesOffWire = init.causesOffWire ?? false;
  }
}

/** Message kube-apiserver puts on every 422 built by NewGenericServerResponse. */
export const GENERIC_INVALID_MESSAGE = 'the server rejected our request due to an error in our request';

/** Patch content types a server accepts for custom resources (no strategic merge patch). */
export const CUSTOM_RESOURCE_PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
];

/** Builds a 400 BadRequest error. */
export function createBadRequest(message: string): PatchError {
  return new PatchError({ code: 400, reason: 'BadRequest', message });
}

/** Builds the 422 a server returns when applying a patch fails: generic message, detail as the cause. */
export function createGenericInvalid(detail: string): PatchError {
  return new PatchError({
    code: 422,
    reason: 'Invalid',
    message: GENERIC_INVALID_MESSAGE,
    causes: [{ message: detail }],
    causesOffWire: true,
  });
}

/** Builds a plain 422 Invalid error with the given message. */
export function createInvalid(message: string, causes?: PatchErrorCause[]): PatchError {
  return new PatchError({ code: 422, reason: 'Invalid', message, ...(causes ? { causes } : {}) });
}

/** Builds the 415 a server returns for a patch content type it does not accept for the resource. */
export function createUnsupportedMediaType(accepted: string[] = CUSTOM_RESOURCE_PATCH_TYPES): PatchError {
  return new PatchError({
    code: 415,
    reason: 'UnsupportedMediaType',
    message: `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  });
}
