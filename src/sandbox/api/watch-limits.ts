// Bounds on open watch streams, per client and in total, so one runaway client cannot exhaust the
// sandbox. Past a bound a new watch gets 429 TooManyRequests with Retry-After, the answer a real
// API server's priority and fairness gives an overloaded client; watches already open keep going.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './status.js';

/** How many watches may be open at once. */
export interface WatchLimits {
  /** Across all clients. */
  total: number;
  /** Per client: its User-Agent (every client shares the one token and the loopback address). */
  perClient: number;
}

/** Generous defaults: a run holds a handful of watches, kubectl one each. */
export const defaultWatchLimits: WatchLimits = { total: 1000, perClient: 250 };

/** Counts open watches and refuses new ones past the limits. */
export class WatchLimiter {
  private open = 0;
  private readonly byClient = new Map<string, number>();

  constructor(private readonly limits: WatchLimits = defaultWatchLimits) {}

  /** Admits a watch request (freeing its slot when the response closes), or throws 429 when full. */
  admit(req: IncomingMessage, res: ServerResponse): void {
    const client = req.headers['user-agent'] || 'unknown client';
    const mine = this.byClient.get(client) ?? 0;
    if (mine >= this.limits.perClient) throw tooManyWatches(`this client (User-Agent ${JSON.stringify(client)}) already has ${mine} watches open, the most one client may hold`);
    if (this.open >= this.limits.total) throw tooManyWatches(`${this.open} watches are open, the most the sandbox serves at once`);
    this.open++;
    this.byClient.set(client, mine + 1);
    let released = false;
    res.on('close', () => {
      if (released) return;
      released = true;
      this.open--;
      const left = (this.byClient.get(client) ?? 1) - 1;
      if (left > 0) this.byClient.set(client, left);
      else this.byClient.delete(client);
    });
  }

  /** Watches open now (tests and status). */
  get count(): number {
    return this.open;
  }
}

function tooManyWatches(why: string): ApiError {
  return new ApiError(429, 'TooManyRequests', `too many watches: ${why}; close watches you no longer need, or retry later`, { retryAfterSeconds: 1 });
}
