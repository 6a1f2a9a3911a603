// One transport-error vocabulary for curl exit codes (from pods) and Node errors (from this process).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fromCurlExit, fromNodeError, parseCurlOutput } from '../../src/traffic/index.js';

describe('transport errors', () => {
  it('maps curl exit codes to reasons (§8: 6, 7, 28, 35, 52, 56)', () => {
    const reasons = [6, 7, 28, 35, 52, 56, 60].map((code) => [code, fromCurlExit(code).transport.reason, fromCurlExit(code).message]);
    assert.deepEqual(reasons, [
      [6, 'dns', 'could not resolve host (curl 6)'],
      [7, 'refused', 'failed to connect: connection refused (curl 7)'],
      [28, 'timeout', 'timed out (curl 28)'],
      [35, 'tls', 'TLS handshake failed (curl 35)'],
      [52, 'reset', 'empty reply from server (curl 52)'],
      [56, 'reset', 'connection reset (curl 56)'],
      [60, 'other', 'curl failed (curl 60)'],
    ]);
  });

  it('maps Node client errors, keeping our own timeout text', () => {
    const err = (message: string, code?: string, name = 'Error') => Object.assign(new Error(message), { code, name });
    assert.deepEqual(fromNodeError(err('connect ECONNREFUSED 127.0.0.1:80', 'ECONNREFUSED')), { transport: { reason: 'refused', code: 'ECONNREFUSED' }, message: 'connection refused (ECONNREFUSED)' });
    assert.equal(fromNodeError(err('socket hang up', 'ECONNRESET')).message, 'connection reset (ECONNRESET, socket hang up)');
    assert.deepEqual(fromNodeError(err('no response within 50 ms', 'ETIMEDOUT')), { transport: { reason: 'timeout', code: 'ETIMEDOUT' }, message: 'no response within 50 ms (ETIMEDOUT)' });
    assert.equal(fromNodeError(err('getaddrinfo ENOTFOUND nowhere', 'ENOTFOUND')).transport.reason, 'dns');
    assert.equal(fromNodeError(err('The operation was aborted', 'ABORT_ERR', 'AbortError')).message, 'aborted (ABORT_ERR)');
    assert.deepEqual(fromNodeError(err('weird')), { transport: { reason: 'other', code: undefined }, message: 'weird' });
  });

  it('parses curl\'s 000 with its exit code into a status-0 response with the reason', () => {
    const [r] = parseCurlOutput('\n@@istio-lab@@ 000 0.004000 56\n');
    assert.deepEqual(r, { status: 0, headers: {}, body: '', latencyMs: 4, error: 'connection reset (curl 56)', transport: { reason: 'reset', curlExitCode: 56 } });
    const [old] = parseCurlOutput('\n@@istio-lab@@ 000 0.004100\n');
    assert.equal(old.transport, undefined, 'a curl without %{exitcode} (< 7.75) cannot say why');
  });
});
