// Show a Markdown hint as plain terminal text: markers dropped, links spelled out, code kept verbatim.
import { sanitizeText } from './format.js';

/** Optional styling for inline pieces (the pretty reporter colours code; plain leaves it). */
export interface MarkdownStyle {
  code?: (text: string) => string;
  strong?: (text: string) => string;
}

/** Convert Markdown to plain lines: headings, emphasis, links, lists, quotes and fences simplified. */
export function markdownToPlain(markdown: string, style: MarkdownStyle = {}): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const raw of sanitizeText(markdown).split('\n')) {
    const line = raw.replace(/\s+$/, '');
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) {
      out.push(`  ${style.code ? style.code(line) : line}`);
      continue;
    }
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*$/.exec(line);
    if (heading) {
      out.push(inline(heading[1], style, true));
      continue;
    }
    const body = line
      .replace(/^(\s*)>\s?/, '$1')
      .replace(/^(\s*)[-*+]\s+/, '$1• ');
    out.push(inline(body, style, false));
  }
  return collapseBlankLines(out);
}

function inline(text: string, style: MarkdownStyle, heading: boolean): string {
  const strong = style.strong ?? ((s: string) => s);
  const parts = text.split(/(`+[^`]*?`+)/);
  const rendered = parts
    .map((part, i) => {
      if (i % 2 === 1) {
        const code = part.replace(/^`+\s?|\s?`+$/g, '');
        return style.code ? style.code(code) : code;
      }
      return part
        .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
        .replace(/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, (_m, label: string, url: string) => (label === url ? url : `${label} (${url})`))
        .replace(/<(https?:\/\/[^>\s]+)>/g, '$1')
        .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, (_m, _d, s: string) => strong(s))
        .replace(/(^|[^\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])/g, '$1$2')
        .replace(/(^|\W)_(?=\S)([^_]+?)(?<=\S)_(?!\w)/g, '$1$2');
    })
    .join('');
  return heading ? strong(rendered) : rendered;
}

function collapseBlankLines(lines: string[]): string[] {
  const out: string[] = [];
  for (const l of lines) if (l.trim() !== '' || (out.length > 0 && out[out.length - 1].trim() !== '')) out.push(l);
  while (out.length > 0 && out[out.length - 1].trim() === '') out.pop();
  return out;
}
