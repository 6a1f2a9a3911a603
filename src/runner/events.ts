// Typed events the runner emits while it works; reporters render them, nothing else.

/** Outcome of a check, step or lab. */
export type Status = 'passed' | 'failed' | 'skipped';

/** What one check observed. */
export interface CheckOutcome {
  kind: string;
  name: string;
  status: Status;
  message: string;
  attempts: number;
  durationMs: number;
  /** Data the check saw (distribution, sample responses, objects); rendered on failure. */
  observed?: unknown;
}

/** Change made by one action to one object. */
export interface ObjectChange {
  ref: string;
  result: 'created' | 'configured' | 'unchanged' | 'deleted' | 'absent' | 'labeled' | 'patched' | 'scaled' | 'restarted' | 'planned' | 'skipped';
}

/** Every event, tagged by `type`. */
export type RunEvent =
  | { type: 'run-start'; mode: 'run' | 'verify' | 'reset'; target: { context: string; server: string; sandbox: boolean }; labs: string[]; dryRun: boolean }
  | { type: 'notice'; message: string }
  | { type: 'lab-start'; lab: string; title: string; steps: number }
  | { type: 'step-start'; lab: string; step: string; title: string; index: number }
  | { type: 'action'; lab: string; step: string; summary: string; changes: ObjectChange[] }
  | { type: 'wait'; lab: string; step: string; summary: string; durationMs: number; status: Status; message?: string }
  | { type: 'check'; lab: string; step: string; phase: 'prove' | 'check'; outcome: CheckOutcome }
  | { type: 'step-end'; lab: string; step: string; status: Status; durationMs: number; hint?: string; diagnostics?: string }
  | { type: 'lab-end'; lab: string; status: Status; durationMs: number }
  | { type: 'run-end'; status: Status; durationMs: number; interrupted: boolean; summary: { passed: number; failed: number; skipped: number }; requests: number; retries?: number };

/** Receives runner events. */
export type EventSink = (event: RunEvent) => void;
