// Programmatic launcher: start a sandbox cluster in this process from a state directory and hand
// back its kubeconfig. The CLI's `sandbox serve` and the tests use it; nothing else in the
// product imports sandbox internals.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { FileJournal, writeFileAtomic } from './store/file-journal.js';
import { ensureSandboxHome, renderKubeconfig } from './home.js';
import { startCluster } from './cluster.js';
import type { SandboxConfig } from './controllers/controller.js';
import { createFaultInjector, faultBanner } from './api/faults.js';
import { faultsEnvVar, parseFaultSpec } from './api/fault-spec.js';

/** Options for {@link startSandbox}. */
export interface StartSandboxOptions {
  /** The istio-lab home; state lives in `<home>/sandbox`. */
  home: string;
  /** Port for the API server (default: the previous one if free, else a random free port). */
  port?: number;
  config?: Partial<SandboxConfig>;
  /** Write runtime.json (pid, port) so other processes can find this sandbox. */
  advertise?: boolean;
  log?: (line: string) => void;
  /** Test-only API fault injection spec (`rate=0.05,seed=42,...`, see api/fault-spec.ts); default $ISTIO_LAB_SANDBOX_FAULTS; '' turns it off. */
  faults?: string;
}

/** A sandbox running in this process. */
export interface SandboxHandle {
  url: string;
  port: number;
  kubeconfigPath: string;
  kubeconfig: string;
  startedAt: Date;
  stop(): Promise<void>;
}

export { readRuntimeInfo, type SandboxRuntimeInfo } from './runtime-info.js';
import type { SandboxRuntimeInfo } from './runtime-info.js';

/** Start the sandbox: load persisted objects, start controllers and the API server, write the kubeconfig. */
export async function startSandbox(opts: StartSandboxOptions): Promise<SandboxHandle> {
  const faultSpec = parseFaultSpec(opts.faults ?? process.env[faultsEnvVar]);
  const faultLog = opts.log ?? ((line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`));
  const faults = createFaultInjector(faultSpec, faultLog);
  const { paths, pki, token } = await ensureSandboxHome(opts.home);
  const journal = new FileJournal(paths.state);
  const store = journal.open();
  const preferred = opts.port ?? previousPort(paths.kubeconfig);
  const common = { store, tls: { cert: pki.serverCert, key: pki.serverKey }, token, config: opts.config, log: opts.log, faults };
  let cluster;
  try {
    cluster = await startCluster({ ...common, port: preferred });
  } catch (err) {
    if (opts.port !== undefined || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    cluster = await startCluster({ ...common, port: 0 });
  }
  const { url, port } = cluster.server;
  if (faultSpec) process.stderr.write(`${faultBanner(faultSpec)}\n`);
  const kubeconfig = renderKubeconfig(url, pki.caCert, token);
  writeFileAtomic(paths.kubeconfig, kubeconfig, 0o600);
  const startedAt = new Date();
  if (opts.advertise) {
    const info: SandboxRuntimeInfo = { pid: process.pid, port, url, startedAt: startedAt.toISOString() };
    writeFileAtomic(paths.runtime, JSON.stringify(info), 0o600);
  }
  let stopped = false;
  return {
    url,
    port,
    kubeconfigPath: paths.kubeconfig,
    kubeconfig,
    startedAt,
    async stop() {
      if (stopped) return;
      stopped = true;
      await cluster.stop();
      if (faults) faultLog(faults.summary());
      journal.compact();
      if (opts.advertise) rmSync(paths.runtime, { force: true });
    },
  };
}

function previousPort(kubeconfigPath: string): number {
  if (!existsSync(kubeconfigPath)) return 0;
  const m = /server: https:\/\/127\.0\.0\.1:(\d+)/.exec(readFileSync(kubeconfigPath, 'utf8'));
  return m ? Number(m[1]) : 0;
}
