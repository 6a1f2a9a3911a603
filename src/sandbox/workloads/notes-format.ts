// What the notes app (manifests/samples/notes/app.py) writes, byte for byte: Python's json.dumps and
// html.escape, the frontend's HTML page, the form/JSON note parsing, http.server's headers and its
// 501 error page, and the one-line-per-request log.

/** `Server` header of python:3.12.7-alpine3.20's http.server. */
export const PYTHON_SERVER = 'BaseHTTP/0.6 Python/3.12.7';
/** The app's text content type. */
export const TEXT = 'text/plain; charset=utf-8';
/** The app's JSON content type. */
export const JSON_TYPE = 'application/json';
/** CSS colours the page uses for the named colour schemes; other names are used as given. */
const CSS_COLORS: Record<string, string> = { blue: '#1e88e5', green: '#43a047' };

/** Python's json.dumps with default settings (ensure_ascii, `", "` and `": "` separators). */
export function pyJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(pyJson).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pyJson(k)}: ${pyJson(v)}`).join(', ')}}`;
}

/** Python's html.escape(s, quote). */
export function htmlEscape(s: string, quote = true): string {
  const text = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return quote ? text.replace(/"/g, '&quot;').replace(/'/g, '&#x27;') : text;
}

/** Python's `d.get(key, default)` on a JSON object. */
function get(d: Record<string, unknown>, key: string, dflt: unknown): unknown {
  return Object.hasOwn(d, key) ? d[key] : dflt;
}

/** Python's truthiness of a JSON value. */
function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object' && v !== null) return Object.keys(v).length > 0;
  return Boolean(v);
}

/** Python's str() of a JSON value, for the few shapes the page shows. */
function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return typeof v === 'object' ? pyJson(v) : String(v);
}

/** The frontend's page for the backend's answer `info` (app.py `render`); throws where Python would. */
export function renderPage(info: unknown, frontend: string): string {
  if (typeof info !== 'object' || info === null || Array.isArray(info)) throw new TypeError('not a JSON object');
  const i = info as Record<string, unknown>;
  const notes = get(i, 'notes', []);
  if (!Array.isArray(notes) && typeof notes !== 'string') throw new TypeError('notes is not iterable');
  const color = pyStr(truthy(i.color) ? i.color : 'blue');
  const items = [...notes].map((n) => `<li class="collection-item">${htmlEscape(pyStr(n))}</li>\n`).join('');
  return (
    '<!doctype html>\n<html>\n<head><meta charset="utf-8"><title>notes</title></head>\n<body>\n' +
    `<nav class="${htmlEscape(color)}" style="background:${htmlEscape(CSS_COLORS[color] ?? color)}">notes &middot; ` +
    `backend <span id="version">${htmlEscape(pyStr(get(i, 'version', '')))}</span> on <span id="backend">${htmlEscape(pyStr(get(i, 'hostname', '')))}</span>` +
    ` &middot; frontend <span id="frontend">${htmlEscape(frontend)}</span></nav>\n` +
    '<form method="post" action="/add-note"><input name="note" placeholder="a note"> <button>Add note</button></form>\n' +
    `<ul class="collection">\n${items}</ul>\n</body>\n</html>\n`
  );
}

/** The note in a request body (app.py `note_from`): JSON {"note"} or the form field `note`, stripped. */
export function noteFrom(body: Buffer, contentType: string): string {
  let value: unknown = '';
  if (contentType.startsWith('application/json')) {
    try {
      const parsed: unknown = JSON.parse(body.length ? body.toString('utf8') : '{}');
      value = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? ((parsed as Record<string, unknown>).note ?? '') : '';
    } catch {
      value = '';
    }
  } else {
    // parse_qs drops blank values, so `note=` counts as no note.
    value = new URLSearchParams(body.toString('utf8')).getAll('note').find((v) => v !== '') ?? '';
  }
  return typeof value === 'string' ? value.trim() : '';
}

/** http.server's send_error page (Python 3.12's DEFAULT_ERROR_MESSAGE). */
export function pythonErrorPage(code: number, message: string, explain: string): string {
  return (
    '<!DOCTYPE HTML>\n<html lang="en">\n    <head>\n        <meta charset="utf-8">\n        <title>Error response</title>\n    </head>\n' +
    `    <body>\n        <h1>Error response</h1>\n        <p>Error code: ${code}</p>\n        <p>Message: ${htmlEscape(message, false)}.</p>\n` +
    `        <p>Error code explanation: ${code} - ${explain}.</p>\n    </body>\n</html>\n`
  );
}

/** The app's log line for one request. */
export function requestLogLine(mode: string, method: string, path: string, status: number, headers: Record<string, string | string[] | undefined>): string {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || '-';
  return `${mode} ${method} ${path} ${status} end-user=${first(headers['end-user'])} x-request-id=${first(headers['x-request-id'])}`;
}

/** argparse's usage text for app.py at 80 columns. */
export const USAGE = [
  'usage: app.py [-h] --mode {frontend,backend} [--port PORT]',
  '              [--backend-service BACKEND_SERVICE] [--version VERSION]',
  '              [--color COLOR] [--fail-percent FAIL_PERCENT] [--db DB]',
];
