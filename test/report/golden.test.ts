// Golden files for every reporter, in TTY and non-TTY mode, over every scripted scenario.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectGolden } from '../golden/golden.js';
import { scenarios } from './scenarios.js';
import { CaptureStream, FakeTtyStream, replay } from './streams.js';

for (const [name, events] of Object.entries(scenarios)) {
  test(`${name}: pretty on a TTY (spinners, FORCE_COLOR=1)`, async () => {
    const out = await replay([], events(), { stdout: new FakeTtyStream(), env: { FORCE_COLOR: '1', TERM: 'xterm-256color' } });
    expectGolden(`pretty-tty-${name}`, out);
  });

  test(`${name}: explicit pretty without a TTY (no spinner, no colour)`, async () => {
    const out = await replay(['pretty'], events(), { stdout: new CaptureStream() });
    expectGolden(`pretty-notty-${name}`, out);
  });

  test(`${name}: default without a TTY is plain`, async () => {
    const out = await replay([], events(), { stdout: new CaptureStream() });
    expectGolden(`plain-${name}`, out);
    assert.equal(await replay(['plain'], events(), { stdout: new CaptureStream() }), out);
  });

  test(`${name}: json and junit files (written at close, stdout keeps the default)`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'istio-lab-report-'));
    try {
      const stdout = new CaptureStream();
      await replay(['json=out/report.json', 'junit=out/junit.xml'], events(), { stdout, cwd: dir });
      expectGolden(`json-${name}`, readFileSync(join(dir, 'out/report.json'), 'utf8'));
      expectGolden(`junit-${name}`, readFileSync(join(dir, 'out/junit.xml'), 'utf8'));
      assert.match(stdout.text, /^\d+ passed, \d+ failed, \d+ skipped$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
