// The launcher's door into the embedded sandbox: make sure it runs, hand back its kubeconfig.
import { readFileSync } from 'node:fs';
import { resolveIstioLabHome, sandboxPaths } from '../sandbox/home.js';
import { startSandboxDaemon } from '../sandbox/daemon.js';

/** Start the sandbox in the background if needed and return its kubeconfig (text and path). */
export async function ensureSandbox(notice: (line: string) => void, announce: boolean): Promise<{ kubeconfig: string; path: string }> {
  const home = resolveIstioLabHome();
  const { info, alreadyRunning } = await startSandboxDaemon(home);
  if (announce || !alreadyRunning) {
    notice(`Using the embedded sandbox cluster at ${info.url} (no kubeconfig configured${alreadyRunning ? '' : '; started it in the background'}; \`istio-lab sandbox stop\` stops it).`);
  }
  const path = sandboxPaths(home).kubeconfig;
  return { kubeconfig: readFileSync(path, 'utf8'), path };
}
