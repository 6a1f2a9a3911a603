// `istio-lab sandbox`: start, serve, stop, status and kubeconfig of the embedded sandbox cluster.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { UserError, ExitCode } from './errors.js';

async function home(): Promise<string> {
  const { resolveIstioLabHome } = await import('../sandbox/home.js');
  return resolveIstioLabHome();
}

function printAccess(out: NodeJS.WritableStream, kubeconfigPath: string): void {
  out.write(`Kubeconfig: ${kubeconfigPath}\n  export KUBECONFIG=${kubeconfigPath}\n`);
}

function formatUptime(startedAt: string): string {
  const s = Math.max(0, Math.floor((Date.now() - Date.parse(startedAt)) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}h${m}m` : m ? `${m}m${s % 60}s` : `${s}s`;
}

/** Register the `sandbox` command group. */
export function registerSandboxCommand(program: Command): void {
  const sandbox = program
    .command('sandbox')
    .description('Manage the embedded sandbox cluster (a Kubernetes API on 127.0.0.1 with emulated controllers and pods)')
    .addHelpText(
      'after',
      `
State lives in $ISTIO_LAB_HOME/sandbox (default ~/.istio-lab/sandbox): kubeconfig, CA, token and objects.

Examples:
  $ istio-lab sandbox start          # start in the background, print the kubeconfig
  $ export KUBECONFIG=$(istio-lab sandbox kubeconfig)
  $ kubectl get nodes
  $ istio-lab sandbox status         # pid, address, uptime, object counts
  $ istio-lab sandbox stop           # objects are kept for the next start`,
    );

  sandbox
    .command('start')
    .description('Start the sandbox in the background (no-op if it already runs)')
    .option('--port <port>', 'API server port on 127.0.0.1 (default: previous port, else random)', (v) => parsePort(v))
    .addHelpText('after', '\nExample:\n  $ ISTIO_LAB_HOME=/tmp/lab istio-lab sandbox start')
    .action(async (opts: { port?: number }) => {
      const { startSandboxDaemon } = await import('../sandbox/daemon.js');
      const { sandboxPaths } = await import('../sandbox/home.js');
      const h = await home();
      const { info, alreadyRunning } = await startSandboxDaemon(h, { port: opts.port });
      process.stdout.write(`${alreadyRunning ? 'Sandbox already running' : 'Sandbox started'} at ${info.url} (pid ${info.pid}${alreadyRunning ? `, up ${formatUptime(info.startedAt)}` : ''})\n`);
      printAccess(process.stdout, sandboxPaths(h).kubeconfig);
    });

  sandbox
    .command('serve')
    .description('Run the sandbox in the foreground until Ctrl-C')
    .option('--port <port>', 'API server port on 127.0.0.1', (v) => parsePort(v))
    .option('--quiet', 'print nothing but errors')
    .option('--log-requests', 'log one line per API request (never credentials)')
    .addHelpText('after', '\nExample:\n  $ istio-lab sandbox serve --port 6443')
    .action(async (opts: { port?: number; quiet?: boolean; logRequests?: boolean }) => {
      const { startSandbox } = await import('../sandbox/launcher.js');
      const { findRunningSandbox } = await import('../sandbox/daemon.js');
      const h = await home();
      const running = await findRunningSandbox(h);
      if (running && running.pid !== process.pid) {
        throw new UserError(`a sandbox for ${h} is already running (pid ${running.pid}, ${running.url}).`, ExitCode.usage, 'use it as it is, or stop it first with `istio-lab sandbox stop`.');
      }
      const log = opts.logRequests ? (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`) : undefined;
      const handle = await startSandbox({ home: h, port: opts.port, advertise: true, log });
      if (!opts.quiet) {
        process.stdout.write(`Sandbox serving at ${handle.url} (pid ${process.pid}); Ctrl-C stops it.\n`);
        printAccess(process.stdout, handle.kubeconfigPath);
      }
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void handle.stop().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      if (!opts.quiet) process.stdout.write('Sandbox stopped; objects are kept for the next start.\n');
      process.exit(0);
    });

  sandbox
    .command('stop')
    .description('Stop the background sandbox (objects are kept)')
    .action(async () => {
      const { stopSandboxDaemon } = await import('../sandbox/daemon.js');
      const stopped = await stopSandboxDaemon(await home());
      process.stdout.write(stopped ? 'Sandbox stopped; objects are kept for the next start.\n' : 'Sandbox is not running.\n');
    });

  sandbox
    .command('status')
    .description('Show whether the sandbox runs: pid, address, uptime, object counts (exit 3 when stopped)')
    .option('-o, --output <format>', 'text or json', 'text')
    .action(async (opts: { output: string }) => {
      const { describeSandbox } = await import('../sandbox/daemon.js');
      const st = await describeSandbox(await home());
      if (opts.output === 'json') process.stdout.write(`${JSON.stringify(st, null, 2)}\n`);
      else if (!st.running) process.stdout.write(`Sandbox: stopped\nKubeconfig: ${st.kubeconfigPath}\n`);
      else {
        const counts = st.counts ?? {};
        const total = Object.values(counts).reduce((a, b) => a + b, 0);
        process.stdout.write(`Sandbox: running\n  pid:     ${st.info!.pid}\n  address: ${st.info!.url}\n  uptime:  ${formatUptime(st.info!.startedAt)}\n  objects: ${total}\n`);
        for (const [k, n] of Object.entries(counts).sort()) process.stdout.write(`    ${k.replace(/^\//, '').padEnd(48)} ${n}\n`);
        process.stdout.write(`Kubeconfig: ${st.kubeconfigPath}\n`);
      }
      if (!st.running) process.exitCode = ExitCode.unreachable;
    });

  sandbox
    .command('kubeconfig')
    .description('Print the path of the sandbox kubeconfig')
    .addHelpText('after', '\nExample:\n  $ export KUBECONFIG=$(istio-lab sandbox kubeconfig)')
    .action(async () => {
      const { sandboxPaths } = await import('../sandbox/home.js');
      const h = await home();
      const path = sandboxPaths(h).kubeconfig;
      if (!existsSync(path)) throw new UserError(`no sandbox has been started under ${h}.`, ExitCode.unreachable, 'run `istio-lab sandbox start` first.');
      process.stdout.write(`${path}\n`);
    });
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UserError(`--port must be a TCP port number (1-65535), got "${v}".`);
  return n;
}
