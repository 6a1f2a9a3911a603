// Background sandbox management: start (detached `sandbox serve`), stop, status, readiness.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { request } from 'node:https';
import { fileURLToPath } from 'node:url';
import { ensureSandboxHome, sandboxPaths } from './home.js';
import { readRuntimeInfo, type SandboxRuntimeInfo } from './runtime-info.js';

/** What `sandbox status` reports. */
export interface SandboxStatus {
  running: boolean;
  info?: SandboxRuntimeInfo;
  kubeconfigPath: string;
  counts?: Record<string, number>;
}

/** True if a process with this pid exists. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** GET a path of the sandbox's API with its token; resolves with status and body. */
export function sandboxGet(home: string, info: SandboxRuntimeInfo, path: string, timeoutMs = 2000): Promise<{ status: number; body: string }> {
  const paths = sandboxPaths(home);
  const ca = readFileSync(paths.caCert, 'utf8');
  const token = readFileSync(paths.token, 'utf8').trim();
  return new Promise((resolve, reject) => {
    const req = request(`${info.url}${path}`, { ca, headers: { Authorization: `Bearer ${token}` }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** The running sandbox of `home`, if its process is alive and its API answers. */
export async function findRunningSandbox(home: string): Promise<SandboxRuntimeInfo | undefined> {
  const info = readRuntimeInfo(home);
  if (!info || !isProcessAlive(info.pid)) return undefined;
  try {
    const r = await sandboxGet(home, info, '/readyz');
    return r.status === 200 ? info : undefined;
  } catch {
    return undefined;
  }
}

/** How to re-run this CLI in a child process (compiled JS, or TypeScript under tsx in tests). */
function cliCommand(): { file: string; execArgv: string[] } {
  const self = fileURLToPath(import.meta.url);
  const ts = self.endsWith('.ts');
  const file = fileURLToPath(new URL(`../cli/main.${ts ? 'ts' : 'js'}`, import.meta.url));
  const execArgv: string[] = [];
  if (ts) execArgv.push('--import', 'tsx');
  return { file, execArgv };
}

/** Start the sandbox in the background unless it runs already; resolves when it answers. */
export async function startSandboxDaemon(home: string, opts: { port?: number; timeoutMs?: number } = {}): Promise<{ info: SandboxRuntimeInfo; alreadyRunning: boolean }> {
  const running = await findRunningSandbox(home);
  if (running) return { info: running, alreadyRunning: true };
  const { paths } = await ensureSandboxHome(home);
  let lock: number;
  try {
    lock = openSync(paths.lock, 'wx', 0o600);
    writeSync(lock, String(process.pid));
  } catch {
    const holder = Number(readFileSync(paths.lock, 'utf8') || 0);
    if (holder && isProcessAlive(holder) && holder !== process.pid) {
      return { info: await waitForSandbox(home, opts.timeoutMs ?? 20000), alreadyRunning: true };
    }
    rmSync(paths.lock, { force: true });
    return startSandboxDaemon(home, opts);
  }
  try {
    rmSync(paths.runtime, { force: true });
    const { file, execArgv } = cliCommand();
    const args = [...execArgv, file, 'sandbox', 'serve', '--quiet', ...(opts.port ? ['--port', String(opts.port)] : [])];
    const logFd = openSync(paths.log, 'a', 0o600);
    const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', logFd, logFd], env: { ...process.env, ISTIO_LAB_HOME: home } });
    closeSync(logFd);
    let exited: number | null = null;
    child.on('exit', (code) => (exited = code ?? 1));
    child.unref();
    const deadline = Date.now() + (opts.timeoutMs ?? 20000);
    while (Date.now() < deadline) {
      if (exited !== null) throw new Error(`the sandbox exited during start (code ${exited}); see ${paths.log}:\n${tail(paths.log)}`);
      const info = await findRunningSandbox(home);
      if (info) return { info, alreadyRunning: false };
      await sleep(15);
    }
    throw new Error(`the sandbox did not answer within ${(opts.timeoutMs ?? 20000) / 1000}s; see ${paths.log}`);
  } finally {
    closeSync(lock);
    rmSync(paths.lock, { force: true });
  }
}

async function waitForSandbox(home: string, timeoutMs: number): Promise<SandboxRuntimeInfo> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const info = await findRunningSandbox(home);
    if (info) return info;
    await sleep(50);
  }
  throw new Error('another istio-lab process is starting the sandbox, and it did not become ready in time');
}

/** Stop the background sandbox; resolves once its process is gone. Returns false if none ran. */
export async function stopSandboxDaemon(home: string, timeoutMs = 5000): Promise<boolean> {
  const info = readRuntimeInfo(home);
  if (!info || !isProcessAlive(info.pid)) {
    rmSync(sandboxPaths(home).runtime, { force: true });
    return false;
  }
  process.kill(info.pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(info.pid) && Date.now() < deadline) await sleep(25);
  if (isProcessAlive(info.pid)) process.kill(info.pid, 'SIGKILL');
  while (isProcessAlive(info.pid)) await sleep(25);
  rmSync(sandboxPaths(home).runtime, { force: true });
  return true;
}

/** Status of the sandbox under `home`, with object counts when it runs. */
export async function describeSandbox(home: string): Promise<SandboxStatus> {
  const paths = sandboxPaths(home);
  const info = await findRunningSandbox(home);
  if (!info) return { running: false, kubeconfigPath: paths.kubeconfig };
  const r = await sandboxGet(home, info, '/istio-lab/v1/status');
  const counts = r.status === 200 ? (JSON.parse(r.body).counts as Record<string, number>) : undefined;
  return { running: true, info, kubeconfigPath: paths.kubeconfig, counts };
}

function tail(path: string): string {
  if (!existsSync(path)) return '';
  return readFileSync(path, 'utf8').split('\n').slice(-15).join('\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
