// `istio-lab sandbox start|status|stop|kubeconfig` as a user runs them: a background process,
// state that survives stop/start, and no process left behind.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { isProcessAlive } from '../../src/sandbox/daemon.js';

const cli = join(process.cwd(), 'src/cli/main.ts');

function run(home: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', cli, ...args], { env: { ...process.env, ISTIO_LAB_HOME: home }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as any).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('sandbox lifecycle commands', () => {
  const homes: string[] = [];
  const newHome = () => {
    const h = mkdtempSync(join(tmpdir(), 'istio-lab-life-'));
    homes.push(h);
    return h;
  };
  after(async () => {
    for (const h of homes) {
      await run(h, ['sandbox', 'stop']);
      rmSync(h, { recursive: true, force: true });
    }
  });

  it('starts in the background, is idempotent, keeps objects across stop/start, and leaves no process', async () => {
    const home = newHome();
    const start = await run(home, ['sandbox', 'start']);
    assert.equal(start.code, 0, start.stderr);
    assert.match(start.stdout, /Sandbox started at https:\/\/127\.0\.0\.1:\d+ \(pid \d+\)/);
    const kubeconfigPath = join(home, 'sandbox', 'kubeconfig');
    assert.match(start.stdout, new RegExp(`export KUBECONFIG=${kubeconfigPath}`));
    assert.equal(statSync(kubeconfigPath).mode & 0o777, 0o600);
    assert.equal(statSync(join(home, 'sandbox')).mode & 0o777, 0o700);

    const again = await run(home, ['sandbox', 'start']);
    assert.match(again.stdout, /Sandbox already running/);
    const pid = Number(/pid (\d+)/.exec(start.stdout)![1]);
    assert.equal(Number(/pid (\d+)/.exec(again.stdout)![1]), pid);

    const kc = new k8s.KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'keep-me' }, data: { k: 'v' } } });

    const status = await run(home, ['sandbox', 'status']);
    assert.equal(status.code, 0);
    assert.match(status.stdout, new RegExp(`pid:\\s+${pid}`));
    assert.match(status.stdout, /configmaps\s+\d+/);

    const stop = await run(home, ['sandbox', 'stop']);
    assert.match(stop.stdout, /Sandbox stopped/);
    assert.equal(isProcessAlive(pid), false);
    const stopped = await run(home, ['sandbox', 'status']);
    assert.equal(stopped.code, 3);
    assert.match(stopped.stdout, /Sandbox: stopped/);

    const restart = await run(home, ['sandbox', 'start']);
    assert.equal(restart.code, 0, restart.stderr);
    const kc2 = new k8s.KubeConfig();
    kc2.loadFromFile(kubeconfigPath);
    const cm = await kc2.makeApiClient(k8s.CoreV1Api).readNamespacedConfigMap({ namespace: 'default', name: 'keep-me' });
    assert.deepEqual(cm.data, { k: 'v' });
    assert.equal((await run(home, ['sandbox', 'kubeconfig'])).stdout.trim(), kubeconfigPath);
    await run(home, ['sandbox', 'stop']);
  });

  it('runs two sandboxes with different homes side by side', async () => {
    const [a, b] = [newHome(), newHome()];
    const [sa, sb] = await Promise.all([run(a, ['sandbox', 'start']), run(b, ['sandbox', 'start'])]);
    assert.equal(sa.code, 0, sa.stderr);
    assert.equal(sb.code, 0, sb.stderr);
    const url = (s: string) => /at (https:\/\/\S+)/.exec(s)![1];
    assert.notEqual(url(sa.stdout), url(sb.stdout));
    const token = (h: string) => readFileSync(join(h, 'sandbox', 'token'), 'utf8');
    assert.notEqual(token(a), token(b));
  });

  it('explains what to do when no sandbox was ever started', async () => {
    const r = await run(newHome(), ['sandbox', 'kubeconfig']);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /no sandbox has been started under .*\n\s+fix: run `istio-lab sandbox start` first\./);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
