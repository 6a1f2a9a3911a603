// Near-miss suggestions ("did you mean ...?") by edit distance.

/** Levenshtein edit distance between two strings. */
export function measureEditDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
    }
    previous = current;
  }
  return previous[b.length];
}

/** Returns up to `limit` candidates close to `word` (small edit distance or containing it), best first. */
export function findClosest(word: string, candidates: readonly string[], limit = 3): string[] {
  const needle = word.toLowerCase();
  const budget = Math.max(2, Math.floor(needle.length / 3));
  return [...new Set(candidates)]
    .map((candidate) => {
      const hay = candidate.toLowerCase();
      const distance = measureEditDistance(needle, hay);
      const contains = needle.length >= 3 && (hay.includes(needle) || needle.includes(hay));
      return { candidate, score: contains ? Math.min(distance, budget) : distance };
    })
    .filter(({ score }) => score <= budget)
    .sort((x, y) => x.score - y.score || x.candidate.localeCompare(y.candidate))
    .slice(0, limit)
    .map(({ candidate }) => candidate);
}

/** Formats suggestions as ` (did you mean "a" or "b"?)`, or '' when there are none. */
export function formatSuggestion(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  const quoted = suggestions.map((s) => `"${s}"`);
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
  return ` (did you mean ${list}?)`;
}
