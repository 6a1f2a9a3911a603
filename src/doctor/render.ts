// Renders a doctor report: one line per check (status, name, summary), details and fixes
// indented below, the ingress exports, and a count; or JSON for machines.
import { formatIngressExports } from './ingress-address.js';
import type { CheckId, CheckStatus, DoctorReport } from './types.js';

/** The name printed for each check. */
const TITLES: Record<CheckId, string> = {
  context: 'context',
  cluster: 'cluster',
  sandbox: 'sandbox',
  istio: 'istio',
  crds: 'CRDs',
  injection: 'injection',
  ingress: 'ingress',
  kubectl: 'kubectl',
  istioctl: 'istioctl',
};

const STATUS_WIDTH = 4;
const TITLE_WIDTH = 9;

/** Counts checks by status: "6 ok, 1 warning, 1 failed". */
function formatCounts(report: DoctorReport): string {
  const n = (status: CheckStatus) => report.checks.filter((c) => c.status === status).length;
  const warnings = n('warn');
  return `${n('ok')} ok, ${warnings} warning${warnings === 1 ? '' : 's'}, ${n('fail')} failed`;
}

/** Text output, one check per line. */
export function formatDoctorText(report: DoctorReport): string {
  const indent = ' '.repeat(2 + STATUS_WIDTH + 2 + TITLE_WIDTH + 1);
  const lines = report.checks.flatMap((c) => [
    `  ${c.status.padEnd(STATUS_WIDTH)}  ${TITLES[c.id].padEnd(TITLE_WIDTH)} ${c.summary}`,
    ...(c.details ?? []).map((d) => `${indent}${d}`),
    ...(c.fix ? [`${indent}fix: ${c.fix}`] : []),
  ]);
  const ingress = report.ingress ? ['', 'Ingress gateway (as istio.io\'s ingress tasks set it):', ...formatIngressExports(report.ingress).map((l) => `  ${l}`)] : [];
  return [...lines, ...ingress, '', formatCounts(report)].join('\n') + '\n';
}

/** JSON output: target, outcome, checks and the ingress address with its export lines. */
export function formatDoctorJson(report: DoctorReport): string {
  const ingress = report.ingress ? { ...report.ingress, exports: formatIngressExports(report.ingress) } : undefined;
  return `${JSON.stringify({ target: report.target ?? null, outcome: report.outcome, checks: report.checks, ingress: ingress ?? null }, null, 2)}\n`;
}
