// `test EXPR` / `[ EXPR ]`: string, integer and file tests with !, -a, -o (exit 0 true, 1 false, 2 error).
import { readFile, normalizePath } from './text-input.js';
import { programName, writeText, type ExecTool, type ToolContext } from './tool.js';

class TestError extends Error {}

const INT_OPS: Record<string, (a: number, b: number) => boolean> = {
  '-eq': (a, b) => a === b, '-ne': (a, b) => a !== b, '-lt': (a, b) => a < b, '-le': (a, b) => a <= b, '-gt': (a, b) => a > b, '-ge': (a, b) => a >= b,
};

function integer(text: string): number {
  if (!/^\s*-?\d+\s*$/.test(text)) throw new TestError(`${text}: bad number`);
  return Number(text);
}

/** Evaluates a test expression over its words. */
function evaluate(words: string[], ctx: ToolContext): boolean {
  let i = 0;
  const exists = (p: string) => readFile(ctx, p) !== undefined || isDir(ctx, p);
  const primary = (): boolean => {
    const w = words[i];
    if (w === undefined) throw new TestError('argument expected');
    if (w === '!' && i + 1 < words.length) {
      i++;
      return !primary();
    }
    if (w === '(' && words.includes(')', i)) {
      i++;
      const v = orExpr();
      if (words[i++] !== ')') throw new TestError("')' expected");
      return v;
    }
    const op = words[i + 1];
    if (op !== undefined && (op in INT_OPS || ['=', '==', '!=', '<', '>'].includes(op)) && words[i + 2] !== undefined) {
      const a = w;
      const b = words[i + 2];
      i += 3;
      if (op in INT_OPS) return INT_OPS[op](integer(a), integer(b));
      return op === '!=' ? a !== b : op === '<' ? a < b : op === '>' ? a > b : a === b;
    }
    if (/^-[znfedsrwxL]$/.test(w) && op !== undefined) {
      i += 2;
      switch (w) {
        case '-z': return op.length === 0;
        case '-n': return op.length > 0;
        case '-d': return isDir(ctx, op);
        case '-f': return readFile(ctx, op) !== undefined;
        case '-s': return Boolean(readFile(ctx, op));
        default: return exists(op);
      }
    }
    i++;
    return w.length > 0;
  };
  const andExpr = (): boolean => {
    let v = primary();
    while (words[i] === '-a') {
      i++;
      v = primary() && v;
    }
    return v;
  };
  const orExpr = (): boolean => {
    let v = andExpr();
    while (words[i] === '-o') {
      i++;
      v = andExpr() || v;
    }
    return v;
  };
  if (!words.length) return false;
  const result = orExpr();
  if (i < words.length) throw new TestError(`${words[i]}: unknown operand`);
  return result;
}

function isDir(ctx: ToolContext, path: string): boolean {
  const dir = normalizePath(path);
  return dir === '/' || ['/tmp', '/etc', '/var', '/usr', '/bin', '/root', '/home', '/proc', '/dev'].includes(dir) || Object.keys(ctx.files).some((f) => f.startsWith(`${dir}/`));
}

/** The test / [ program. */
export const testTool: ExecTool = async (argv, streams, ctx) => {
  let words = argv.slice(1);
  const name = programName(argv[0]);
  if (name === '[') {
    if (words[words.length - 1] !== ']') {
      await writeText(streams.stderr, `sh: [: missing ]\n`);
      return 2;
    }
    words = words.slice(0, -1);
  }
  try {
    return evaluate(words, ctx) ? 0 : 1;
  } catch (error) {
    if (!(error instanceof TestError)) throw error;
    await writeText(streams.stderr, `sh: ${name === '[' ? '[' : 'test'}: ${error.message}\n`);
    return 2;
  }
};
