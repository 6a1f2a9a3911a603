import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { supportedCheckKinds } from '../../src/probes/index.js';

describe('probe registry', () => {
  it('runs every check kind', () => {
    assert.deepEqual(supportedCheckKinds().sort(), ['absent', 'command', 'envoy-stats', 'http', 'latency', 'load', 'logs', 'metrics', 'pods', 'resource', 'traffic']);
  });
});
