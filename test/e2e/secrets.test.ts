// Secrets never leave the kubeconfig: a kubeconfig with planted, recognisable credentials (a bearer
// token, a client key, a basic-auth password) in users istio-lab does not use, and contexts whose
// user carries them (so the sandbox answers 401), is used by every command, in every reporter,
// with --debug, on success and failure paths. Everything the CLI prints or writes is scanned for
// the planted values and for the sandbox's real token and key.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join, relative } from 'node:path';
import { generatePki } from '../../src/sandbox/pki.js';
import { SCHEMA_COMMENT } from '../../src/lab/parse.js';
import { isolatedEnv, runCli, type CliResult } from '../helpers/cli.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');
/** The base64 body of a PEM block, without header lines or newlines. */
const pemBody = (pem: string) => pem.split('\n').filter((l) => l && !l.startsWith('-----')).join('');

/** The two labs: one that passes, one whose command check prints the kubeconfig it was given. */
function writeRepo(root: string): void {
  const header = (name: string) => [SCHEMA_COMMENT, `name: ${name}`, `title: ${name}`, 'track: secrets', 'summary: Secrets test.', 'scope: namespace', 'steps:', '  - name: one', '    title: One', '    instructions: Apply a ConfigMap.'];
  const basic = [...header('basic'), '    actions:', '      - kind: apply', '        inline: { apiVersion: v1, kind: ConfigMap, metadata: { name: secrets-basic }, data: { a: b } }', '    checks:', '      - kind: resource', '        target: { apiVersion: v1, kind: ConfigMap, name: secrets-basic }', '        match: { data: { a: b } }'];
  const leaky = [
    ...header('leaky'),
    '    checks:',
    '      - kind: command',
    '        name: a passing check whose first line of output is every token',
    '        program: kubectl',
    "        args: [config, view, --raw, -o, 'jsonpath={.users[*].user.token}']",
    '      - kind: command',
    '        name: a failing check whose output tail is the users of the kubeconfig',
    '        program: kubectl',
    '        args: [config, view, --raw]',
    '        expect: { stdoutContains: not-in-the-output }',
    '        eventually: { timeout: 1s, interval: 500ms }',
  ];
  mkdirSync(join(root, 'labs/secrets'), { recursive: true });
  mkdirSync(join(root, 'manifests'));
  writeFileSync(join(root, 'labs/secrets/basic.yaml'), `${basic.join('\n')}\n`);
  writeFileSync(join(root, 'labs/secrets/leaky.yaml'), `${leaky.join('\n')}\n`);
}

/** Every file under a folder, except the sandbox's own credential files (which hold its token and key by design). */
function listWrittenFiles(dir: string, exclude: Set<string>): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (exclude.has(path)) return [];
    return e.isDirectory() ? listWrittenFiles(path, exclude) : statSync(path).size < 16 * 1024 * 1024 ? [path] : [];
  });
}

describe('secrets from kubeconfigs never appear in output, reports, errors or debug logs', () => {
  const env = isolatedEnv();
  const home = env.HOME!;
  const sandboxDir = join(env.ISTIO_LAB_HOME!, 'sandbox');
  const canaryToken = `istio-lab-canary-token-${randomBytes(12).toString('hex')}`;
  const canaryPassword = `istio-lab-canary-password-${randomBytes(12).toString('hex')}`;
  const reports = join(home, 'reports');
  const outputs: { what: string; text: string }[] = [];
  let secrets: Record<string, string> = {};
  let good = '';

  /** Runs the CLI, records what it printed, and checks the exit code. */
  async function cli(args: string[], code: number | number[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> {
    const r = await runCli(args, { ...env, ...extraEnv }, 90_000);
    outputs.push({ what: `istio-lab ${args.join(' ')} (stdout)`, text: r.stdout }, { what: `istio-lab ${args.join(' ')} (stderr)`, text: r.stderr });
    assert.ok([code].flat().includes(r.code), `istio-lab ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
    return r;
  }

  before(async () => {
    assert.equal((await runCli(['sandbox', 'start'], env)).code, 0);
    const token = readFileSync(join(sandboxDir, 'token'), 'utf8').trim();
    const sandboxKubeconfig = readFileSync(join(sandboxDir, 'kubeconfig'), 'utf8');
    const server = /server: (\S+)/.exec(sandboxKubeconfig)![1];
    const caData = /certificate-authority-data: (\S+)/.exec(sandboxKubeconfig)![1];
    const planted = await generatePki();
    secrets = {
      'planted token': canaryToken,
      'planted password': canaryPassword,
      'planted client key (PEM body)': pemBody(planted.serverKey).slice(20, 84),
      'planted client key (client-key-data)': b64(planted.serverKey).slice(20, 84),
      'sandbox token': token,
      'sandbox serving key': pemBody(readFileSync(join(sandboxDir, 'apiserver.key'), 'utf8')).slice(20, 84),
    };
    const cluster = (name: string, url: string) => [`- name: ${name}`, '  cluster:', `    server: ${url}`, `    certificate-authority-data: ${caData}`];
    good = join(home, 'planted-kubeconfig.yaml');
    writeFileSync(good, [
      'apiVersion: v1', 'kind: Config', 'clusters:', ...cluster('sandbox', server), ...cluster('dead', 'https://127.0.0.1:1'),
      'contexts:',
      '- name: istio-lab-sandbox', '  context: { cluster: sandbox, user: sandbox-user }',
      '- name: kind-bad-token', '  context: { cluster: sandbox, user: planted-token }',
      '- name: kind-bad-cert', '  context: { cluster: sandbox, user: planted-cert }',
      '- name: kind-bad-basic', '  context: { cluster: sandbox, user: planted-basic }',
      '- name: kind-unreachable', '  context: { cluster: dead, user: planted-token }',
      'current-context: istio-lab-sandbox',
      // Users last, so the tail of `kubectl config view --raw` a failed check shows holds credentials.
      'users:',
      '- name: sandbox-user', '  user:', `    token: ${token}`,
      '- name: planted-cert', '  user:', `    client-certificate-data: ${b64(planted.serverCert)}`, `    client-key-data: ${b64(planted.serverKey)}`,
      '- name: planted-basic', '  user:', '    username: admin', `    password: ${canaryPassword}`,
      '- name: planted-token', '  user:', `    token: ${canaryToken}`, '',
    ].join('\n'), { mode: 0o600 });
    // A stand-in for `kubectl config view --raw`: prints the kubeconfig it is handed.
    const bin = join(home, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'kubectl'), [
      '#!/bin/sh',
      'case " $* " in',
      '  *jsonpath*) grep -E "token: |password: " "$KUBECONFIG" | sed "s/.*: //" | tr "\\n" " ";;',
      '  *" view "*) cat "$KUBECONFIG";;',
      'esac',
      '',
    ].join('\n'));
    chmodSync(join(bin, 'kubectl'), 0o755);
    const repo = join(home, 'repo');
    writeRepo(repo);
    Object.assign(env, { ISTIO_LAB_ROOT: repo, PATH: `${bin}${delimiter}${process.env.PATH}` });
  });
  after(async () => {
    await runCli(['sandbox', 'stop'], env);
    rmSync(home, { recursive: true, force: true });
  });

  it('runs, verifies and resets in every reporter, with and without --debug', async () => {
    const k = ['--kubeconfig', good];
    await cli(['run', 'secrets/basic', ...k, '--reporter', 'pretty', '--reporter', `json=${reports}/run.json`, '--reporter', `junit=${reports}/run.xml`], 0);
    await cli(['--debug', 'run', 'secrets/basic', ...k, '--reporter', 'plain'], 0);
    await cli(['run', 'secrets/basic', '--reporter', 'json'], 0, { KUBECONFIG: good });
    await cli(['--debug', 'run', 'secrets/basic', ...k, '--reporter', 'junit'], 0);
    await cli(['--debug', 'run', 'secrets/leaky', ...k, '--reporter', 'json', '--reporter', `junit=${reports}/leaky.xml`], 1);
    await cli(['run', 'secrets/leaky', ...k, '--reporter', 'plain', '--reporter', `json=${reports}/leaky.json`], 1);
    await cli(['run', 'secrets/leaky', ...k, '--reporter', 'pretty'], 1);
    await cli(['verify', 'secrets/basic', ...k, '--reporter', 'plain', '--reporter', `junit=${reports}/verify.xml`], 0);
    await cli(['--debug', 'verify', ...k, '--reporter', 'json'], [0, 1]);
    await cli(['doctor', ...k], [0, 1]);
    await cli(['--debug', 'doctor', ...k, '-o', 'json'], [0, 1]);
    await cli(['--debug', 'reset', ...k], 0);
  });

  it('fails cleanly with the planted credentials (401), an unreachable cluster and a wrong context', async () => {
    const k = ['--kubeconfig', good];
    const contexts = ['kind-bad-token', 'kind-bad-cert', 'kind-bad-basic', 'kind-unreachable'];
    const runs = await Promise.all(contexts.map((context) => cli(['--debug', 'run', 'secrets/basic', ...k, '--context', context, '--reporter', 'json', '--reporter', `junit=${reports}/${context}.xml`], 3)));
    for (const [i, r] of runs.entries()) {
      // The sandbox asks for no client certificate, so kind-bad-cert is refused at its first authenticated call.
      assert.match(r.stderr, contexts[i] === 'kind-unreachable' ? /cannot reach the cluster/ : /refused istio-lab's credentials (part-way through )?\(HTTP 401/, contexts[i]);
    }
    await Promise.all([
      cli(['verify', 'secrets/basic', ...k, '--context', 'kind-bad-token', '--reporter', 'plain'], 3),
      cli(['--debug', 'reset', ...k, '--context', 'kind-bad-basic'], 3),
      // doctor reports a refused client certificate per check (exit 1): /version is open to anonymous callers.
      cli(['--debug', 'doctor', ...k, '--context', 'kind-bad-cert', '-o', 'json'], 1),
      cli(['doctor', ...k, '--context', 'kind-unreachable'], 3),
      cli(['--debug', 'doctor', ...k, '--context', 'kind-bad-token'], 3),
    ]);
    const wrong = await cli(['--debug', 'run', 'secrets/basic', ...k, '--context', 'prod'], 2);
    assert.match(wrong.stderr, /context "prod" is not in the kubeconfig/);
  });

  it('lists, shows, validates and reports on the sandbox without printing a credential', async () => {
    await cli(['list'], 0, { KUBECONFIG: good });
    await cli(['--debug', 'show', 'secrets/leaky'], 0, { KUBECONFIG: good });
    await cli(['validate'], [0, 2], { KUBECONFIG: good });
    await cli(['sandbox', 'status'], 0);
    await cli(['sandbox', 'status', '-o', 'json'], 0);
    // `sandbox kubeconfig` prints the file's path (README: export KUBECONFIG=$(istio-lab sandbox kubeconfig)), never its contents.
    const path = await cli(['sandbox', 'kubeconfig'], 0);
    assert.equal(path.stdout, `${join(sandboxDir, 'kubeconfig')}\n`);
  });

  it('nothing printed or written contains a planted or sandbox secret, or an Authorization header', () => {
    const exclude = new Set([good, join(home, 'bin'), join(home, 'repo'), ...['kubeconfig', 'token', 'apiserver.key'].map((f) => join(sandboxDir, f))]);
    const files = listWrittenFiles(home, exclude);
    assert.ok(files.some((f) => f.endsWith('leaky.json')) && files.some((f) => f.endsWith('run.xml')), `report files missing: ${files.join(', ')}`);
    const scanned = [...outputs, ...files.map((f) => ({ what: relative(home, f), text: readFileSync(f, 'utf8') }))];
    assert.ok(scanned.length > 50, `only ${scanned.length} outputs scanned`);
    const leaks = scanned.flatMap(({ what, text }) => [
      ...Object.entries(secrets).filter(([, value]) => text.includes(value)).map(([name]) => `${name} in ${what}`),
      ...(/authorization:|bearer /i.test(text) ? [`an Authorization header in ${what}`] : []),
    ]);
    assert.deepEqual(leaks, []);
    const leaky = readFileSync(join(reports, 'leaky.json'), 'utf8');
    assert.match(leaky, /\[redacted\]/, 'the kubeconfig the check printed should be in the report, redacted');
  });
});
