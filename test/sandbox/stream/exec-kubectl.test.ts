// pods/exec and pods/attach through the real kubectl (/usr/bin/kubectl) over TLS + WebSocket.
// /usr/bin/kubectl is the Cloud SDK dispatcher, which runs the kubectl release matching the
// server's /version, so each suite runs against a cluster reporting that release.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { POD, startFakeCluster, type FakeCluster } from './fake-cluster.js';
import { createFakeShell, type FakeShell } from './fake-shell.js';
import { runKubectl } from './run-kubectl.js';

for (const minor of [30, 32]) {
  describe(`exec via kubectl 1.${minor}`, { timeout: 120_000 }, () => {
    let cluster: FakeCluster;
    let shell: FakeShell;

    before(async () => {
      shell = createFakeShell(POD.name);
      cluster = await startFakeCluster(shell.run, undefined, minor);
    });
    after(() => cluster.close());

    it(`runs kubectl 1.${minor}`, async () => {
      const result = await runKubectl(cluster, ['version']);
      assert.equal(result.code, 0);
      assert.match(result.stdout, new RegExp(`^Client Version: v1\\.${minor}\\.`));
    });

    it('runs a command over v5.channel.k8s.io after discovery and a pod GET', async () => {
      cluster.requests.length = 0;
      const result = await runKubectl(cluster, ['exec', POD.name, '--', 'hostname']);
      assert.deepEqual(result, { code: 0, stdout: 'web-0\n', stderr: '' });
      const upgrade = cluster.requests.find((r) => r.upgrade);
      assert.equal(upgrade?.method, 'GET');
      assert.equal(upgrade?.upgrade, 'websocket');
      assert.equal(upgrade?.protocols, 'v5.channel.k8s.io');
      assert.equal(
        upgrade?.url,
        `/api/v1/namespaces/${POD.namespace}/pods/${POD.name}/exec?command=hostname&container=app&stderr=true&stdout=true`,
      );
      assert.ok(cluster.requests.some((r) => r.url === `/api/v1/namespaces/${POD.namespace}/pods/${POD.name}`));
    });

    it('keeps stdout and stderr apart', async () => {
      const result = await runKubectl(cluster, ['exec', POD.name, '--', 'sh', '-c', 'echo out; echo err >&2']);
      assert.deepEqual(result, { code: 0, stdout: 'out\n', stderr: 'err\n' });
    });

    it('pipes stdin with -i and finishes when it ends', async () => {
      const result = await runKubectl(cluster, ['exec', '-i', POD.name, '--', 'cat'], 'line one\nline two\n');
      assert.deepEqual(result, { code: 0, stdout: 'line one\nline two\n', stderr: '' });
      assert.equal(shell.calls.at(-1)?.hasStdin, true);
    });

    it("exits with the command's exit code", async () => {
      const result = await runKubectl(cluster, ['exec', POD.name, '--', 'sh', '-c', 'exit 3']);
      assert.equal(result.code, 3);
      assert.equal(result.stdout, '');
      assert.equal(result.stderr, 'command terminated with exit code 3\n');
    });

    it('exits 127 with the shell message for an unknown command', async () => {
      const result = await runKubectl(cluster, ['exec', POD.name, '--', 'sh', '-c', 'foo']);
      assert.equal(result.code, 127);
      assert.equal(result.stderr, 'sh: foo: not found\ncommand terminated with exit code 127\n');
    });

    it('prints an internal error like a real cluster when the runtime cannot start the command', async () => {
      const result = await runKubectl(cluster, ['exec', POD.name, '--', 'nosuchcmd']);
      assert.equal(result.code, 1);
      assert.match(
        result.stderr,
        /^error: Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: .*exec: "nosuchcmd": executable file not found in \$PATH: unknown\n$/,
      );
    });

    it('attaches with -i, echoing stdin until it ends', async () => {
      const result = await runKubectl(cluster, ['attach', '-i', POD.name], 'ping\n');
      assert.equal(result.code, 0);
      assert.equal(result.stdout, 'ping\n');
      assert.deepEqual(shell.calls.at(-1)?.argv, []);
    });

    it('aborts the handler when kubectl is killed mid-command', async () => {
      const before = shell.calls.length;
      const child = spawn('kubectl', ['--kubeconfig', cluster.kubeconfigPath, 'exec', POD.name, '--', 'sleep', 'infinity'], {
        env: { ...process.env, HOME: cluster.dir, KUBECONFIG: '' },
        stdio: 'ignore',
      });
      const exited = once(child, 'exit');
      while (shell.calls.length === before) await delay(20);
      const call = shell.calls.at(-1);
      assert.deepEqual(call?.argv, ['sleep', 'infinity']);
      child.kill('SIGKILL');
      await exited;
      await call!.aborted;
    });
  });
}
