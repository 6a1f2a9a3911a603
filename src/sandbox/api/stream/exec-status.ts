// The metav1.Status written on the error channel when an exec/attach ends, byte for byte as
// the kubelet (v1/v4 sessions, proxied) or kube-apiserver's stream translator (v5) writes it.
import { CHANNEL_V5, usesStatusJson } from './channel-protocol.js';

/** metav1.Status as the streaming endpoints marshal it (Go field order, empty fields omitted). */
export interface StreamStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes: { reason?: string; message: string }[] };
  code?: number;
}

/** Status.reason for a command that exited non-zero. */
export const NON_ZERO_EXIT_CODE_REASON = 'NonZeroExitCode';
/** Cause reason carrying the exit code as its message. */
export const EXIT_CODE_CAUSE_TYPE = 'ExitCode';

/** The Success status. */
export function buildSuccessStatus(): StreamStatus {
  return { metadata: {}, status: 'Success' };
}

/** NonZeroExitCode status whose message wraps `exitError` as the kubelet/translator do. */
export function buildExitCodeStatus(code: number, exitError: string): StreamStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: ${exitError}`,
    reason: NON_ZERO_EXIT_CODE_REASON,
    details: { causes: [{ reason: EXIT_CODE_CAUSE_TYPE, message: String(code) }] },
  };
}

/** apierrors.NewInternalError(err) as a stream status. */
export function buildInternalErrorStatus(error: string): StreamStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${error}`,
    reason: 'InternalError',
    details: { causes: [{ message: error }] },
    code: 500,
  };
}

/** What the kubelet (containerd CRI) reports for `argv` exiting with `code`. */
export function buildKubeletExecStatus(argv: readonly string[], code: number): StreamStatus {
  if (code === 0) return buildSuccessStatus();
  return buildExitCodeStatus(code, `error executing command [${argv.join(' ')}], exit code ${code}`);
}

/**
 * What kube-apiserver's stream translator writes to a v5 client after relaying the kubelet's
 * status over SPDY: client-go decodes the exit code into "command terminated with exit code N"
 * and the translator wraps that again; any other failure becomes a second InternalError.
 */
export function translateStatusForV5(kubelet: StreamStatus): StreamStatus {
  if (kubelet.status === 'Success') return kubelet;
  if (kubelet.reason === NON_ZERO_EXIT_CODE_REASON) {
    const code = Number(kubelet.details?.causes.find((c) => c.reason === EXIT_CODE_CAUSE_TYPE)?.message);
    return buildExitCodeStatus(code, `command terminated with exit code ${code}`);
  }
  return buildInternalErrorStatus(kubelet.message ?? 'unknown error');
}

/**
 * The error-channel payload for a finished session under `protocol`: Status JSON for v4/v5
 * (translated for v5), the bare message for a failure under v1, nothing for a v1 success.
 */
export function encodeStatusPayload(kubelet: StreamStatus, protocol: string): string | undefined {
  if (!usesStatusJson(protocol)) return kubelet.status === 'Success' ? undefined : (kubelet.message ?? '');
  return JSON.stringify(protocol === CHANNEL_V5 ? translateStatusForV5(kubelet) : kubelet);
}
