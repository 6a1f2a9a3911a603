// The report model: plain data assembled from runner events (what the json and junit reporters write).
import type { CheckOutcome, RunEvent, Status } from '../runner/events.js';

/** One step in the report. */
export interface StepReport {
  name: string;
  title: string;
  status: Status;
  durationMs: number;
  checks: CheckOutcome[];
  actions: string[];
  hint?: string;
  diagnostics?: string;
}

/** One lab in the report. */
export interface LabReport {
  name: string;
  track: string;
  title: string;
  status: Status;
  durationMs: number;
  steps: StepReport[];
}

/** The whole run. */
export interface RunReport {
  mode: 'run' | 'verify' | 'reset';
  target?: { context: string; server: string; sandbox: boolean };
  labs: LabReport[];
  notices: string[];
  summary: { passed: number; failed: number; skipped: number };
  status: Status;
  durationMs: number;
  interrupted: boolean;
  requests: number;
  /** API calls retried after transient failures (cluster/retrying.ts). */
  retries: number;
}

/** Builds a RunReport incrementally from events. */
export class ReportBuilder {
  readonly report: RunReport = { mode: 'run', labs: [], notices: [], summary: { passed: 0, failed: 0, skipped: 0 }, status: 'passed', durationMs: 0, interrupted: false, requests: 0, retries: 0 };

  /** Fold one event into the report. */
  add(e: RunEvent): void {
    const r = this.report;
    switch (e.type) {
      case 'run-start':
        r.mode = e.mode;
        r.target = e.target;
        return;
      case 'notice':
        r.notices.push(e.message);
        return;
      case 'lab-start': {
        const slash = e.lab.lastIndexOf('/');
        const [track, name] = slash < 0 ? ['', e.lab] : [e.lab.slice(0, slash), e.lab.slice(slash + 1)];
        r.labs.push({ name, track, title: e.title, status: 'skipped', durationMs: 0, steps: [] });
        return;
      }
      case 'step-start':
        this.lab(e.lab)?.steps.push({ name: e.step, title: e.title, status: 'skipped', durationMs: 0, checks: [], actions: [] });
        return;
      case 'action':
        this.step(e.lab, e.step)?.actions.push(e.summary);
        return;
      case 'wait':
        this.step(e.lab, e.step)?.actions.push(`wait ${e.summary}: ${e.status}${e.message ? ` (${e.message})` : ''}`);
        return;
      case 'check':
        if (e.phase === 'check' || e.outcome.status === 'failed') this.step(e.lab, e.step)?.checks.push(e.outcome);
        return;
      case 'step-end': {
        const s = this.step(e.lab, e.step);
        if (s) Object.assign(s, { status: e.status, durationMs: e.durationMs, hint: e.hint, diagnostics: e.diagnostics });
        return;
      }
      case 'lab-end': {
        const l = this.lab(e.lab);
        if (l) Object.assign(l, { status: e.status, durationMs: e.durationMs });
        return;
      }
      case 'run-end':
        Object.assign(r, { status: e.status, durationMs: e.durationMs, interrupted: e.interrupted, summary: e.summary, requests: e.requests, retries: e.retries ?? 0 });
        return;
    }
  }

  private lab(id: string): LabReport | undefined {
    const slash = id.lastIndexOf('/');
    const [track, name] = slash < 0 ? ['', id] : [id.slice(0, slash), id.slice(slash + 1)];
    return [...this.report.labs].reverse().find((l) => l.name === name && l.track === track);
  }

  private step(lab: string, step: string): StepReport | undefined {
    return this.lab(lab)?.steps.findLast((s) => s.name === step);
  }
}
