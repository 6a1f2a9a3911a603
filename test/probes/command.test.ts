import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCommandProbe, withContext } from '../../src/probes/command.js';
import { runProgram, type RunOptions } from '../../src/process/index.js';
import { runCheck } from '../../src/runner/check.js';
import { createContext, createFakeCluster, parseCheck } from './helpers.js';

/** A tiny fixture "istioctl": prints its arguments one per line and KUBECONFIG, exits with $FIXTURE_EXIT. */
function fixtureProgram(): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'istio-lab-cmd-'));
  const path = join(dir, 'istioctl');
  writeFileSync(path, `#!/bin/sh\nfor a in "$@"; do echo "arg:$a"; done\necho "kubeconfig:$KUBECONFIG"\necho "warning" >&2\nexit \${FIXTURE_EXIT:-0}\n`);
  chmodSync(path, 0o755);
  return { dir, path };
}

describe('command probe and src/process', () => {
  it('runs the program without a shell: arguments arrive verbatim', async () => {
    const { dir, path } = fixtureProgram();
    try {
      const r = await runProgram('istioctl', ['analyze', '$(id)', 'a b', "'q'"], { locate: async () => path });
      assert.equal(r.missing, false);
      if (r.missing) return;
      assert.equal(r.exitCode, 0);
      assert.match(r.stdout, /^arg:analyze\narg:\$\(id\)\narg:a b\narg:'q'\n/);
      assert.equal(r.stderr, 'warning\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses programs that are not allow-listed', async () => {
    await assert.rejects(runProgram('bash' as never, ['-c', 'true']), /not an allowed program/);
  });

  it('checks exit code and output, with the cluster context and kubeconfig', async () => {
    const { dir, path } = fixtureProgram();
    try {
      const run = (program: 'istioctl' | 'kubectl', args: string[], opts: RunOptions) => runProgram(program, args, { ...opts, locate: async () => path });
      const probe = createCommandProbe({ run, kubeconfig: () => '/tmp/kc.yaml' });
      const ok = await probe(parseCheck({ kind: 'command', program: 'istioctl', args: ['analyze', '-n', 'default'], expect: { stdoutContains: 'arg:analyze', stderrContains: 'warning' } }), createContext(createFakeCluster([])));
      assert.equal(ok.ok, true, ok.message);
      const bad = await probe(parseCheck({ kind: 'command', program: 'istioctl', args: ['analyze'], expect: { stdoutNotContains: 'kubeconfig:/tmp/kc.yaml' } }), createContext(createFakeCluster([])));
      assert.equal(bad.ok, false);
      assert.match(bad.message, /stdout contains "kubeconfig:\/tmp\/kc\.yaml"/);
      assert.match(String(bad.observed), /arg:--context\narg:kind-lab/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps a context the lab chose', () => {
    const target = { context: 'kind-lab', server: '', sandbox: false, disposable: true, namespace: 'default' };
    assert.deepEqual(withContext(['proxy-status'], target), ['--context', 'kind-lab', 'proxy-status']);
    assert.deepEqual(withContext(['--context=other', 'version'], target), ['--context=other', 'version']);
  });

  it('is skipped, with the reason, when the program is not installed; the runner does not retry it', async () => {
    const previous = process.env.PATH;
    process.env.PATH = mkdtempSync(join(tmpdir(), 'istio-lab-empty-path-'));
    try {
      const check = parseCheck({ kind: 'command', program: 'istioctl', args: ['analyze'], eventually: { timeout: '5s', interval: '1s' } });
      const outcome = await runCheck(check, createContext(createFakeCluster([])));
      assert.equal(outcome.status, 'skipped');
      assert.equal(outcome.message, 'istioctl is not installed (not on PATH)');
      assert.equal(outcome.attempts, 1);
    } finally {
      process.env.PATH = previous;
    }
  });
});
