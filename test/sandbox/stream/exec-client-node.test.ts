// pods/exec and pods/attach through @kubernetes/client-node over real TLS + WebSocket.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PassThrough, Readable } from 'node:stream';
import { Attach, Exec, KubeConfig, type V1Status } from '@kubernetes/client-node';
import type { WebSocket } from 'ws';
import { POD, startFakeCluster, type FakeCluster } from './fake-cluster.js';
import { createFakeShell, type FakeShell } from './fake-shell.js';
import { readAll } from './raw-client.js';

/** Output and status of one client-node exec. */
interface ExecResult {
  stdout: string;
  stderr: string;
  status: V1Status;
  protocol: string;
}

describe('exec via @kubernetes/client-node', { timeout: 60_000 }, () => {
  let cluster: FakeCluster;
  let shell: FakeShell;
  let kc: KubeConfig;

  before(async () => {
    shell = createFakeShell(POD.name);
    cluster = await startFakeCluster(shell.run);
    kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfigPath);
  });
  after(() => cluster.close());

  /** Runs `command` in web-0 and waits for the status the error channel carries. */
  async function exec(command: string[], stdin: Readable | null = null): Promise<ExecResult> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const outputs = Promise.all([readAll(stdout), readAll(stderr)]);
    let socket: WebSocket | undefined;
    const status = await new Promise<V1Status>((resolve, reject) => {
      new Exec(kc)
        .exec(POD.namespace, POD.name, POD.container, command, stdout, stderr, stdin, false, resolve)
        .then((ws) => (socket = ws as unknown as WebSocket), reject);
    });
    const [out, err] = await outputs;
    return { stdout: out, stderr: err, status, protocol: socket?.protocol ?? '' };
  }

  it('routes stdout and reports Success over v5.channel.k8s.io', async () => {
    const result = await exec(['hostname']);
    assert.equal(result.protocol, 'v5.channel.k8s.io');
    assert.equal(result.stdout, 'web-0\n');
    assert.equal(result.stderr, '');
    assert.deepEqual(result.status, { metadata: {}, status: 'Success' });
  });

  it('routes stderr separately from stdout', async () => {
    const result = await exec(['sh', '-c', 'echo out; echo err >&2']);
    assert.equal(result.stdout, 'out\n');
    assert.equal(result.stderr, 'err\n');
  });

  it('reports a non-zero exit code with the ExitCode cause', async () => {
    const result = await exec(['sh', '-c', 'exit 3']);
    assert.deepEqual(result.status, {
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: command terminated with exit code 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });

  it('reports an unknown command as exit 127 with the shell message on stderr', async () => {
    const result = await exec(['sh', '-c', 'foo']);
    assert.equal(result.stderr, 'sh: foo: not found\n');
    assert.equal(result.status.reason, 'NonZeroExitCode');
    assert.deepEqual(result.status.details?.causes, [{ reason: 'ExitCode', message: '127' }]);
  });

  it('pipes stdin through and ends it on the v5 close signal', async () => {
    const result = await exec(['cat'], Readable.from([Buffer.from('hello\n'), Buffer.from('world\n')]));
    assert.equal(result.stdout, 'hello\nworld\n');
    assert.equal(result.status.status, 'Success');
    const call = shell.calls.at(-1);
    assert.deepEqual(call?.argv, ['cat']);
    assert.equal(call?.hasStdin, true);
  });

  it('delivers all output queued by the handler before the status', async () => {
    const result = await exec(['blob', String(3 * 1024 * 1024 + 7)]);
    assert.equal(result.stdout.length, 3 * 1024 * 1024 + 7);
    assert.equal(result.status.status, 'Success');
  });

  it('reports a handler failure as an InternalError status', async () => {
    const result = await exec(['nosuchcmd']);
    assert.equal(result.status.status, 'Failure');
    assert.equal(result.status.reason, 'InternalError');
    assert.equal(result.status.code, 500);
    assert.match(
      result.status.message ?? '',
      /^Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: .*"nosuchcmd": executable file not found in \$PATH/,
    );
  });

  it('aborts the handler when the client disconnects', async () => {
    const stdout = new PassThrough();
    const ws = (await new Exec(kc).exec(POD.namespace, POD.name, POD.container, ['sleep', 'infinity'], stdout, null, null, false)) as unknown as WebSocket;
    const call = shell.calls.at(-1);
    assert.deepEqual(call?.argv, ['sleep', 'infinity']);
    ws.close();
    await withTimeout(call!.aborted!, 5000, 'handler was not aborted');
  });

  it('attaches with stdin echoed back and reports Success', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const output = readAll(stdout);
    const stdin = new PassThrough();
    const ws = (await new Attach(kc).attach(POD.namespace, POD.name, POD.container, stdout, stderr, stdin, false)) as unknown as WebSocket;
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    stdin.end('attached\n');
    assert.equal(await closed, 1000);
    assert.equal(await output, 'attached\n');
    assert.deepEqual(shell.calls.at(-1)?.argv, []);
  });
});

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
