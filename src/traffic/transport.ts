// Transport errors (no HTTP response) in one vocabulary for every sender: curl's exit codes from a
// pod (https://curl.se/libcurl/c/libcurl-errors.html, §8) and Node's error codes from this process.
// STRICT mTLS to a plaintext client resets (curl 56), REGISTRY_ONLY https fails the handshake
// (curl 35), an unknown name does not resolve (curl 6), a gateway without a listener refuses (7).

/** Why no HTTP response came back. */
export type TransportReason = 'refused' | 'reset' | 'tls' | 'dns' | 'timeout' | 'other';

/** A transport error as a probe sees it. */
export interface TransportError {
  reason: TransportReason;
  /** curl's exit code, when curl sent the request. */
  curlExitCode?: number;
  /** Node's error code (ECONNRESET, …), when this process sent it. */
  code?: string;
}

/** curl exit code → reason and phrase. 52 (empty reply) counts as a reset: the connection closed without a response. */
const CURL_EXITS: Record<number, [TransportReason, string]> = {
  6: ['dns', 'could not resolve host'],
  7: ['refused', 'failed to connect: connection refused'],
  28: ['timeout', 'timed out'],
  35: ['tls', 'TLS handshake failed'],
  52: ['reset', 'empty reply from server'],
  56: ['reset', 'connection reset'],
};

/** Node error code → reason and phrase. */
const NODE_CODES: Record<string, [TransportReason, string]> = {
  ECONNREFUSED: ['refused', 'connection refused'],
  ECONNRESET: ['reset', 'connection reset'],
  EPIPE: ['reset', 'connection reset'],
  ETIMEDOUT: ['timeout', 'timed out'],
  ENOTFOUND: ['dns', 'host not found'],
  EAI_AGAIN: ['dns', 'host not found'],
  EHOSTUNREACH: ['other', 'host unreachable'],
  ABORT_ERR: ['other', 'aborted'],
};

/** The transport error for a curl exit code, with its phrase, e.g. "connection reset (curl 56)". */
export function fromCurlExit(exitCode: number): { transport: TransportError; message: string } {
  const [reason, phrase] = CURL_EXITS[exitCode] ?? ['other', 'curl failed'];
  return { transport: { reason, curlExitCode: exitCode }, message: `${phrase} (curl ${exitCode})` };
}

/** The transport error for a Node client error, e.g. "connection reset (ECONNRESET)". */
export function fromNodeError(err: Error & { code?: string }): { transport: TransportError; message: string } {
  const known = err.code ? NODE_CODES[err.code] : undefined;
  if (!known) return { transport: { reason: 'other', code: err.code }, message: err.message };
  const transport: TransportError = { reason: known[0], code: err.code };
  if (err.message === 'socket hang up') return { transport, message: `${known[1]} (${err.code}, socket hang up)` };
  // Node's own messages name the code ("read ECONNRESET"); ours describe what happened ("no response within 30000 ms").
  return { transport, message: err.message.includes(err.code!) || err.name === 'AbortError' ? `${known[1]} (${err.code})` : `${err.message} (${err.code})` };
}

/** A reason as words, for messages. */
export function describeReason(reason: TransportReason | 'any'): string {
  const words: Record<TransportReason | 'any', string> = {
    any: 'any transport error',
    refused: 'connection refused',
    reset: 'connection reset or closed',
    tls: 'a TLS handshake failure',
    dns: 'a name that does not resolve',
    timeout: 'a timeout',
    other: 'another transport error',
  };
  return words[reason];
}
