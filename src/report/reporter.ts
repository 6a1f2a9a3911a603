// The reporter seam: turn runner events into output, and turn --reporter specs into reporters.
import { resolve } from 'node:path';
import type { EventSink, RunEvent } from '../runner/events.js';
import { createFileOutput, createStreamOutput, type ReportOutput } from './output.js';
import { redactDeep } from './redact.js';
import { reporterFactories, type ReporterName } from './reporters/index.js';
import { detectTerminal, NO_TERMINAL, type TerminalCaps, type TerminalStream } from './terminal.js';

/** Renders runner events to one destination (terminal, log, file). */
export interface Reporter {
  /** Called for every runner event, in the order the runner emits them. */
  onEvent(e: RunEvent): void;
  /** Called once after the last event (also after a crash or interrupt); file reporters write here. */
  close(): Promise<void>;
}

/** What a reporter factory gets: its output, what that output can show, and a clock. */
export interface ReporterContext {
  output: ReportOutput;
  terminal: TerminalCaps;
  now: () => number;
}

/** Builds one reporter from its context. */
export type ReporterFactory = (ctx: ReporterContext) => Reporter;

/** A parsed `--reporter` value: `json` (stdout) or `json=report.json` (a file). */
export interface ReporterSpec {
  name: ReporterName;
  file?: string;
}

/** Options for createReporters: stdout, env and cwd are injected, never read from globals. */
export interface CreateReportersOptions {
  stdout: TerminalStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  now?: () => number;
}

/** Valid reporter names, for help text and errors. */
export const reporterNames = Object.keys(reporterFactories) as ReporterName[];

/** Parse one spec (`name` or `name=path`); throws on unknown names or an empty path. */
export function parseReporterSpec(spec: string): ReporterSpec {
  const eq = spec.indexOf('=');
  const name = (eq < 0 ? spec : spec.slice(0, eq)).trim();
  if (!Object.hasOwn(reporterFactories, name)) {
    throw new Error(`unknown reporter "${name}"; valid reporters: ${reporterNames.join(', ')} (optionally name=file)`);
  }
  if (eq < 0) return { name: name as ReporterName };
  const file = spec.slice(eq + 1).trim();
  if (!file) throw new Error(`reporter "${name}" needs a file after "=", e.g. ${name}=report.${name === 'junit' ? 'xml' : name === 'json' ? 'json' : 'txt'}`);
  return { name: name as ReporterName, file };
}

/** The reporter stdout gets when nobody names one: pretty on an interactive colour terminal, else plain. */
export function defaultReporterName(stdout: TerminalStream, env: NodeJS.ProcessEnv): ReporterName {
  return detectTerminal(stdout, env).spinner ? 'pretty' : 'plain';
}

/**
 * Build reporters from --reporter specs. At most one spec may write to stdout; when none does,
 * stdout gets the default reporter (so `--reporter junit=out.xml` still shows progress).
 */
export function createReporters(specs: string[], opts: CreateReportersOptions): Reporter[] {
  const parsed = specs.map(parseReporterSpec);
  const onStdout = parsed.filter((s) => s.file === undefined);
  if (onStdout.length > 1) {
    throw new Error(`at most one reporter may write to stdout, got ${onStdout.map((s) => s.name).join(', ')}; send the others to files (e.g. json=report.json)`);
  }
  const files = new Set<string>();
  for (const s of parsed) {
    if (s.file === undefined) continue;
    const path = resolve(opts.cwd, s.file);
    if (files.has(path)) throw new Error(`two reporters write to the same file: ${s.file}`);
    files.add(path);
  }
  if (onStdout.length === 0) parsed.unshift({ name: defaultReporterName(opts.stdout, opts.env) });
  const now = opts.now ?? Date.now;
  return parsed.map((s) => {
    const ctx: ReporterContext = s.file === undefined
      ? { output: createStreamOutput(opts.stdout), terminal: detectTerminal(opts.stdout, opts.env), now }
      : { output: createFileOutput(resolve(opts.cwd, s.file)), terminal: NO_TERMINAL, now };
    return reporterFactories[s.name](ctx);
  });
}

/**
 * One sink that hands each event to every reporter, with credentials redacted (redact.ts); a
 * throwing reporter does not starve the others.
 */
export function fanOut(reporters: readonly Reporter[]): EventSink {
  return (event) => {
    const errors: unknown[] = [];
    const safe = redactDeep(event);
    for (const r of reporters) {
      try {
        r.onEvent(safe);
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} reporters failed on ${event.type}`);
  };
}

/** Close every reporter (all of them, even if some fail); rethrows the failures afterwards. */
export async function closeReporters(reporters: readonly Reporter[]): Promise<void> {
  const results = await Promise.allSettled(reporters.map((r) => r.close()));
  const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} reporters failed to close`);
}
