// Renders a validation report: one line per problem plus a summary, or JSON for machines.
import { formatLabError } from '../lab/index.js';
import type { ValidationReport } from './validate-paths.js';

/** Pluralizes a count: "1 file", "2 files". */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The summary line: "3 files checked, 1 error, 2 warnings". */
export function formatSummary(report: ValidationReport): string {
  return `${count(report.files.length, 'file')} checked, ${count(report.errorCount, 'error')}, ${count(report.warningCount, 'warning')}`;
}

/** Text output: `file:line:col path: message` per problem (warnings marked), then the summary. */
export function formatReportText(report: ValidationReport): string {
  return [...report.problems.map(formatLabError), formatSummary(report)].join('\n') + '\n';
}

/** JSON output: the files checked, counts, and each problem with its position. */
export function formatReportJson(report: ValidationReport): string {
  const problems = report.problems.map((p) => ({ file: p.file, line: p.line, column: p.column, path: p.path, severity: p.severity, message: p.message }));
  const body = { files: report.files, errors: report.errorCount, warnings: report.warningCount, problems };
  return `${JSON.stringify(body, null, 2)}\n`;
}
