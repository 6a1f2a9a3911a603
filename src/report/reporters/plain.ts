// Plain reporter: one stable, tagged line per event for logs and CI (no colour, no redraws).
import type { RunEvent } from '../../runner/events.js';
import { formatCheckLabel, formatCount, formatDuration, formatSummary, sanitizeText } from '../format.js';
import { markdownToPlain } from '../markdown.js';
import { formatInline } from '../observed.js';
import type { Reporter, ReporterContext } from '../reporter.js';

/** Render one event as plain lines (exported so tests and other tools can reuse the format). */
export function formatPlainEvent(e: RunEvent): string[] {
  switch (e.type) {
    case 'run-start': {
      const { context, sandbox, server } = e.target;
      const flags = [e.mode === 'run' ? '' : ` [${e.mode}]`, e.dryRun ? ' [dry-run]' : ''].join('');
      return tagged('run', `target ${context}${sandbox ? ' (sandbox)' : ''} ${server}${flags}`);
    }
    case 'notice':
      return tagged('notice', e.message);
    case 'lab-start':
      return tagged('lab', `${e.lab}: ${e.title} (${formatCount(e.steps, 'step')})`);
    case 'step-start':
      return [`[step] ${e.lab} › ${e.step}`];
    case 'action': {
      const verb = /^[a-z][a-z-]*\b/.exec(e.summary)?.[0] ?? 'action';
      if (e.changes.length === 0) return tagged(verb, e.summary);
      return e.changes.map((c) => `[${verb}] ${c.ref} ${c.result}`);
    }
    case 'wait':
      return tagged('wait', `${e.summary}: ${status(e.status)} (${formatDuration(e.durationMs)})${e.message && e.status !== 'passed' ? `: ${e.message}` : ''}`);
    case 'check': {
      const o = e.outcome;
      const tag = e.phase === 'prove' ? 'prove' : 'check';
      const stats = `(${formatCount(o.attempts, 'attempt')}, ${formatDuration(o.durationMs)})`;
      if (o.status === 'passed') return tagged(tag, `passed ${formatCheckLabel(o)} ${stats}`);
      const lines = tagged(tag, `${status(o.status)} ${formatCheckLabel(o)}: ${o.message} ${stats}`);
      if (o.status === 'failed' && o.observed !== undefined) lines.push(...tagged('observed', formatInline(o.observed, 200)));
      return lines;
    }
    case 'step-end':
      return [
        ...(e.hint ? tagged('hint', markdownToPlain(e.hint).join('\n')) : []),
        ...(e.diagnostics ? tagged('diagnostics', e.diagnostics) : []),
        `[step] ${status(e.status)} ${e.lab} › ${e.step}${e.status === 'skipped' ? '' : ` (${formatDuration(e.durationMs)})`}`,
      ];
    case 'lab-end':
      return [`[lab] ${status(e.status)} ${e.lab} (${formatDuration(e.durationMs)})`];
    case 'run-end': {
      const how = e.interrupted ? 'INTERRUPTED' : status(e.status);
      const retries = e.retries ? `, ${e.retries} ${e.retries === 1 ? 'retry' : 'retries'}` : '';
      return [`[run] ${how} in ${formatDuration(e.durationMs)}, ${formatCount(e.requests, 'request')}${retries}`, formatSummary(e.summary)];
    }
  }
}

/** Plain reporter: writes each event's lines as they arrive. */
export function createPlainReporter(ctx: ReporterContext): Reporter {
  return {
    onEvent: (e) => ctx.output.write(formatPlainEvent(e).map((l) => `${l}\n`).join('')),
    close: () => ctx.output.close(),
  };
}

function status(s: string): string {
  return s === 'failed' ? 'FAILED' : s;
}

/** Prefix every line of (sanitised, possibly multi-line) text with `[tag]`, so each log line stands alone. */
function tagged(tag: string, text: string): string[] {
  const lines = sanitizeText(text).split('\n');
  while (lines.length > 1 && lines[lines.length - 1].trim() === '') lines.pop();
  return lines.map((l) => `[${tag}] ${l}`.trimEnd());
}
