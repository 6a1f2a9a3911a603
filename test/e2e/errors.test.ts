// Every user-facing error path: one paragraph naming cause and fix, the documented exit code,
// no stack trace, nothing changed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, runCli } from '../helpers/cli.js';

const noStack = (s: string) => assert.doesNotMatch(s, /\n\s+at .+:\d+:\d+/);

describe('CLI error paths', () => {
  const env = isolatedEnv();
  const fixtureEnv = { ...env, ISTIO_LAB_ROOT: join(process.cwd(), 'test/fixtures/e2e-repo') };
  before(async () => {
    assert.equal((await runCli(['sandbox', 'start'], env)).code, 0);
  });
  after(async () => {
    await runCli(['sandbox', 'stop'], env);
  });

  it('an unreachable cluster exits 3 and says how to fix it', async () => {
    const kubeconfig = join(env.HOME!, 'unreachable.yaml');
    writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}\nusers:\n- name: u\n  user: {token: abc}\ncontexts:\n- name: kind-dead\n  context: {cluster: c, user: u}\ncurrent-context: kind-dead\n');
    const r = await runCli(['run', 'install', '--kubeconfig', kubeconfig], env);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /cannot reach the cluster at https:\/\/127\.0\.0\.1:1 \(context "kind-dead"\)/);
    assert.match(r.stderr, /fix: /);
    noStack(r.stderr);
  });

  it('a context missing from the kubeconfig exits 2 and lists the real ones', async () => {
    const kubeconfig = join(env.ISTIO_LAB_HOME!, 'sandbox', 'kubeconfig');
    const r = await runCli(['verify', 'install', '--kubeconfig', kubeconfig, '--context', 'prod-eu'], env);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /context "prod-eu" is not in the kubeconfig .*it has: istio-lab-sandbox/);
    noStack(r.stderr);
  });

  it('refuses to change a non-disposable context without --yes when not interactive', async () => {
    const kubeconfig = join(env.HOME!, 'prod.yaml');
    writeFileSync(kubeconfig, readFileSync(join(env.ISTIO_LAB_HOME!, 'sandbox', 'kubeconfig'), 'utf8').replaceAll('istio-lab-sandbox', 'gke_prod_cluster'));
    const r = await runCli(['run', 'install', '--kubeconfig', kubeconfig], env);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /refusing to apply labs to context "gke_prod_cluster"/);
    assert.match(r.stderr, /pass --yes/);
    noStack(r.stderr);
  });

  it('a malformed lab exits 2 naming file:line:column and the field', async () => {
    const r = await runCli(['run', 'broken'], fixtureEnv);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /labs\/core\/broken\.yaml:\d+:\d+ steps\[0\]\.wait\[0\]\.kind: /);
    noStack(r.stderr);
  });

  it('an unknown lab exits 2 and suggests near names', async () => {
    const r = await runCli(['run', 'instal'], env);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /unknown lab "instal"; did you mean core\/install/);
  });

  it('an unknown option exits 2 with usage help', async () => {
    const r = await runCli(['run', '--frobnicate'], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown option '--frobnicate'/);
  });

  it('--debug adds the stack trace', async () => {
    const r = await runCli(['run', 'install', '--context', 'nope', '--kubeconfig', join(env.ISTIO_LAB_HOME!, 'sandbox', 'kubeconfig'), '--debug'], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\n\s+at /);
  });
});
