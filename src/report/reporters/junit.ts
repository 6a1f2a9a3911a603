// JUnit reporter: at close, writes JUnit XML — a <testsuite> per lab, a <testcase> per step.
import { formatCheckLabel, formatCount } from '../format.js';
import { markdownToPlain } from '../markdown.js';
import { ReportBuilder, type LabReport, type RunReport, type StepReport } from '../model.js';
import { formatInline } from '../observed.js';
import type { Reporter, ReporterContext } from '../reporter.js';
import { escapeXmlAttr as attr, escapeXmlText as text } from '../xml.js';

/** Render a run as a JUnit XML document; `startedAt` maps a lab id (`track/lab`) to its ISO start time. When API calls were retried, each suite carries the run's count as property `retries` (JUnit has no run-level properties). */
export function toJunitXml(r: RunReport, startedAt: ReadonlyMap<string, string> = new Map()): string {
  const suites = r.labs.map((l) => suiteXml(l, startedAt.get(labId(l)), r.retries));
  const count = (s: StepReport['status']) => r.labs.reduce((n, l) => n + l.steps.filter((st) => st.status === s).length, 0);
  const tests = r.labs.reduce((n, l) => n + l.steps.length, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="istio-lab" tests="${tests}" failures="${count('failed')}" errors="0" skipped="${count('skipped')}" time="${seconds(r.durationMs)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

/** JUnit reporter: folds events with ReportBuilder, records lab start times, writes XML at close. */
export function createJunitReporter(ctx: ReporterContext): Reporter {
  const builder = new ReportBuilder();
  const startedAt = new Map<string, string>();
  return {
    onEvent(e) {
      if (e.type === 'lab-start') startedAt.set(e.lab, new Date(ctx.now()).toISOString().slice(0, 19));
      builder.add(e);
    },
    async close() {
      ctx.output.write(toJunitXml(builder.report, startedAt));
      await ctx.output.close();
    },
  };
}

function labId(l: LabReport): string {
  return l.track ? `${l.track}/${l.name}` : l.name;
}

function suiteXml(l: LabReport, timestamp: string | undefined, retries: number): string {
  const id = attr(labId(l));
  const n = (s: StepReport['status']) => l.steps.filter((st) => st.status === s).length;
  const ts = timestamp ? ` timestamp="${timestamp}"` : '';
  const head = `  <testsuite name="${id}" tests="${l.steps.length}" failures="${n('failed')}" errors="0" skipped="${n('skipped')}" time="${seconds(l.durationMs)}"${ts}>`;
  const properties = retries > 0 ? ['    <properties>', `      <property name="retries" value="${retries}"/>`, '    </properties>'] : [];
  return [head, ...properties, ...l.steps.map((s) => caseXml(id, s)), '  </testsuite>'].join('\n');
}

function caseXml(classname: string, s: StepReport): string {
  const open = `    <testcase classname="${classname}" name="${attr(s.name)}" time="${seconds(s.durationMs)}"`;
  if (s.status === 'passed') return `${open}/>`;
  if (s.status === 'skipped') return `${open}>\n      <skipped/>\n    </testcase>`;
  const failed = s.checks.filter((c) => c.status === 'failed');
  const message = failed.length > 0 ? failed.map((c) => `${formatCheckLabel(c)}: ${c.message}`).join('; ') : failedWaits(s).join('; ') || 'step failed';
  const type = failed[0]?.kind ?? 'step';
  return `${open}>\n      <failure message="${attr(message)}" type="${attr(type)}">${text(failureBody(s))}</failure>\n    </testcase>`;
}

/** Body: each failed check with its observed data, then the hint and diagnostics. */
function failureBody(s: StepReport): string {
  const parts: string[] = [];
  for (const c of s.checks.filter((c) => c.status === 'failed')) {
    parts.push(`${formatCheckLabel(c)}: ${c.message} (${formatCount(c.attempts, 'attempt')})`);
    if (c.observed !== undefined) parts.push(`observed: ${formatInline(c.observed, 2000)}`);
  }
  parts.push(...failedWaits(s));
  if (s.hint) parts.push('', 'Hint:', ...markdownToPlain(s.hint));
  if (s.diagnostics) parts.push('', 'Diagnostics:', s.diagnostics.replace(/\n+$/, ''));
  return parts.join('\n');
}

function failedWaits(s: StepReport): string[] {
  return s.actions.filter((a) => /^wait .*: failed\b/.test(a));
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}
