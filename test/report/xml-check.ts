// A tiny XML well-formedness checker for tests (no dependencies): tags balance, attributes quote, entities are valid.

/** One parsed element: name, decoded attributes, decoded text content (direct children text only). */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: XmlElement[];
}

const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;
// eslint-disable-next-line no-control-regex -- XML 1.0 forbids these characters
const ILLEGAL = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/;
const TAG = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.:-]*="[^"]*")*)\s*(\/?)>/y;

/** Parse a document (XML declaration + one root element) or throw explaining what is malformed. */
export function parseXml(xml: string): XmlElement {
  if (ILLEGAL.test(xml)) throw new Error(`illegal character U+${xml.codePointAt(xml.search(ILLEGAL))!.toString(16)}`);
  let pos = 0;
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(xml);
  if (decl) pos = decl[0].length;
  const root: XmlElement = { name: '#document', attrs: {}, text: '', children: [] };
  const stack: XmlElement[] = [root];
  while (pos < xml.length) {
    const lt = xml.indexOf('<', pos);
    const chunk = xml.slice(pos, lt < 0 ? xml.length : lt);
    checkText(chunk, pos);
    stack[stack.length - 1].text += decode(chunk);
    if (lt < 0) break;
    TAG.lastIndex = lt;
    const m = TAG.exec(xml);
    if (!m) throw new Error(`malformed tag at ${lt}: ${JSON.stringify(xml.slice(lt, lt + 40))}`);
    const [whole, closing, name, rawAttrs, selfClosing] = m;
    pos = lt + whole.length;
    if (closing) {
      const open = stack.pop();
      if (!open || open.name !== name || stack.length === 0) throw new Error(`unexpected </${name}> at ${lt}`);
      continue;
    }
    const el: XmlElement = { name, attrs: parseAttrs(rawAttrs, lt), text: '', children: [] };
    stack[stack.length - 1].children.push(el);
    if (!selfClosing) stack.push(el);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (root.children.length !== 1 || root.text.trim() !== '') throw new Error('document must have exactly one root element');
  return root.children[0];
}

function parseAttrs(raw: string, at: number): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const [, k, v] of raw.matchAll(/([A-Za-z_][\w.:-]*)="([^"]*)"/g)) {
    if (k in attrs) throw new Error(`duplicate attribute ${k} at ${at}`);
    checkText(v, at);
    attrs[k] = decode(v);
  }
  return attrs;
}

function checkText(s: string, at: number): void {
  if (s.includes(']]>')) throw new Error(`"]]>" in text at ${at}`);
  if (s.includes('<')) throw new Error(`raw "<" at ${at}`);
  for (const m of s.matchAll(/&[^;]*;?/g)) if (!ENTITY.test(m[0]) || m.index === undefined) throw new Error(`bad entity ${m[0]} at ${at}`);
  for (const m of s.matchAll(/&/g)) if (!new RegExp(`^${ENTITY.source}`).test(s.slice(m.index))) throw new Error(`raw "&" at ${at}`);
}

function decode(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e];
  });
}
