// pods/exec inside emulated containers: the shared tools, the shell, and what a missing program does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { KubeObject } from '../../../src/sandbox/types.js';
import { container, runExec, startRuntime, type RuntimeHarness } from './helpers.js';

let h: RuntimeHarness;
let pod: KubeObject;
const exec = (argv: string[], opts?: Parameters<typeof runExec>[2]) => runExec(h.runtime.execHandler(pod, 'app'), argv, opts);

before(async () => {
  h = startRuntime();
  h.registry.create(h.registry.types.byResource('', 'v1', 'configmaps')!, 'default', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'settings' },
    data: { color: 'red', size: 'xl' },
  });
  h.createPod('shell', {
    containers: [
      container('app', 'curlimages/curl:8.16.0', {
        command: ['/bin/sleep', 'infinity'],
        env: [
          { name: 'GREETING', value: 'hello' },
          { name: 'MESSAGE', value: '$(GREETING) world $$(GREETING)' },
          { name: 'MY_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'MY_POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
          { name: 'MY_POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'settings', key: 'color' } } },
        ],
        envFrom: [{ configMapRef: { name: 'settings' }, prefix: 'CFG_' }],
      }),
    ],
  });
  pod = (await h.waitForPod('shell', (p) => p?.status?.phase === 'Running'))!;
});

after(() => h.stop());

test('hostname prints the pod name; -i its address', async () => {
  assert.deepEqual(await exec(['hostname']), { code: 0, stdout: 'shell\n', stderr: '' });
  assert.equal((await exec(['hostname', '-i'])).stdout, `${pod.status.podIP}\n`);
});

test('env lists the resolved environment in the kubelet order', async () => {
  const { code, stdout } = await exec(['env']);
  assert.equal(code, 0);
  const lines = stdout.trimEnd().split('\n');
  assert.equal(lines[0], 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  assert.equal(lines[1], 'HOSTNAME=shell');
  for (const expected of [
    'GREETING=hello',
    'MESSAGE=hello world $(GREETING)',
    'MY_POD_NAME=shell',
    'MY_POD_NAMESPACE=default',
    `MY_POD_IP=${pod.status.podIP}`,
    'COLOR=red',
    'CFG_color=red',
    'CFG_size=xl',
    'KUBERNETES_SERVICE_HOST=10.96.0.1',
    'KUBERNETES_SERVICE_PORT=443',
    'HOME=/root',
  ]) {
    assert.ok(lines.includes(expected), `missing ${expected} in\n${stdout}`);
  }
  assert.equal((await exec(['/usr/bin/env', 'EXTRA=1'])).stdout.includes('EXTRA=1\n'), true);
});

test('cat reads kubelet-managed files and reports missing ones', async () => {
  const hosts = await exec(['cat', '/etc/hosts']);
  assert.equal(hosts.code, 0);
  assert.match(hosts.stdout, /^# Kubernetes-managed hosts file\.\n127\.0\.0\.1\tlocalhost\n/);
  assert.ok(hosts.stdout.endsWith(`${pod.status.podIP}\tshell\n`));
  assert.equal((await exec(['cat', '/etc/hostname'])).stdout, 'shell\n');
  assert.equal(
    (await exec(['cat', '/etc/resolv.conf'])).stdout,
    'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
  );
  assert.equal((await exec(['cat', '/var/run/secrets/kubernetes.io/serviceaccount/namespace'])).stdout, 'default');
  assert.deepEqual(await exec(['cat', '/etc/hostname', '/nope']), { code: 1, stdout: 'shell\n', stderr: 'cat: /nope: No such file or directory\n' });
  const stdin = new PassThrough();
  stdin.end('piped\n');
  assert.equal((await exec(['cat'], { stdin })).stdout, 'piped\n');
});

test('echo, true and false', async () => {
  assert.deepEqual(await exec(['echo', 'a', 'b']), { code: 0, stdout: 'a b\n', stderr: '' });
  assert.equal((await exec(['echo', '-n', 'no newline'])).stdout, 'no newline');
  assert.equal((await exec(['true'])).code, 0);
  assert.equal((await exec(['false'])).code, 1);
});

test('sleep waits, and ends early when the session is aborted', async () => {
  let started = Date.now();
  assert.equal((await exec(['sleep', '0.05'])).code, 0);
  assert.ok(Date.now() - started >= 45);
  const abort = new AbortController();
  started = Date.now();
  setTimeout(() => abort.abort(), 20);
  assert.equal((await exec(['sleep', 'infinity'], { signal: abort.signal })).code, 130);
  assert.ok(Date.now() - started < 1000);
  assert.deepEqual(await exec(['sleep', 'soon']), { code: 1, stdout: '', stderr: "sleep: invalid number 'soon'\n" });
});

test('sh -c runs simple commands through the same table, with variables and && / || / ;', async () => {
  assert.deepEqual(await exec(['sh', '-c', 'echo "$HOSTNAME in $MY_POD_NAMESPACE"']), { code: 0, stdout: 'shell in default\n', stderr: '' });
  assert.equal((await exec(['/bin/sh', '-c', "false || echo 'fallback'; echo $?"])).stdout, 'fallback\n0\n');
  assert.equal((await exec(['sh', '-c', 'X=1; echo $X && exit 4'])).code, 4);
  assert.deepEqual(await exec(['sh', '-c', 'curl-not-here -s']), { code: 127, stdout: '', stderr: 'sh: curl-not-here: not found\n' });
  assert.deepEqual(await exec(['sh', '-c', 'echo hi | cat']), { code: 0, stdout: 'hi\n', stderr: '' });
});

test('sh without -c reads commands from stdin', async () => {
  const stdin = new PassThrough();
  stdin.end('echo one\nhostname\nexit 3\necho never\n');
  assert.deepEqual(await exec(['sh'], { stdin }), { code: 3, stdout: 'one\nshell\n', stderr: '' });
});

test('with a TTY, output newlines become CRLF', async () => {
  assert.equal((await exec(['echo', 'hi'], { tty: true })).stdout, 'hi\r\n');
});

test('a program that does not exist fails like containerd (kubectl exits 1), not with 127', async () => {
  await assert.rejects(exec(['nope']), /^Error: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "nope": executable file not found in \$PATH: unknown$/);
  await assert.rejects(exec(['/opt/tool']), /exec: "\/opt\/tool": stat \/opt\/tool: no such file or directory: unknown$/);
});
