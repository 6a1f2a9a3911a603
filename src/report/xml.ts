// XML 1.0 escaping for reporters that write XML (junit): entities, attribute whitespace, illegal characters.
import { sanitizeText } from './format.js';

// eslint-disable-next-line no-control-regex -- XML 1.0 forbids these characters
const ILLEGAL = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Escape text for element content: &, <, > (so `]]>` cannot appear) and characters XML 1.0 forbids. */
export function escapeXmlText(text: string): string {
  return stripIllegal(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escape text for a double-quoted attribute value; newlines and tabs survive as character references. */
export function escapeXmlAttr(text: string): string {
  return escapeXmlText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/** Drop terminal escapes, then show each remaining illegal character as U+FFFD. */
function stripIllegal(text: string): string {
  return sanitizeText(text).replace(ILLEGAL, '\ufffd');
}
