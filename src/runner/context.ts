// What actions, waits and probes are given while a step runs.
import type { Cluster } from '../cluster/types.js';
import type { LoadedLab, Step } from '../lab/index.js';
import type { EventSink } from './events.js';
import type { StateStore } from './state.js';

/** Context of one step. */
export interface StepContext {
  cluster: Cluster;
  state: StateStore;
  loaded: LoadedLab;
  /** `track/name`. */
  labId: string;
  step: Step;
  emit: EventSink;
  signal: AbortSignal;
  /** Take over objects of the same name that istio-lab did not create. */
  adopt: boolean;
  /** Overrides every wait's timeout (ms). */
  timeoutMs?: number;
  /** Paths of external tools chosen on the command line (`--istioctl`); PATH lookup otherwise. */
  tools?: { istioctl?: string };
  /** When the step began (for logs since the step began). */
  startedAt: Date;
}

/** Thrown when the user interrupted the run (Ctrl-C); the runner stops after the current action. */
export class InterruptedError extends Error {
  constructor() {
    super('interrupted');
  }
}

/** Sleep that wakes early (with InterruptedError) when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new InterruptedError());
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new InterruptedError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
