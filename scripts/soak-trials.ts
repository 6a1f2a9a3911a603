// The soak's two kinds of trial against one sandbox: a lab run to completion (then its recorded
// objects are checked and it is reset), and a lab run interrupted at a seeded random moment (then
// reset). Both end by comparing the sandbox with its pre-run snapshot, with API faults paused.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { runCli } from '../test/helpers/cli.js';
import { spawnCli } from '../test/helpers/cli-process.js';
import { rawRequest } from '../test/helpers/raw-http.js';
import { diffSnapshots, snapshotCluster } from '../test/helpers/snapshot.js';

/** What the soak has seen so far. */
export interface SoakTally {
  labRuns: number;
  labsPassed: number;
  retries: number | undefined;
  objectsLost: number;
  interrupted: number;
  interruptedCleaned: number;
  slowExits: number;
  problems: string[];
}

/** Shared by the trials. */
export interface SoakContext {
  env: NodeJS.ProcessEnv;
  kc: k8s.KubeConfig;
  pristine: Map<string, string>;
  tally: SoakTally;
  /** Measured run length per lab (ms), to place signals within a run. */
  runMs: Map<string, number>;
  log(line: string): void;
}

/** Pause or resume the sandbox's fault injection; false when the sandbox has no fault mode. */
export async function setFaultsPaused(kc: k8s.KubeConfig, paused: boolean): Promise<boolean> {
  const r = await rawRequest(kc, 'POST', '/istio-lab/v1/faults', { body: JSON.stringify({ paused }), contentType: 'application/json' }).catch(() => undefined);
  return r?.status === 200;
}

/** The sandbox's fault counts (GET /istio-lab/v1/faults), or undefined when it has none. */
export async function readFaultCounts(kc: k8s.KubeConfig): Promise<{ total: number; requests: number; byKind: Record<string, number> } | undefined> {
  const r = await rawRequest(kc, 'GET', '/istio-lab/v1/faults').catch(() => undefined);
  if (r?.status !== 200) return undefined;
  const body = r.json();
  return body.enabled ? body : undefined;
}

/** Objects recorded in istio-lab's state that the cluster does not have (faults paused). */
async function missingRecordedObjects(kc: k8s.KubeConfig): Promise<string[]> {
  const cm = await rawRequest(kc, 'GET', '/api/v1/namespaces/istio-lab-system/configmaps/istio-lab-state');
  if (cm.status !== 200) return ['the state ConfigMap istio-lab-state itself'];
  const state = JSON.parse(cm.json().data['state.json']) as { objects: { apiVersion: string; kind: string; name: string; namespace?: string }[] };
  const client = k8s.KubernetesObjectApi.makeApiClient(kc);
  const missing: string[] = [];
  for (const o of state.objects) {
    const found = await client.read({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.name, namespace: o.namespace } }).then(
      () => true,
      (err) => (err as { code?: number }).code !== 404,
    );
    if (!found) missing.push(`${o.kind}/${o.name}${o.namespace ? ` in ${o.namespace}` : ''}`);
  }
  return missing;
}

/** Reset, then compare with the pre-run snapshot; returns the differences (empty = clean). */
async function resetAndCompare(ctx: SoakContext, what: string): Promise<string[]> {
  const reset = await runCli(['reset', '--wait-lock', '60s'], ctx.env, 600_000);
  if (reset.code !== 0) return [`reset after ${what} exited ${reset.code}: ${reset.stderr.trim()}`];
  await setFaultsPaused(ctx.kc, true);
  try {
    return diffSnapshots(ctx.pristine, await snapshotCluster(ctx.kc));
  } finally {
    await setFaultsPaused(ctx.kc, false);
  }
}

/** Run `lab` to completion: it must pass, its recorded objects must exist, reset must restore the snapshot. */
export async function runLabTrial(ctx: SoakContext, lab: string): Promise<void> {
  const { tally } = ctx;
  const report = join(ctx.env.HOME!, `report-${tally.labRuns}.json`);
  const started = Date.now();
  const run = await runCli(['run', lab, '--reporter', 'plain', '--reporter', `json=${report}`, '--wait-lock', '60s'], ctx.env, 900_000);
  ctx.runMs.set(lab, Date.now() - started);
  tally.labRuns++;
  try {
    const retries = (JSON.parse(readFileSync(report, 'utf8')) as { retries?: number }).retries;
    if (typeof retries === 'number') tally.retries = (tally.retries ?? 0) + retries;
  } catch {
    /* no JSON report: the run failed before reporting */
  }
  rmSync(report, { force: true });
  if (run.code === 0) tally.labsPassed++;
  else tally.problems.push(`run ${lab} exited ${run.code}:\n${(run.stdout + run.stderr).trim().split('\n').slice(-12).join('\n')}`);
  await setFaultsPaused(ctx.kc, true);
  const missing = await missingRecordedObjects(ctx.kc).finally(() => setFaultsPaused(ctx.kc, false));
  if (run.code === 0 && missing.length) {
    tally.objectsLost += missing.length;
    tally.problems.push(`after run ${lab}, recorded objects are missing: ${missing.join(', ')}`);
  }
  const diff = await resetAndCompare(ctx, `run ${lab}`);
  tally.objectsLost += diff.filter((d) => /^(missing|changed):/.test(d)).length;
  if (diff.length) tally.problems.push(`reset after run ${lab} left the sandbox different:\n${diff.join('\n')}`);
  ctx.log(`run ${lab}: exit ${run.code} in ${Math.round((Date.now() - started) / 1000)}s${diff.length ? ', NOT back to the snapshot' : ''}`);
}

/** Interrupt `lab` at a random moment within its measured run: exit 130 within 2 s, then reset must restore the snapshot. */
export async function interruptTrial(ctx: SoakContext, lab: string, random: () => number): Promise<void> {
  const { tally } = ctx;
  const signal: NodeJS.Signals = random() < 0.5 ? 'SIGINT' : 'SIGTERM';
  const run = spawnCli(['run', lab, '--reporter', 'plain', '--wait-lock', '60s'], ctx.env);
  await run.waitForLine(/^\[run\] target /, 120_000).catch(() => undefined);
  await new Promise((r) => setTimeout(r, Math.floor(random() * (ctx.runMs.get(lab) ?? 5000))));
  const finishedFirst = /^\[run\] (passed|FAILED)/m.test(run.stdout()) || run.child.exitCode !== null;
  const sentAt = Date.now();
  if (!finishedFirst) run.child.kill(signal);
  const end = await run.exited;
  if (!finishedFirst) {
    tally.interrupted++;
    if (end.code !== 130) tally.problems.push(`${signal} during run ${lab}: exit ${end.code ?? end.signal} instead of 130:\n${run.stdout().split('\n').slice(-8).join('\n')}\n${run.stderr().trim()}`);
    if (end.at - sentAt >= 2000) tally.slowExits++;
  }
  const diff = await resetAndCompare(ctx, `${signal} during run ${lab}`);
  if (!finishedFirst && !diff.length) tally.interruptedCleaned++;
  tally.objectsLost += diff.filter((d) => /^(missing|changed):/.test(d)).length;
  if (diff.length) tally.problems.push(`reset after ${signal} during run ${lab} left the sandbox different:\n${diff.join('\n')}`);
  ctx.log(`${finishedFirst ? 'run finished before' : signal} ${lab}: exit ${end.code} ${finishedFirst ? '' : `after ${end.at - sentAt} ms`}${diff.length ? ', NOT back to the snapshot' : ''}`);
}
