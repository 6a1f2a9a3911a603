// Issue "istio-lab core" benchmarks, measured in one run:
// - `istio-lab --help` cold start vs `node -e 0`                                   target <= 3x
// - applying Bookinfo: `istio-lab run` (a one-step lab) vs `kubectl apply --server-side`,
//   both as whole commands against the same sandbox                                target <= 1.0x
//   (with where the rest goes: the apply phase in-process, and the import time of run's modules)
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, now, report, timeCommand } from './lib.js';
import { connectCluster } from '../src/cluster/kube.js';
import { discoverLabs, loadWithRequires } from '../src/lab/index.js';
import { runLabs } from '../src/runner/run-labs.js';
import { resetLabs } from '../src/runner/reset.js';

const bin = join(process.cwd(), 'bin/istio-lab.js');

/** Modules `istio-lab run` imports (built), in the order it does. */
const runPathModules = ['cli/main.js', 'cluster/kube.js', 'cli/labs.js', 'lab/index.js', 'report/reporter.js', 'runner/run-labs.js', 'probes/index.js'].map((m) => join(process.cwd(), 'dist', m));

/** Milliseconds a fresh node process spends importing `modules` (after its own start-up). */
function importTime(modules: string[]): number {
  const code = `const t = performance.now(); for (const m of ${JSON.stringify(modules)}) await import(m); console.log(performance.now() - t);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', cwd: process.cwd() });
  if (r.status !== 0) throw new Error(`importing ${modules.join(', ')} failed: ${r.stderr}`);
  return Number(r.stdout.trim());
}

const lab = `# yaml-language-server: $schema=../../schema/lab.schema.json
name: apply-bookinfo
title: Apply Bookinfo
track: bench
summary: Applies the Bookinfo manifests (benchmark).
scope: namespace
namespace: bench-istio-lab
steps:
  - name: apply
    title: Apply
    instructions: Apply Bookinfo.
    actions:
      - kind: apply
        inline: { apiVersion: v1, kind: Namespace, metadata: { name: bench-istio-lab } }
      - kind: apply
        file: manifests/samples/bookinfo.yaml
`;

/** Apply phase only: the lab through the runner in this process, after connecting (no process start or imports). */
async function applyInProcess(root: string, kubeconfig: string): Promise<number> {
  const cluster = await connectCluster({ kubeconfig });
  const plan = await loadWithRequires(['bench/apply-bookinfo'], await discoverLabs(root));
  if (!plan.ok) throw new Error(String(plan.errors));
  const signal = new AbortController().signal;
  const t = now();
  const r = await runLabs(cluster, [{ loaded: plan.labs[0], target: true }], { mode: 'run', prove: false, adopt: false, emit: () => undefined, signal });
  const ms = now() - t;
  if (r.status !== 'passed') throw new Error('bench lab failed');
  await resetLabs(cluster, [], () => undefined, signal);
  cluster.close();
  return ms;
}

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'istio-lab-bench-core-'));
  const root = join(home, 'root');
  mkdirSync(join(root, 'labs', 'bench'), { recursive: true });
  cpSync(join(process.cwd(), 'manifests'), join(root, 'manifests'), { recursive: true });
  writeFileSync(join(root, 'labs', 'bench', 'apply-bookinfo.yaml'), lab);
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, ISTIO_LAB_HOME: join(home, '.istio-lab'), ISTIO_LAB_ROOT: root, CI: 'true' };
  delete env.KUBECONFIG;
  try {
    const nodeTimes = Array.from({ length: 7 }, () => timeCommand(process.execPath, ['-e', '0']));
    const helpTimes = Array.from({ length: 7 }, () => timeCommand(process.execPath, [bin, '--help'], env));
    const ratioHelp = median(helpTimes) / median(nodeTimes);
    report('istio-lab --help cold start vs node -e 0', `${median(helpTimes).toFixed(0)} ms vs ${median(nodeTimes).toFixed(0)} ms`, ratioHelp, '<= 3x', ratioHelp <= 3);

    timeCommand(process.execPath, [bin, 'sandbox', 'start'], env);
    const kenv = { ...env, KUBECONFIG: join(home, '.istio-lab', 'sandbox', 'kubeconfig') };
    const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
    if (!hasKubectl) {
      console.log('apply Bookinfo: istio-lab vs kubectl          skipped: kubectl is not installed');
      return;
    }
    timeCommand('kubectl', ['create', 'namespace', 'bench-kubectl'], kenv);
    const labTimes: number[] = [];
    const kubectlTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      labTimes.push(timeCommand(process.execPath, [bin, 'run', 'bench/apply-bookinfo', '--reporter', 'plain'], env));
      timeCommand(process.execPath, [bin, 'reset'], env);
      kubectlTimes.push(timeCommand('kubectl', ['apply', '--server-side', '-n', 'bench-kubectl', '-f', join(root, 'manifests', 'samples', 'bookinfo.yaml')], kenv));
      timeCommand('kubectl', ['delete', '-n', 'bench-kubectl', '-f', join(root, 'manifests', 'samples', 'bookinfo.yaml'), '--wait=true'], kenv);
    }
    const ratioApply = median(labTimes) / median(kubectlTimes);
    report('apply Bookinfo: istio-lab run vs kubectl SSA', `${median(labTimes).toFixed(0)} ms vs ${median(kubectlTimes).toFixed(0)} ms`, ratioApply, '<= 1.0x', ratioApply <= 1);
    const phase: number[] = [];
    for (let i = 0; i < 3; i++) phase.push(await applyInProcess(root, kenv.KUBECONFIG!));
    const ratioPhase = median(phase) / median(kubectlTimes);
    const imports = Array.from({ length: 3 }, () => importTime(runPathModules)).sort((a, b) => a - b)[1];
    const client = Array.from({ length: 3 }, () => importTime(['@kubernetes/client-node'])).sort((a, b) => a - b)[1];
    console.log(`  (apply phase in-process ${median(phase).toFixed(0)} ms = ${ratioPhase.toFixed(2)}x kubectl's whole command; importing run's modules takes ${imports.toFixed(0)} ms after node's own start-up; client-node's entry point, no longer on that path, alone takes ${client.toFixed(0)} ms)`);
  } finally {
    spawnSync(process.execPath, [bin, 'sandbox', 'stop'], { env, stdio: 'ignore' });
    rmSync(home, { recursive: true, force: true });
  }
}

await main();
