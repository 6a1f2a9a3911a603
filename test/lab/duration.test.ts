import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDuration, parseDuration } from '../../src/lab/duration.js';

describe('parseDuration', () => {
  it('parses single and compound durations to milliseconds', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('3s'), 3000);
    assert.equal(parseDuration('2m'), 120_000);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('1m30s'), 90_000);
    assert.equal(parseDuration('1.5s'), 1500);
  });

  it('rejects numbers without units and unknown units', () => {
    for (const bad of ['5', '5x', '', 's', '1d', '-1s', ' 1s']) {
      assert.equal(isDuration(bad), false, bad);
      assert.throws(() => parseDuration(bad), /expected a duration/);
    }
  });
});
