// Issue 7 benchmark: the wall time of `istio-lab run --all` (built CLI, fresh sandbox home), split into
// - what the labs demand: the waits they specify (rollouts, conditions the cluster takes to converge)
//   and their checks (traffic, injected delays, eventual-consistency retries while config propagates);
// - istio-lab's overhead: everything else (process start, lab loading, planning, applying, state
//   bookkeeping, reporting, the resets between labs).
// Printed per lab (median and max) and in total; target: overhead <= 1 s per lab, median.
// Usage: node --import tsx bench/labs.bench.ts [--track core]
// The split comes from the runner's events as the real command reports them: check durations from
// the json reporter, waits from the plain reporter's [wait] lines (the json report has no wait
// durations), and lab boundaries and the gaps between labs from when the plain lines arrive.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, now, report } from './lib.js';

const bin = join(process.cwd(), 'bin/istio-lab.js');
const track = process.argv.includes('--track') ? process.argv[process.argv.indexOf('--track') + 1] : 'core';

/** One plain-reporter line and when it arrived (ms after the command started). */
interface Line {
  at: number;
  text: string;
}

/** One lab's split, in ms. */
interface LabSplit {
  id: string;
  status: string;
  wallMs: number;
  waitMs: number;
  checkMs: number;
  /** Inside the lab (apply, bookkeeping, reporting) plus the gap to the next lab (its reset). */
  overheadMs: number;
}

/** Parse a plain-reporter duration: 340ms, 1.2s, 2m05s. */
function parseDuration(text: string): number {
  const m = /^(?:(\d+)m(\d{2})s|(\d+(?:\.\d+)?)(ms|s))$/.exec(text);
  if (!m) throw new Error(`unexpected duration "${text}" in the plain report`);
  if (m[1]) return (Number(m[1]) * 60 + Number(m[2])) * 1000;
  return Number(m[3]) * (m[4] === 's' ? 1000 : 1);
}

/** Run the command, stamping each stdout line on arrival; resolves with the lines and the wall time. */
function runStamped(args: string[], env: NodeJS.ProcessEnv): Promise<{ lines: Line[]; wallMs: number; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const start = now();
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Line[] = [];
    let partial = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const at = now() - start;
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const text of parts) lines.push({ at, text });
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ lines, wallMs: now() - start, code, stderr }));
  });
}

/** Split the run per lab from the plain lines (boundaries, waits) and the json report (checks, lab durations). */
function splitLabs(lines: Line[], json: any): LabSplit[] {
  const starts = lines.flatMap((l, i) => (/^\[lab\] \S+: /.test(l.text) ? [i] : []));
  const ends = lines.flatMap((l, i) => (/^\[lab\] (passed|FAILED|skipped) \S+ \(/.test(l.text) ? [i] : []));
  const runEnd = lines.findIndex((l) => /^\[run\] .* in /.test(l.text));
  if (!starts.length || starts.length !== ends.length || runEnd < 0) throw new Error('the plain report lacks lab or run lines');
  return starts.map((s, i): LabSplit => {
    const id = /^\[lab\] (\S+): /.exec(lines[s].text)![1];
    const report = json.labs[i];
    if (`${report.track}/${report.name}` !== id) throw new Error(`json lab ${i} is ${report.track}/${report.name}, plain says ${id}`);
    const waits = lines.slice(s, ends[i]).flatMap((l) => {
      const m = /^\[wait\] .*: (?:passed|FAILED|skipped) \((\d[^()]*)\)/.exec(l.text);
      return m ? [parseDuration(m[1])] : [];
    });
    const waitMs = waits.reduce((sum, ms) => sum + ms, 0);
    const checkMs = report.steps.flatMap((st: any) => st.checks).reduce((sum: number, c: any) => sum + c.durationMs, 0);
    const gapMs = lines[i + 1 < starts.length ? starts[i + 1] : runEnd].at - lines[ends[i]].at;
    return { id, status: report.status, wallMs: report.durationMs + gapMs, waitMs, checkMs, overheadMs: report.durationMs - waitMs - checkMs + gapMs };
  });
}

const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'istio-lab-bench-labs-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, ISTIO_LAB_HOME: join(home, '.istio-lab'), CI: 'true' };
  delete env.KUBECONFIG;
  const jsonFile = join(home, 'report.json');
  try {
    const t = now();
    if (spawnSync(process.execPath, [bin, 'sandbox', 'start'], { env, stdio: 'ignore' }).status !== 0) throw new Error('sandbox start failed');
    console.log(`(sandbox started in ${sec(now() - t)}, not counted below)`);
    const run = await runStamped(['run', '--all', '--track', track, '--reporter', 'plain', '--reporter', `json=${jsonFile}`], env);
    if (run.code !== 0 && run.code !== 1) throw new Error(`istio-lab run --all exited ${run.code}: ${run.stderr.slice(0, 500)}`);
    const json = JSON.parse(readFileSync(jsonFile, 'utf8'));
    const labs = splitLabs(run.lines, json);
    const startupMs = run.lines.find((l) => /^\[lab\] \S+: /.test(l.text))!.at;
    const runEndAt = run.lines.find((l) => /^\[run\] .* in /.test(l.text))!.at;
    const tailMs = run.wallMs - runEndAt;
    if (json.status !== 'passed') console.log(`note: the run did not pass (${json.summary.failed} failed, ${json.summary.skipped} skipped); the split still holds for what ran`);
    console.log(`${'lab'.padEnd(34)} ${'wall'.padStart(8)} ${'waits'.padStart(8)} ${'checks'.padStart(8)} ${'overhead'.padStart(9)}`);
    for (const l of labs) console.log(`${`${l.id}${l.status === 'passed' ? '' : ` (${l.status})`}`.padEnd(34)} ${sec(l.wallMs).padStart(8)} ${sec(l.waitMs).padStart(8)} ${sec(l.checkMs).padStart(8)} ${sec(l.overheadMs).padStart(9)}`);
    const waits = labs.reduce((s, l) => s + l.waitMs, 0);
    const checks = labs.reduce((s, l) => s + l.checkMs, 0);
    const inLabs = labs.reduce((s, l) => s + l.overheadMs, 0);
    const overhead = run.wallMs - waits - checks;
    console.log(`total: wall ${sec(run.wallMs)} = demanded ${sec(waits + checks)} (waits ${sec(waits)}, checks ${sec(checks)}) + overhead ${sec(overhead)} (start-up to first lab ${sec(startupMs)}, in labs and resets ${sec(inLabs)}, after the last ${sec(tailMs)})`);
    const perLab = labs.map((l) => l.overheadMs);
    const shared = (startupMs + tailMs) / labs.length;
    const med = median(perLab) + shared;
    report('istio-lab overhead per lab (run --all)', `median ${sec(median(perLab))} + ${sec(shared)} start-up share, max ${sec(Math.max(...perLab))} (${labs.length} labs)`, med / 1000, '<= 1 s per lab, median', med <= 1000);
  } finally {
    spawnSync(process.execPath, [bin, 'sandbox', 'stop'], { env, stdio: 'ignore' });
    rmSync(home, { recursive: true, force: true });
  }
}

await main();
