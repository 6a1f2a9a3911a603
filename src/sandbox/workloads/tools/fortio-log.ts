// fortio.org/log as fortio writes it to stderr: one JSON object per line when stderr is not a terminal
// (kubectl exec without -t), a short console form on a terminal; levels Debug … Fatal.
import type { Clock } from '../../runtime/determinism.js';
import { writeText } from './tool.js';

/** fortio's log levels, lowest (most verbose) first. */
export const LOG_LEVELS = ['Debug', 'Verbose', 'Info', 'Warning', 'Error', 'Critical', 'Fatal'] as const;
const JSON_NAMES = ['dbug', 'trace', 'info', 'warn', 'err', 'crit', 'fatal'];
const LETTERS = ['D', 'V', 'I', 'W', 'E', 'C', 'F'];

/** The level index for a -loglevel value (name, case-insensitive, or number); undefined when unknown. */
export function parseLogLevel(text: string): number | undefined {
  if (/^\d$/.test(text) && Number(text) < LOG_LEVELS.length) return Number(text);
  const i = LOG_LEVELS.findIndex((l) => l.toLowerCase() === text.toLowerCase() || (text.toLowerCase() === 'warn' && l === 'Warning'));
  return i >= 0 ? i : undefined;
}

/** Writes fortio log lines at or above a level. */
export class FortioLogger {
  constructor(
    private readonly out: NodeJS.WritableStream,
    public level: number,
    private readonly json: boolean,
    private readonly clock: Clock,
    /** Client tools (`fortio curl`) log without file/line, in console form. */
    private readonly plain = false,
  ) {}

  /** True when messages at `level` are written. */
  enabled(level: number): boolean {
    return level >= this.level;
  }

  /** Logs `msg` with structured attributes, as fortio's source location `file:line` would. */
  log(level: number, where: [string, number], msg: string, attrs: Record<string, string | number> = {}, routine = 1): Promise<void> {
    if (!this.enabled(level)) return Promise.resolve();
    const now = this.clock.now();
    if (this.json && !this.plain) {
      const fields = [`"ts":${(now.getTime() / 1000).toFixed(6)}`, `"level":"${JSON_NAMES[level]}"`, `"r":${routine}`, `"file":"${where[0]}"`, `"line":${where[1]}`, `"msg":${JSON.stringify(msg)}`];
      for (const [k, v] of Object.entries(attrs)) fields.push(`${JSON.stringify(k)}:${typeof v === 'number' ? v : JSON.stringify(v)}`);
      return writeText(this.out, `{${fields.join(',')}}\n`);
    }
    const extra = Object.entries(attrs).map(([k, v]) => `, ${k}=${typeof v === 'number' ? v : JSON.stringify(v)}`).join('');
    if (this.plain) return writeText(this.out, `[${LETTERS[level]}] ${msg}${extra}\n`);
    const time = now.toISOString().slice(11, 23);
    return writeText(this.out, `${time} r${routine} [${LETTERS[level]}] ${where[0]}:${where[1]}> ${msg}${extra}\n`);
  }
}
