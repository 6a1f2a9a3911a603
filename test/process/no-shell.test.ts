// Nothing from a lab reaches a shell: execa has one door (src/process), programs run from an
// allow-list with argument arrays and `shell: false`, and a lab's `command` check with shell
// metacharacters in its args reaches the program literally, through the real CLI.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';
import { parseLab, SCHEMA_COMMENT } from '../../src/lab/parse.js';
import { ALLOWED_PROGRAMS } from '../../src/process/index.js';
import { isolatedEnv } from '../helpers/cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/** Every .ts file under a folder. */
function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listSources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

const SUBPROCESS_IMPORT = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"](execa|(?:node:)?child_process)['"]/g;

describe('subprocesses have one door', () => {
  it('execa is imported only in src/process/, child_process only there and in the sandbox daemon launcher', () => {
    const found = listSources(join(process.cwd(), 'src')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(SUBPROCESS_IMPORT)].map((m) => `${relative(process.cwd(), file)}: ${m[1]}`),
    );
    assert.deepEqual(found.sort(), ['src/process/run-program.ts: execa', 'src/sandbox/daemon.ts: node:child_process']);
    // The daemon launcher re-runs this same Node binary with fixed arguments; nothing from a lab.
    const daemon = readFileSync(join(process.cwd(), 'src/sandbox/daemon.ts'), 'utf8');
    assert.deepEqual([...daemon.matchAll(/spawn\(([^,]+),/g)].map((m) => m[1]), ['process.execPath']);
  });

  it('no source turns a shell on, and src/process runs programs with an argument array and shell: false', () => {
    // Only the two doors above can start a process (the sandbox's `sh` is an in-process emulation).
    for (const file of ['src/process/run-program.ts', 'src/sandbox/daemon.ts']) {
      assert.doesNotMatch(readFileSync(join(process.cwd(), file), 'utf8'), /shell\s*:(?!\s*false)|execaCommand|\$`|execSync|execFileSync|spawnSync|\bexec\(/, file);
    }
    const runner = readFileSync(join(process.cwd(), 'src/process/run-program.ts'), 'utf8');
    assert.match(runner, /execa\(path, \[\.\.\.args\], \{\s*shell: false,/);
    assert.deepEqual([...ALLOWED_PROGRAMS], ['istioctl', 'kubectl']);
  });

  it('the lab schema only names allow-listed programs, and the error points at the field', () => {
    for (const program of ['sh', '/bin/sh', 'bash', 'kubectl; rm -rf /', '$(which kubectl)', 'node', './kubectl']) {
      const text = `${SCHEMA_COMMENT}\nname: x\ntitle: X\ntrack: core\nsummary: s\nscope: namespace\nsteps:\n  - name: one\n    title: One\n    instructions: i\n    checks:\n      - kind: command\n        program: ${JSON.stringify(program)}\n        args: [version]\n`;
      const r = parseLab(text, 'labs/core/x.yaml');
      assert.ok(!r.ok, program);
      assert.equal(r.errors.length, 1);
      assert.ok(String(r.errors[0]).startsWith(`labs/core/x.yaml:13:9 steps[0].checks[0].program: expected one of: istioctl, kubectl (got ${JSON.stringify(program)})`), String(r.errors[0]));
    }
  });
});

describe('a lab command check with shell metacharacters, through the real CLI', () => {
  let sb: TestSandbox;
  let dir = '';
  before(async () => {
    sb = await startTestSandbox();
    dir = mkdtempSync(join(tmpdir(), 'istio-lab-noshell-'));
  });
  after(async () => {
    await sb.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes every argument literally to the allow-listed program: nothing is expanded, run or redirected', async () => {
    const canary = join(dir, 'canary');
    const victim = join(dir, 'victim');
    mkdirSync(canary);
    writeFileSync(victim, 'still here');
    const hostile = [
      `; rm -f ${victim}`,
      `$(touch ${canary}/dollar)`,
      `\`touch ${canary}/backtick\``,
      `| touch ${canary}/pipe`,
      `&& touch ${canary}/and`,
      `> ${canary}/redirect`,
      `x\ntouch ${canary}/newline`,
      '$HOME',
      '*',
      "'single' \"double\" \\",
    ];
    // The fixture "kubectl" records its argv NUL-separated and prints a marker the check expects.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'kubectl'), `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done > ${join(dir, 'argv')}\necho fixture-ran\n`);
    chmodSync(join(bin, 'kubectl'), 0o755);
    const repo = join(dir, 'repo');
    mkdirSync(join(repo, 'labs/shell'), { recursive: true });
    mkdirSync(join(repo, 'manifests'));
    const lab = [
      SCHEMA_COMMENT,
      'name: metachars',
      'title: Metacharacters',
      'track: shell',
      'summary: A command check whose arguments look like shell.',
      'scope: namespace',
      'steps:',
      '  - name: one',
      '    title: One',
      '    instructions: Nothing to do.',
      '    checks:',
      '      - kind: command',
      '        program: kubectl',
      `        args: ${JSON.stringify(['get', ...hostile])}`,
      '        expect: { stdoutContains: fixture-ran }',
      '',
    ].join('\n');
    writeFileSync(join(repo, 'labs/shell/metachars.yaml'), lab);
    const env = isolatedEnv({ ISTIO_LAB_ROOT: repo, PATH: `${bin}${delimiter}${process.env.PATH}` });
    // Run from the scratch folder, so that even a shell, were there one, could only litter it.
    const r = await new Promise<{ code: number; out: string }>((resolve) =>
      execFile(process.execPath, [join(process.cwd(), 'bin/istio-lab.js'), 'run', 'shell/metachars', '--kubeconfig', sb.handle.kubeconfigPath, '--reporter', 'plain'], { cwd: dir, env }, (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: `${stdout}\n${stderr}` }),
      ),
    );
    assert.equal(r.code, 0, r.out);
    const argv = readFileSync(join(dir, 'argv'), 'utf8').split('\0').slice(0, -1);
    assert.deepEqual(argv, ['--context', 'istio-lab-sandbox', 'get', ...hostile]);
    assert.equal(readFileSync(victim, 'utf8'), 'still here');
    assert.deepEqual(readdirSync(canary), []);
    assert.deepEqual(readdirSync(dir).sort(), ['argv', 'bin', 'canary', 'repo', 'victim']);
  });
});
