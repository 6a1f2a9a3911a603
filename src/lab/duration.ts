// Durations as lab authors write them ("500ms", "3s", "2m", "1m30s") and their value in ms.

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** Pattern a duration string must match: one or more `<number><unit>` parts, units ms|s|m|h. */
export const DURATION_PATTERN = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** Parses a duration string ("500ms", "3s", "2m", "1m30s") to milliseconds; throws on bad input. */
export function parseDuration(text: string): number {
  if (!DURATION_PATTERN.test(text)) {
    throw new Error(`expected a duration such as "500ms", "3s" or "2m" (got ${JSON.stringify(text)})`);
  }
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART)) {
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return Math.round(total);
}

/** Reports whether a string is a valid duration, without throwing. */
export function isDuration(text: string): boolean {
  return DURATION_PATTERN.test(text);
}
