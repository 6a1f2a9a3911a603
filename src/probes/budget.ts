// The time one attempt of a check may take: until the check's deadline (its eventually.timeout),
// which the runner hands to each attempt. Probes that exec in pods or wait on requests bound each
// exec and request by what remains, so a check never overruns its timeout by more than about half a second.

/** The limit of one attempt, set by the eventual-consistency loop (runner/check.ts). */
export interface AttemptBudget {
  /** Epoch ms by which the check must have ended. */
  deadline: number;
}

/** Time allowed past the deadline for an exec to report what it saw (curl's own -m fires first). */
export const BUDGET_GRACE_MS = 500;

/** A timeout for one exec or request: `cap`, lowered to the time left (plus the grace) when there is a budget. */
export function boundTimeout(budget: AttemptBudget | undefined, cap: number, now = Date.now()): number {
  if (!budget) return cap;
  return Math.max(1, Math.min(cap, budget.deadline - now + BUDGET_GRACE_MS));
}
