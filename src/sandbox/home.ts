// The sandbox's state directory: $ISTIO_LAB_HOME/sandbox (default ~/.istio-lab/sandbox).
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeFileAtomic } from './store/file-journal.js';
import type { SandboxPki } from './pki.js';

/** Paths of everything a sandbox keeps on disk. */
export interface SandboxPaths {
  dir: string;
  state: string;
  kubeconfig: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  token: string;
  runtime: string;
  log: string;
  lock: string;
}

/** The istio-lab home: $ISTIO_LAB_HOME or ~/.istio-lab. */
export function resolveIstioLabHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.ISTIO_LAB_HOME || join(homedir(), '.istio-lab'));
}

/** Paths under `<home>/sandbox`. */
export function sandboxPaths(home: string): SandboxPaths {
  const dir = join(home, 'sandbox');
  return {
    dir,
    state: join(dir, 'state'),
    kubeconfig: join(dir, 'kubeconfig'),
    caCert: join(dir, 'ca.crt'),
    serverCert: join(dir, 'apiserver.crt'),
    serverKey: join(dir, 'apiserver.key'),
    token: join(dir, 'token'),
    runtime: join(dir, 'runtime.json'),
    log: join(dir, 'sandbox.log'),
    lock: join(dir, 'start.lock'),
  };
}

/** Create the state directory (0700) and, on first use, the CA, serving certificate and token (0600). */
export async function ensureSandboxHome(home: string): Promise<{ paths: SandboxPaths; pki: SandboxPki; token: string }> {
  const paths = sandboxPaths(home);
  mkdirSync(paths.state, { recursive: true, mode: 0o700 });
  chmodSync(paths.dir, 0o700);
  chmodSync(paths.state, 0o700);
  if (!existsSync(paths.serverKey) || !existsSync(paths.serverCert) || !existsSync(paths.caCert)) {
    const { generatePki } = await import('./pki.js'); // loads the x509 stack only when certificates are made
    const pki = await generatePki();
    writeFileAtomic(paths.caCert, pki.caCert, 0o644);
    writeFileAtomic(paths.serverCert, pki.serverCert, 0o644);
    writeFileAtomic(paths.serverKey, pki.serverKey, 0o600);
  }
  if (!existsSync(paths.token)) writeFileAtomic(paths.token, randomBytes(32).toString('base64url'), 0o600);
  // Credentials stay private even if an older version or a person loosened their modes.
  for (const secret of [paths.token, paths.serverKey, paths.kubeconfig]) if (existsSync(secret)) chmodSync(secret, 0o600);
  const pki: SandboxPki = {
    caCert: readFileSync(paths.caCert, 'utf8'),
    serverCert: readFileSync(paths.serverCert, 'utf8'),
    serverKey: readFileSync(paths.serverKey, 'utf8'),
  };
  return { paths, pki, token: readFileSync(paths.token, 'utf8').trim() };
}

/** The kubeconfig a sandbox hands out: context `istio-lab-sandbox`, CA embedded, bearer token. */
export function renderKubeconfig(url: string, caCert: string, token: string): string {
  const ca = Buffer.from(caCert).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: istio-lab-sandbox',
    '  cluster:',
    `    server: ${url}`,
    `    certificate-authority-data: ${ca}`,
    'users:',
    '- name: istio-lab-sandbox',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: istio-lab-sandbox',
    '  context:',
    '    cluster: istio-lab-sandbox',
    '    user: istio-lab-sandbox',
    '    namespace: default',
    'current-context: istio-lab-sandbox',
    'preferences: {}',
    '',
  ].join('\n');
}
