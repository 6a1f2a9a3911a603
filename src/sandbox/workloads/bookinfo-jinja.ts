// A Jinja2 subset, enough to render Bookinfo's productpage templates with Jinja's exact whitespace (tag
// lines keep their indentation and newline, one trailing newline is dropped): `{{ expr }}` (HTML-escaped
// unless inside `{% autoescape false %}`), `{% if %}/{% elif %}/{% else %}/{% endif %}`, `{% for x in
// expr %}`; `{% block %}` tags render nothing (no inheritance). Expressions: dotted paths and `x['key']`, numbers, "strings", `==`, `!=`, `a - b`, `range(n)`.

type Node = string | { expr: string } | { if: { cond: string; body: Node[] }[]; else: Node[] } | { for: string; in: string; body: Node[] } | { raw: Node[] };

/** Python truthiness (None, 0, '', empty containers and Jinja's Undefined are false). */
function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}

function evaluate(expr: string, scope: Record<string, unknown>): unknown {
  const e = expr.trim().replace(/:$/, '');
  let m: RegExpExecArray | null;
  if ((m = /^range\((.*)\)$/.exec(e))) return Array.from({ length: Math.max(0, Number(evaluate(m[1], scope)) || 0) }, (_, i) => i);
  if ((m = /^(.+?)\s*(==|!=)\s*(.+)$/.exec(e))) return (evaluate(m[1], scope) === evaluate(m[3], scope)) === (m[2] === '==');
  if ((m = /^(.+?)\s+-\s+(.+)$/.exec(e))) return Number(evaluate(m[1], scope)) - Number(evaluate(m[2], scope));
  if (/^\d+$/.test(e)) return Number(e);
  if ((m = /^"(.*)"$/.exec(e))) return m[1];
  let value: unknown = scope;
  for (const key of e.replace(/\['([^']*)'\]/g, '.$1').split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

/** Jinja's `str()` of a value in output: Undefined is empty, None/True/False are Python's words. */
function show(v: unknown): string {
  if (v === undefined) return '';
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}

function parse(source: string): Node[] {
  const tokens = source.split(/(\{%.*?%\}|\{\{.*?\}\})/s);
  const root: Node[] = [];
  const stack: { nodes: Node[]; node?: any }[] = [{ nodes: root }];
  const top = () => stack[stack.length - 1];
  for (const t of tokens) {
    const tag = /^\{%\s*(.*?)\s*%\}$/s.exec(t)?.[1];
    if (tag === undefined) {
      const expr = /^\{\{\s*(.*?)\s*\}\}$/s.exec(t)?.[1];
      if (expr !== undefined) top().nodes.push({ expr });
      else if (t) top().nodes.push(t);
      continue;
    }
    const [word, ...rest] = tag.split(/\s+/);
    const arg = rest.join(' ');
    if (word === 'if') {
      const node = { if: [{ cond: arg, body: [] as Node[] }], else: [] as Node[] };
      top().nodes.push(node);
      stack.push({ nodes: node.if[0].body, node });
    } else if (word === 'elif' || word === 'else') {
      const { node } = stack.pop()!;
      const body: Node[] = [];
      if (word === 'elif') node.if.push({ cond: arg, body });
      else node.else = body;
      stack.push({ nodes: body, node });
    } else if (word === 'for') {
      const [name, , ...iter] = rest;
      const node = { for: name, in: iter.join(' '), body: [] as Node[] };
      top().nodes.push(node);
      stack.push({ nodes: node.body, node });
    } else if (word === 'autoescape') {
      const node = { raw: [] as Node[] };
      top().nodes.push(node);
      stack.push({ nodes: node.raw, node });
    } else if (word.startsWith('end') && word !== 'endblock') stack.pop();
  }
  return root;
}

function listOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function render(nodes: Node[], scope: Record<string, unknown>, escape: boolean): string {
  let out = '';
  for (const n of nodes) {
    if (typeof n === 'string') out += n;
    else if ('expr' in n) out += escape ? escapeHtml(show(evaluate(n.expr, scope))) : show(evaluate(n.expr, scope));
    else if ('raw' in n) out += render(n.raw, scope, false);
    else if ('for' in n) for (const item of listOf(evaluate(n.in, scope))) out += render(n.body, { ...scope, [n.for]: item }, escape);
    else out += render(n.if.find((b) => truthy(evaluate(b.cond, scope)))?.body ?? n.else, scope, escape);
  }
  return out;
}

/** Compiles a template once; the returned function renders it with a context, as Flask's render_template does. */
export function compileTemplate(source: string): (context: Record<string, unknown>) => string {
  const nodes = parse(source.endsWith('\n') ? source.slice(0, -1) : source);
  return (context) => render(nodes, context, true);
}
