// detectTerminal: spinner and colour decisions from the stream and an injected env.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectTerminal, isCi } from '../../src/report/terminal.js';
import { CaptureStream, FakeTtyStream } from './streams.js';

test('interactive TTY: spinner on, colour from the stream depth', () => {
  assert.deepEqual(detectTerminal(new FakeTtyStream(), {}), { spinner: true, colorLevel: 2 });
});

test('non-TTY, CI, TERM=dumb and NO_COLOR turn spinner and colour off', () => {
  const off = { spinner: false, colorLevel: 0 };
  assert.deepEqual(detectTerminal(new CaptureStream(), {}), off);
  assert.deepEqual(detectTerminal(new FakeTtyStream(), { CI: 'true' }), off);
  assert.deepEqual(detectTerminal(new FakeTtyStream(), { TERM: 'dumb' }), off);
  assert.deepEqual(detectTerminal(new FakeTtyStream(), { NO_COLOR: '1' }), off);
});

test('NO_COLOR set to an empty string is ignored (no-color.org)', () => {
  assert.equal(detectTerminal(new FakeTtyStream(), { NO_COLOR: '' }).spinner, true);
});

test('FORCE_COLOR sets the level, wins over NO_COLOR, never enables spinners off a TTY', () => {
  assert.deepEqual(detectTerminal(new CaptureStream(), { FORCE_COLOR: '1' }), { spinner: false, colorLevel: 1 });
  assert.deepEqual(detectTerminal(new CaptureStream(), { FORCE_COLOR: '' }), { spinner: false, colorLevel: 1 });
  assert.deepEqual(detectTerminal(new CaptureStream(), { FORCE_COLOR: 'true' }), { spinner: false, colorLevel: 1 });
  assert.deepEqual(detectTerminal(new FakeTtyStream(), { FORCE_COLOR: '3', NO_COLOR: '1' }), { spinner: true, colorLevel: 3 });
  assert.deepEqual(detectTerminal(new FakeTtyStream(), { FORCE_COLOR: '0' }), { spinner: false, colorLevel: 0 });
  assert.deepEqual(detectTerminal(new FakeTtyStream(), { FORCE_COLOR: 'false' }), { spinner: false, colorLevel: 0 });
  assert.deepEqual(detectTerminal(new FakeTtyStream(), { FORCE_COLOR: '2', CI: '1' }), { spinner: false, colorLevel: 2 });
});

test('isCi accepts the usual spellings', () => {
  assert.equal(isCi({ CI: 'true' }), true);
  assert.equal(isCi({ CI: '1' }), true);
  assert.equal(isCi({ CI: 'false' }), false);
  assert.equal(isCi({ CI: '0' }), false);
  assert.equal(isCi({ CI: '' }), false);
  assert.equal(isCi({}), false);
});
