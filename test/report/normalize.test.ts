// The golden-file normaliser: placeholders for durations, temp paths, ports and timestamps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeOutput } from '../golden/golden.js';

test('durations become <dur>, other numbers stay', () => {
  assert.equal(normalizeOutput('took 1.2s, 340ms and 2m05s; 3 attempts, 41%, v1.2 sample5s'), 'took <dur>, <dur> and <dur>; 3 attempts, 41%, v1.2 sample5s');
  assert.equal(normalizeOutput('\x1b[2m(12.3s)\x1b[22m \x1b[32m5ms\x1b[39m'), '␛[2m(<dur>)␛[22m ␛[32m<dur>␛[39m');
  assert.equal(normalizeOutput('\x1b[22m12s'), '␛[22m<dur>');
});

test('temp paths, loopback ports and ISO timestamps', () => {
  assert.equal(normalizeOutput(`wrote ${join(tmpdir(), 'istio-lab-abc123', 'out', 'r.json')}`), 'wrote <tmp>/out/r.json');
  assert.equal(normalizeOutput('https://127.0.0.1:41234/api localhost:8080 [::1]:9 10.0.0.1:443'), 'https://127.0.0.1:<port>/api localhost:<port> [::1]:<port> 10.0.0.1:443');
  assert.equal(normalizeOutput('at 2024-01-02T03:04:05.678Z and 2024-01-02T03:04:05 and 2024-01-02T03:04:05+02:00'), 'at <time> and <time> and <time>');
});

test('CRLF becomes LF', () => {
  assert.equal(normalizeOutput('a\r\nb'), 'a\nb');
});
