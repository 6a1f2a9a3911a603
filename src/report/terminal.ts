// What the output terminal can do (live spinners, colour depth), decided from the stream and an injected env only.

/** Chalk-style colour level: 0 none, 1 basic 16, 2 256, 3 truecolor. */
export type ColorLevel = 0 | 1 | 2 | 3;

/** Capabilities a reporter may use. */
export interface TerminalCaps {
  /** Live redraws (spinners) are allowed: an interactive TTY, not CI, TERM not dumb, colour not disabled. */
  spinner: boolean;
  /** Colour depth to render with. */
  colorLevel: ColorLevel;
}

/** The minimum a stream must offer for detection (process.stdout and tty.WriteStream qualify). */
export type TerminalStream = NodeJS.WritableStream & { isTTY?: boolean; getColorDepth?: (env?: NodeJS.ProcessEnv) => number };

/** Capabilities for a file or other non-terminal output: no spinner, no colour. */
export const NO_TERMINAL: TerminalCaps = { spinner: false, colorLevel: 0 };

/**
 * Decide capabilities. FORCE_COLOR wins over NO_COLOR (as in Node): `0`/`false` disables colour,
 * `1`/`true`/empty → level 1, `2`, `3`. It never turns spinners on for a non-interactive stream.
 */
export function detectTerminal(stream: TerminalStream, env: NodeJS.ProcessEnv): TerminalCaps {
  const forced = parseForceColor(env.FORCE_COLOR);
  const colorOff = forced === 0 || (forced === undefined && env.NO_COLOR !== undefined && env.NO_COLOR !== '');
  const interactive = stream.isTTY === true && !isCi(env) && env.TERM !== 'dumb';
  const colorLevel = forced ?? (colorOff || !interactive ? 0 : depthToLevel(stream.getColorDepth?.(env)));
  return { spinner: interactive && !colorOff, colorLevel };
}

/** True when env says we run under CI (`CI` set to anything but empty, `0` or `false`). */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const v = env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

function parseForceColor(v: string | undefined): ColorLevel | undefined {
  if (v === undefined) return undefined;
  if (v === '0' || v.toLowerCase() === 'false') return 0;
  if (v === '2') return 2;
  if (v === '3') return 3;
  return 1;
}

function depthToLevel(depth: number | undefined): ColorLevel {
  if (depth === undefined) return 1;
  if (depth >= 24) return 3;
  if (depth >= 8) return 2;
  return depth >= 4 ? 1 : 0;
}
