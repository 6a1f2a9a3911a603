// `logs` probe: a workload's logs since the step began (or the last `since`) contain / do not
// contain text, or have a number of lines matching a pattern (e.g. mirrored requests in v2).
import type { LogsCheck } from '../lab/index.js';
import { parseDuration } from '../lab/index.js';
import type { Probe } from './probe.js';
import { findWorkloadPods, selectAppContainer } from './workload.js';

/** RFC 3339 at whole seconds (rounded down), as the API server's sinceTime wants it. */
function toSinceTime(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Creates the logs probe; `now` is used for `since` (default Date.now). */
export function createLogsProbe(now: () => number = Date.now): Probe<LogsCheck> {
  return async (check, ctx) => {
    const { namespace, describe, pods } = await findWorkloadPods(ctx.cluster, check, ctx.loaded.lab.namespace);
    const since = check.since ? new Date(now() - parseDuration(check.since)) : ctx.startedAt;
    const texts = await Promise.all(
      pods.map(async (p) => ({ pod: p.metadata.name!, text: await ctx.cluster.logs(namespace, p.metadata.name!, selectAppContainer(p, check.container), { sinceTime: toSinceTime(since) }) })),
    );
    const lines = texts.flatMap((t) => t.text.split('\n').filter((l) => l.trim() !== '').map((line) => ({ pod: t.pod, line })));
    const problems: string[] = [];
    for (const text of check.contains ?? []) if (!lines.some((l) => l.line.includes(text))) problems.push(`no line contains ${JSON.stringify(text)}`);
    const unwanted = (check.notContains ?? []).flatMap((text) => lines.filter((l) => l.line.includes(text)).slice(0, 1).map((l) => ({ text, l })));
    for (const { text, l } of unwanted) problems.push(`${l.pod} logged ${JSON.stringify(text)}`);
    let counted = '';
    if (check.count) {
      const re = new RegExp(check.count.pattern);
      const n = lines.filter((l) => re.test(l.line)).length;
      counted = `${n} lines match /${check.count.pattern}/`;
      if (check.count.min !== undefined && n < check.count.min) problems.push(`${counted}, expected at least ${check.count.min}`);
      if (check.count.max !== undefined && n > check.count.max) problems.push(`${counted}, expected at most ${check.count.max}`);
    }
    const scope = `${lines.length} log lines of ${describe} (${pods.length} pod${pods.length === 1 ? '' : 's'}) since ${since.toISOString()}`;
    if (!problems.length) return { ok: true, message: `${counted || 'logs match'} in ${scope}` };
    const tail = [...unwanted.map((u) => `${u.l.pod}: ${u.l.line}`), ...lines.slice(-5).map((l) => `${l.pod}: ${l.line}`)].slice(0, 6);
    return { ok: false, message: `${problems.slice(0, 3).join('; ')} in ${scope}`, observed: tail.join('\n') || '(no log lines)' };
  };
}

/** The logs probe on real time. */
export const logsProbe = createLogsProbe();
