// A PromQL parser for the subset the sandbox's Prometheus evaluates (promql-errors.ts names it).
// Precedence climbing over the tokens of promql-lexer.ts; valid PromQL outside the subset (offset,
// @, subqueries, set operators, vector matching modifiers, other functions and aggregations) is
// rejected with a "not supported" error rather than misread.
import { PromQLError } from './promql-errors.js';
import { parseDuration, tokenize, type Token } from './promql-lexer.js';

/** One label matcher; `re` is the anchored regular expression for =~ and !~. */
export interface Matcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
  re?: RegExp;
}

/** A parsed PromQL expression. */
export type Expr =
  | { type: 'number'; value: number }
  | { type: 'string'; value: string }
  | { type: 'selector'; matchers: Matcher[]; rangeMs?: number }
  | { type: 'call'; func: string; args: Expr[] }
  | { type: 'aggregate'; op: string; grouping: string[]; without: boolean; expr: Expr }
  | { type: 'binary'; op: string; lhs: Expr; rhs: Expr; bool: boolean }
  | { type: 'negate'; expr: Expr };

/** Functions the evaluator implements. */
export const supportedFunctions = new Set(['rate', 'irate', 'increase', 'histogram_quantile', 'round', 'abs', 'scalar', 'vector', 'time']);
/** Aggregation operators the evaluator implements. */
export const supportedAggregations = new Set(['sum', 'count', 'avg', 'min', 'max']);
const otherAggregations = new Set(['group', 'stddev', 'stdvar', 'count_values', 'bottomk', 'topk', 'quantile', 'limitk', 'limit_ratio']);
const precedence: Record<string, number> = { or: 1, and: 2, unless: 2, '==': 3, '!=': 3, '<=': 3, '>=': 3, '<': 3, '>': 3, '+': 4, '-': 4, '*': 5, '/': 5, '%': 5, atan2: 5, '^': 6 };
const comparisons = new Set(['==', '!=', '<=', '>=', '<', '>']);

/** True for comparison operators (filters unless `bool`). */
export function isComparison(op: string): boolean {
  return comparisons.has(op);
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i];
  }
  private next(): Token {
    return this.tokens[this.i++];
  }
  private expect(text: string): Token {
    const t = this.next();
    if (t.text !== text || t.kind === 'string') throw PromQLError.parse(t.pos, `unexpected ${describe(t)}, expected "${text}"`);
    return t;
  }

  parseExpr(minPrec: number): Expr {
    let lhs = this.parseUnary();
    for (;;) {
      const t = this.peek();
      const prec = (t.kind === 'op' || t.kind === 'ident') && t.text !== '=' ? precedence[t.text] : undefined;
      if (prec === undefined || prec < minPrec) return lhs;
      this.next();
      if (['and', 'or', 'unless', 'atan2'].includes(t.text)) throw PromQLError.unsupported(`the "${t.text}" operator`);
      const bool = this.peek().kind === 'ident' && this.peek().text === 'bool';
      if (bool) {
        if (!comparisons.has(t.text)) throw PromQLError.parse(this.peek().pos, 'bool modifier can only be used on comparison operators');
        this.next();
      }
      const mod = this.peek();
      if (mod.kind === 'ident' && ['on', 'ignoring', 'group_left', 'group_right'].includes(mod.text)) throw PromQLError.unsupported(`vector matching with "${mod.text}"`);
      const rhs = this.parseExpr(t.text === '^' ? prec : prec + 1);
      lhs = { type: 'binary', op: t.text, lhs, rhs, bool };
    }
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (t.kind === 'op' && (t.text === '-' || t.text === '+')) {
      this.next();
      const expr = this.parseExpr(precedence['^']);
      return t.text === '-' ? { type: 'negate', expr } : expr;
    }
    return this.parsePostfix(this.parsePrimary());
  }

  /** `[d]` after a selector; offset and @ modifiers are refused. */
  private parsePostfix(expr: Expr): Expr {
    let out = expr;
    const t = this.peek();
    if (t.kind === 'range') {
      this.next();
      if (t.text.includes(':')) throw PromQLError.unsupported(`the subquery [${t.text}]`);
      if (out.type !== 'selector' || out.rangeMs !== undefined) throw PromQLError.parse(t.pos, 'ranges only allowed for vector selectors');
      out = { ...out, rangeMs: parseDuration(t.text, t.pos) };
    }
    const m = this.peek();
    if ((m.kind === 'ident' && m.text === 'offset') || (m.kind === 'punct' && m.text === '@')) throw PromQLError.unsupported(`the "${m.text}" modifier`);
    return out;
  }

  private parsePrimary(): Expr {
    const t = this.next();
    if (t.kind === 'number') return { type: 'number', value: Number(t.text) };
    if (t.kind === 'string') return { type: 'string', value: t.text };
    if (t.kind === 'punct' && t.text === '(') {
      const inner = this.parseExpr(0);
      this.expect(')');
      return inner;
    }
    if (t.kind === 'punct' && t.text === '{') return this.parseSelector(undefined, t.pos);
    if (t.kind !== 'ident') throw PromQLError.parse(t.pos, `unexpected ${describe(t)}`);
    const lower = t.text.toLowerCase();
    if (lower === 'inf' || lower === 'nan') return { type: 'number', value: lower === 'inf' ? Infinity : NaN };
    if (supportedAggregations.has(t.text) || otherAggregations.has(t.text)) return this.parseAggregate(t);
    if (this.peek().kind === 'punct' && this.peek().text === '(') return this.parseCall(t);
    if (this.peek().kind === 'punct' && this.peek().text === '{') {
      this.next();
      return this.parseSelector(t.text, t.pos);
    }
    return { type: 'selector', matchers: [{ name: '__name__', op: '=', value: t.text }] };
  }

  private parseCall(name: Token): Expr {
    if (!supportedFunctions.has(name.text)) {
      throw knownFunctions.has(name.text) ? PromQLError.unsupported(`the function ${name.text}()`) : PromQLError.parse(name.pos, `unknown function with name "${name.text}"`);
    }
    this.expect('(');
    const args: Expr[] = [];
    while (!(this.peek().kind === 'punct' && this.peek().text === ')')) {
      args.push(this.parseExpr(0));
      if (this.peek().text === ',') this.next();
      else break;
    }
    this.expect(')');
    return { type: 'call', func: name.text, args };
  }

  private parseAggregate(op: Token): Expr {
    if (!supportedAggregations.has(op.text)) throw PromQLError.unsupported(`the aggregation ${op.text}()`);
    let grouping = this.parseGrouping();
    this.expect('(');
    const expr = this.parseExpr(0);
    if (this.peek().text === ',') throw PromQLError.parse(this.peek().pos, `${op.text}() takes one argument`);
    this.expect(')');
    grouping ??= this.parseGrouping();
    return { type: 'aggregate', op: op.text, grouping: grouping?.labels ?? [], without: grouping?.without ?? false, expr };
  }

  private parseGrouping(): { labels: string[]; without: boolean } | undefined {
    const t = this.peek();
    if (t.kind !== 'ident' || (t.text !== 'by' && t.text !== 'without')) return undefined;
    this.next();
    this.expect('(');
    const labels: string[] = [];
    while (this.peek().kind === 'ident') {
      labels.push(this.next().text);
      if (this.peek().text === ',') this.next();
    }
    this.expect(')');
    return { labels, without: t.text === 'without' };
  }

  private parseSelector(name: string | undefined, pos: number): Expr {
    const matchers: Matcher[] = name ? [{ name: '__name__', op: '=', value: name }] : [];
    while (this.peek().text !== '}' || this.peek().kind === 'string') {
      const label = this.next();
      if (label.kind !== 'ident') throw PromQLError.parse(label.pos, `unexpected ${describe(label)} in label matching, expected label name`);
      const op = this.next();
      if (op.kind !== 'op' || !['=', '!=', '=~', '!~'].includes(op.text)) throw PromQLError.parse(op.pos, `unexpected ${describe(op)} in label matching, expected one of "=", "!=", "=~", "!~"`);
      const value = this.next();
      if (value.kind !== 'string') throw PromQLError.parse(value.pos, `unexpected ${describe(value)} in label matching, expected string`);
      matchers.push(buildMatcher(label.text, op.text as Matcher['op'], value.text, value.pos));
      if (this.peek().text === ',') this.next();
      else if (this.peek().text !== '}') throw PromQLError.parse(this.peek().pos, `unexpected ${describe(this.peek())} in label matching, expected "," or "}"`);
    }
    this.next();
    if (!matchers.some((m) => !matchesEmpty(m))) throw PromQLError.parse(pos, 'vector selector must contain at least one non-empty matcher');
    return { type: 'selector', matchers };
  }

  end(): void {
    const t = this.peek();
    if (t.kind !== 'eof') throw PromQLError.parse(t.pos, `unexpected ${describe(t)}`);
  }
}

/** A matcher with its anchored RE2-style regular expression compiled. */
function buildMatcher(name: string, op: Matcher['op'], value: string, pos: number): Matcher {
  if (op === '=' || op === '!=') return { name, op, value };
  try {
    return { name, op, value, re: new RegExp(`^(?:${value})$`, 's') };
  } catch (err) {
    throw PromQLError.parse(pos, `invalid regular expression ${JSON.stringify(value)}: ${(err as Error).message}`);
  }
}

/** Whether a label value matches a matcher (an absent label is the empty string). */
export function matches(m: Matcher, value: string | undefined): boolean {
  const v = value ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return m.re!.test(v);
    case '!~':
      return !m.re!.test(v);
  }
}

function matchesEmpty(m: Matcher): boolean {
  return matches(m, '');
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of input';
  return t.kind === 'string' ? `string ${JSON.stringify(t.text)}` : `${JSON.stringify(t.text)}`;
}

/** Prometheus's other functions: valid PromQL, refused as unsupported rather than unknown. */
const knownFunctions = new Set(
  ('absent absent_over_time acos acosh asin asinh atan atanh avg_over_time ceil changes clamp clamp_max clamp_min cos cosh count_over_time days_in_month ' +
    'day_of_month day_of_week day_of_year deg delta deriv double_exponential_smoothing exp floor histogram_avg histogram_count histogram_fraction ' +
    'histogram_stddev histogram_stdvar histogram_sum holt_winters hour idelta label_join label_replace last_over_time ln log10 log2 mad_over_time ' +
    'max_over_time min_over_time minute month pi predict_linear present_over_time quantile_over_time rad resets sgn sin sinh sort sort_by_label ' +
    'sort_by_label_desc sort_desc sqrt stddev_over_time stdvar_over_time sum_over_time tan tanh timestamp year').split(' '),
);

/** Parses a PromQL query (throws PromQLError). */
export function parsePromQL(query: string): Expr {
  if (!query.trim()) throw new PromQLError('bad_data', 'invalid parameter "query": 1:1: parse error: no expression found in input');
  const p = new Parser(tokenize(query));
  const expr = p.parseExpr(0);
  p.end();
  return expr;
}
