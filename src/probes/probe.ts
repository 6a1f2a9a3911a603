// The probe seam: one attempt at a check, returning a verdict and what was observed.
import type { StepContext } from '../runner/context.js';
import type { AttemptBudget } from './budget.js';

/** One attempt's verdict. */
export interface ProbeResult {
  ok: boolean;
  /** One line saying what was seen, for the report. */
  message: string;
  /** Details attached to the report on failure. */
  observed?: unknown;
  /** Set when the check cannot run here (e.g. istioctl not installed): the reason; the check is skipped, not retried. */
  skipped?: string;
}

/** Runs one attempt of a check of kind C. Called repeatedly by the eventual-consistency loop, with the check's deadline. */
export type Probe<C> = (check: C, ctx: StepContext, budget?: AttemptBudget) => Promise<ProbeResult>;
