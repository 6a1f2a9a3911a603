// Telemetry accessLogging `filter.expression` is CEL that Envoy evaluates per request. The sandbox
// evaluates the subset Istio's docs use — comparisons of `response.code` with an integer, joined by
// && and || (istio.io "Configure access logs with Telemetry API": `response.code >= 400`) — and
// reports any other expression as not emulated (telemetry-warnings.ts) instead of guessing.

const atomPattern = /^\s*response\.code\s*(>=|<=|==|!=|>|<)\s*(\d+)\s*$/;

const compare: Record<string, (a: number, b: number) => boolean> = {
  '>=': (a, b) => a >= b,
  '<=': (a, b) => a <= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '>': (a, b) => a > b,
  '<': (a, b) => a < b,
};

/** One `response.code <op> N` comparison, or undefined when the text is anything else. */
function compileAtom(text: string): ((status: number) => boolean) | undefined {
  const m = atomPattern.exec(text);
  if (!m) return undefined;
  const [, op, value] = m;
  return (status) => compare[op](status, Number(value));
}

/** Compile a filter expression to a test on the response code; undefined when the sandbox cannot evaluate it. */
export function compileAccessLogFilter(expression: string): ((status: number) => boolean) | undefined {
  const clauses = expression.split('||').map((or) => or.split('&&').map(compileAtom));
  if (clauses.some((and) => and.some((f) => !f))) return undefined;
  return (status) => clauses.some((and) => and.every((f) => f!(status)));
}

/** %RESPONSE_CODE% of a line in Istio's default TEXT format (0 when the connection had no response). */
export function responseCodeOf(line: string): number {
  return Number(/^\[[^\]]*\] "[^"]*" (\d+) /.exec(line)?.[1] ?? 0);
}
