// Pretty reporter: a spinner per running step, coloured marks, failures explained under their step.
import { Chalk, type ChalkInstance } from 'chalk';
import ora, { type Ora } from 'ora';
import type { CheckOutcome, RunEvent, Status } from '../../runner/events.js';
import { formatCheckLabel, formatCount, formatDuration, formatSummary, sanitizeText } from '../format.js';
import { markdownToPlain } from '../markdown.js';
import { summarizeObserved } from '../observed.js';
import type { Reporter, ReporterContext } from '../reporter.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const INDENT = '    ';

/** Pretty reporter for people at a terminal; without spinner support it prints each step once it ends. */
export function createPrettyReporter(ctx: ReporterContext): Reporter {
  const c = new Chalk({ level: ctx.terminal.colorLevel });
  const out = ctx.output;
  const canSpin = ctx.terminal.spinner && out.stream !== undefined;
  let spinner: Ora | undefined;
  let step: { id: string; text: string; failures: string[] } | undefined;

  /** Write text, keeping a live spinner below it. */
  const print = (text: string) => {
    spinner?.clear();
    out.write(text);
    spinner?.render();
  };
  /** Finish the current step line with a mark (persisting the spinner when there is one). */
  const finish = (mark: string, suffix: string) => {
    if (!step) return;
    const text = `${step.text}${suffix}`;
    if (spinner) spinner.stopAndPersist({ symbol: mark, text });
    else out.write(`${mark} ${text}\n`);
    spinner = undefined;
    step = undefined;
  };
  const marks: Record<Status, string> = { passed: c.green('✔'), failed: c.red('✖'), skipped: c.yellow('↓') };

  const onEvent = (e: RunEvent): void => {
    switch (e.type) {
      case 'run-start': {
        const t = e.target;
        const parts = [`istio-lab ${e.mode}`, `${t.context}${t.sandbox ? ' (sandbox)' : ''}`, t.server, ...(e.dryRun ? ['dry run'] : [])];
        print(`${c.dim(clean(parts.join(' · ')))}\n`);
        return;
      }
      case 'notice':
        print(`${c.dim(clean(e.message))}\n`);
        return;
      case 'lab-start':
        print(`\n${c.bold(e.lab)}  ${clean(e.title)} ${c.dim(`(${formatCount(e.steps, 'step')})`)}\n`);
        return;
      case 'step-start':
        finish(c.yellow('⚠'), c.dim(' (no result)'));
        step = { id: `${e.lab}\0${e.step}`, text: `${e.lab} › ${clean(e.title)}`, failures: [] };
        if (canSpin) spinner = startSpinner(out.stream!, step.text, c);
        return;
      case 'action':
        return;
      case 'wait':
        if (e.status === 'failed') step?.failures.push(...detail(c, clean(`wait ${e.summary}`), e.message ?? 'failed'));
        return;
      case 'check':
        if (e.outcome.status === 'failed') step?.failures.push(...checkLines(c, e.outcome));
        return;
      case 'step-end': {
        if (step?.id !== `${e.lab}\0${e.step}`) step = { id: '', text: `${e.lab} › ${e.step}`, failures: [] };
        const lines = [...step.failures, ...hintLines(c, e.hint), ...diagnosticLines(c, e.diagnostics)];
        finish(marks[e.status], e.status === 'skipped' ? c.dim(' skipped') : ` ${c.dim(`(${formatDuration(e.durationMs)})`)}`);
        if (lines.length > 0) out.write(lines.map((l) => `${l}\n`).join(''));
        return;
      }
      case 'lab-end':
        return;
      case 'run-end': {
        finish(c.yellow('⚠'), c.dim(' interrupted'));
        const s = e.summary;
        const counts = formatSummary(s)
          .replace(/^\d+ passed/, (m) => (s.passed > 0 ? c.green(m) : m))
          .replace(/\d+ failed/, (m) => (s.failed > 0 ? c.red(m) : m))
          .replace(/\d+ skipped$/, (m) => (s.skipped > 0 ? c.yellow(m) : m));
        const head = e.interrupted ? `${c.yellow('Interrupted.')}\n` : '';
        const retries = e.retries ? `, ${e.retries} ${e.retries === 1 ? 'retry' : 'retries'}` : '';
        out.write(`\n${head}${counts} ${c.dim(`in ${formatDuration(e.durationMs)}${retries}`)}\n`);
        return;
      }
    }
  };

  return {
    onEvent,
    async close() {
      spinner?.stop();
      spinner = undefined;
      await out.close();
    },
  };
}

function startSpinner(stream: NodeJS.WritableStream, text: string, c: ChalkInstance): Ora {
  return ora({ stream, text, color: false, isEnabled: true, spinner: { interval: 80, frames: FRAMES.map((f) => c.cyan(f)) } }).start();
}

function clean(text: string): string {
  return sanitizeText(text).replace(/\n/g, ' ');
}

/** `    ✖ label: message` with continuation lines aligned underneath. */
function detail(c: ChalkInstance, label: string, message: string): string[] {
  const [first, ...rest] = sanitizeText(message).split('\n');
  return [`${INDENT}${c.red('✖')} ${c.red(label)}: ${first}`, ...rest.map((l) => `${INDENT}  ${l}`)];
}

function checkLines(c: ChalkInstance, o: CheckOutcome): string[] {
  const observed = summarizeObserved(o.observed, { maxLines: 4, width: 100 });
  return [...detail(c, formatCheckLabel(o), o.message), ...observed.map((l) => `${INDENT}    ${c.dim(l)}`)];
}

function hintLines(c: ChalkInstance, hint: string | undefined): string[] {
  if (!hint) return [];
  const lines = markdownToPlain(hint, { code: (s) => c.cyan(s), strong: (s) => c.bold(s) });
  return lines.map((l, i) => (i === 0 ? `${INDENT}${c.yellow('hint:')} ${l}` : l === '' ? '' : `${INDENT}      ${l}`));
}

function diagnosticLines(c: ChalkInstance, diagnostics: string | undefined): string[] {
  if (!diagnostics) return [];
  const lines = sanitizeText(diagnostics).replace(/\n+$/, '').split('\n');
  return [`${INDENT}${c.dim('diagnostics:')}`, ...lines.map((l) => `${INDENT}  ${c.dim(l)}`)];
}
