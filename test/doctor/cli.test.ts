import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROGRAM = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const TOKEN = 'very-secret-token-0123456789';

/** Runs `istio-lab doctor ...args`. */
function runDoctor(env: NodeJS.ProcessEnv, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', PROGRAM, 'doctor', ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('istio-lab doctor', () => {
  let dir: string;
  let kubeconfig: string;
  let closedPort: number;

  before(async () => {
    // A port nothing listens on: bind, note the port, close.
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closedPort = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    dir = await mkdtemp(join(tmpdir(), 'istio-lab-doctor-'));
    kubeconfig = join(dir, 'config');
    await writeFile(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'current-context: gone',
        'clusters: [{ name: gone, cluster: { server: "https://127.0.0.1:' + closedPort + '", insecure-skip-tls-verify: true } }]',
        'users: [{ name: gone, user: { token: ' + TOKEN + ' } }]',
        'contexts: [{ name: gone, context: { cluster: gone, user: gone } }]',
      ].join('\n'),
    );
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 3 with a failed cluster line (and no credentials) when the cluster is unreachable', () => {
    const { code, stdout } = runDoctor({ ISTIO_LAB_HOME: dir }, '--kubeconfig', kubeconfig);
    assert.equal(code, 3, stdout);
    assert.match(stdout, new RegExp(`^ {2}fail {2}cluster {3}cannot reach the cluster at https://127\\.0\\.0\\.1:${closedPort} \\(context "gone"\\)`, 'm'));
    assert.match(stdout, /^ {2}info {2}kubectl /m);
    assert.doesNotMatch(stdout, new RegExp(TOKEN));
  });

  it('prints JSON with -o json', () => {
    const { code, stdout } = runDoctor({ ISTIO_LAB_HOME: dir }, '--kubeconfig', kubeconfig, '-o', 'json');
    assert.equal(code, 3);
    const json = JSON.parse(stdout);
    assert.equal(json.outcome, 'unreachable');
    assert.equal(json.checks[0].id, 'cluster');
  });

  it('shows the target options and examples in --help', () => {
    const { code, stdout } = runDoctor({}, '--help');
    assert.equal(code, 0);
    for (const option of ['--kubeconfig <file>', '--context <name>', '--sandbox', '-o, --output <format>']) assert.ok(stdout.includes(option), option);
    assert.match(stdout, /Examples:\n {2}\$ istio-lab doctor /);
  });
});
