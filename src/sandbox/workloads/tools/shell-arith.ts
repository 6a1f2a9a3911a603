// `$(( … ))`: integer arithmetic as sh evaluates it (C precedence, variables by bare name, assignments,
// ++/--, ternary); errors are thrown as ArithError with sh's wording.

/** An arithmetic error (`division by zero`, `syntax error`). */
export class ArithError extends Error {}

/** Variable access for arithmetic. */
export interface ArithVars {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

const BINARY: [string[], number][] = [
  [['||'], 1], [['&&'], 2], [['|'], 3], [['^'], 4], [['&'], 5], [['==', '!='], 6], [['<', '<=', '>', '>='], 7], [['<<', '>>'], 8], [['+', '-'], 9], [['*', '/', '%'], 10],
];
const PRECEDENCE = new Map<string, number>(BINARY.flatMap(([ops, p]) => ops.map((o) => [o, p] as [string, number])));
const ASSIGN = ['=', '+=', '-=', '*=', '/=', '%=', '<<=', '>>=', '&=', '|=', '^='];

/** Evaluates `text` (already parameter-expanded) to an integer. */
export function evaluateArith(text: string, vars: ArithVars): number {
  const tokens = text.match(/\s*(0[xX][0-9a-fA-F]+|\d+|[A-Za-z_][A-Za-z0-9_]*|<<=|>>=|\+\+|--|\|\||&&|==|!=|<=|>=|<<|>>|[+\-*/%]=|[&|^]=|[-+*/%()<>=!~?:&|^])\s*|\s*(\S)/g) ?? [];
  const toks = tokens.map((t) => t.trim()).filter(Boolean);
  let i = 0;
  const peek = () => toks[i];
  const value = (name: string) => {
    const v = vars.get(name) ?? '';
    if (v.trim() === '') return 0;
    return toInt(v.trim());
  };
  const primary = (): number => {
    const t = toks[i++];
    if (t === undefined) throw new ArithError('syntax error');
    if (t === '(') {
      const v = expr();
      if (toks[i++] !== ')') throw new ArithError('syntax error');
      return v;
    }
    if (t === '-') return -primary();
    if (t === '+') return primary();
    if (t === '!') return primary() ? 0 : 1;
    if (t === '~') return ~primary();
    if (t === '++' || t === '--') {
      const name = toks[i++];
      if (!/^[A-Za-z_]/.test(name ?? '')) throw new ArithError('syntax error');
      const v = value(name) + (t === '++' ? 1 : -1);
      vars.set(name, String(v));
      return v;
    }
    if (/^[A-Za-z_]/.test(t)) {
      const op = peek();
      if (op === '++' || op === '--') {
        i++;
        const v = value(t);
        vars.set(t, String(v + (op === '++' ? 1 : -1)));
        return v;
      }
      if (op && ASSIGN.includes(op)) {
        i++;
        const rhs = assignment();
        const v = op === '=' ? rhs : binary(op.slice(0, -1), value(t), rhs);
        vars.set(t, String(v));
        return v;
      }
      return value(t);
    }
    return toInt(t);
  };
  const climb = (minPrec: number): number => {
    let left = primary();
    for (let op = peek(); op && (PRECEDENCE.get(op) ?? 0) >= minPrec; op = peek()) {
      i++;
      const right = climb(PRECEDENCE.get(op)! + 1);
      left = binary(op, left, right);
    }
    return left;
  };
  const assignment = (): number => {
    const cond = climb(1);
    if (peek() !== '?') return cond;
    i++;
    const a = assignment();
    if (toks[i++] !== ':') throw new ArithError('syntax error');
    const b = assignment();
    return cond ? a : b;
  };
  const expr = assignment;
  if (!toks.length) return 0;
  const result = expr();
  if (i < toks.length) throw new ArithError(`syntax error: "${toks[i]}"`);
  return result;
}

function toInt(text: string): number {
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return parseInt(text, 16);
  if (/^0[0-7]+$/.test(text)) return parseInt(text, 8);
  if (/^-?\d+$/.test(text)) return Number(text);
  throw new ArithError('arithmetic syntax error');
}

function binary(op: string, a: number, b: number): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/':
    case '%':
      if (b === 0) throw new ArithError('divide by zero');
      return op === '/' ? Math.trunc(a / b) : a % b;
    case '<<': return a << b;
    case '>>': return a >> b;
    case '<': return Number(a < b);
    case '<=': return Number(a <= b);
    case '>': return Number(a > b);
    case '>=': return Number(a >= b);
    case '==': return Number(a === b);
    case '!=': return Number(a !== b);
    case '&': return a & b;
    case '^': return a ^ b;
    case '|': return a | b;
    case '&&': return Number(Boolean(a) && Boolean(b));
    case '||': return Number(Boolean(a) || Boolean(b));
    default: throw new ArithError('syntax error');
  }
}
