// JSON reporter: at close, writes the whole run (labs → steps → checks, summary) as one JSON document.
import { toJsonValue } from '../json-value.js';
import { ReportBuilder, type RunReport } from '../model.js';
import type { Reporter, ReporterContext } from '../reporter.js';

/** Version of the JSON document's shape; bump when a field changes meaning or disappears. */
export const JSON_REPORT_VERSION = 1;

/** The JSON document: a stable shape (absent values are null, never missing). */
export function toJsonReport(r: RunReport): unknown {
  return {
    version: JSON_REPORT_VERSION,
    mode: r.mode,
    target: r.target ?? null,
    status: r.status,
    interrupted: r.interrupted,
    durationMs: r.durationMs,
    requests: r.requests,
    retries: r.retries,
    notices: r.notices,
    labs: r.labs.map((l) => ({
      name: l.name,
      track: l.track,
      title: l.title,
      status: l.status,
      durationMs: l.durationMs,
      steps: l.steps.map((s) => ({
        name: s.name,
        title: s.title,
        status: s.status,
        durationMs: s.durationMs,
        checks: s.checks.map((c) => ({
          kind: c.kind,
          name: c.name,
          status: c.status,
          message: c.message,
          attempts: c.attempts,
          durationMs: c.durationMs,
          observed: toJsonValue(c.observed) ?? null,
        })),
        actions: s.actions,
        hint: s.hint ?? null,
        diagnostics: s.diagnostics ?? null,
      })),
    })),
    summary: r.summary,
  };
}

/** JSON reporter: folds events with ReportBuilder and writes the document once, at close. */
export function createJsonReporter(ctx: ReporterContext): Reporter {
  const builder = new ReportBuilder();
  return {
    onEvent: (e) => builder.add(e),
    async close() {
      ctx.output.write(`${JSON.stringify(toJsonReport(builder.report), null, 2)}\n`);
      await ctx.output.close();
    },
  };
}
