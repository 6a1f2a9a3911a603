#!/usr/bin/env python3
"""notes: istio-lab's sample app, standing in for the gceme (GKE) and awsme (EKS) workshop app.

One stdlib-only Python 3 script, two modes. Each version's notes live in its own SQLite database.

backend:  app.py --mode=backend [--port=8080] [--version=1.0.0] [--color=NAME] [--fail-percent=N] [--db=PATH]
  GET  /            200 JSON {"version", "hostname", "color" (when set), "notes": [text, ...]}
  POST /notes       JSON {"note": text} or form note=text: 201 JSON {"id", "note"}; 400 without a note
  GET  /healthz     200 "ok" (also in error mode)
  GET  /start-error 200 "error mode on"; from then on GET / and POST /notes answer 500
  GET  /end-error   200 "error mode off (was on)" or "error mode off (was off)"
  --fail-percent=N  GET / and POST /notes answer 500 {"error": "injected failure"} N % of the time

frontend: app.py --mode=frontend [--backend-service=http://backend:8080] [--port=80]
  GET  /            200 HTML: the backend's version, pod name and colour (default blue), and each
                    note as <li class="collection-item">text</li>
  POST /add-note    form note=text: POST <backend>/notes, then 303 to /; 400 "Error: empty note"
  GET  /healthz     200 "ok"
  When the backend cannot be reached: 503 "Error: <reason>"; when it answers other than 2xx:
  500 "Error: backend answered <status>". Calls to the backend carry the request's End-User and
  tracing headers (x-request-id, x-b3-*, b3, traceparent, tracestate), as a mesh app must.

Both: other paths 404 "404 page not found"; a known path with another method 405. One line per request
on stdout: "<mode> <method> <path> <status> end-user=<End-User or -> x-request-id=<id or ->", and
"error mode on" / "error mode off" when the backend's error mode changes.
"""
import argparse
import html
import json
import random
import signal
import socket
import sqlite3
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PROPAGATED = ('end-user', 'x-request-id', 'x-b3-traceid', 'x-b3-spanid', 'x-b3-parentspanid',
              'x-b3-sampled', 'x-b3-flags', 'b3', 'traceparent', 'tracestate')
CSS_COLORS = {'blue': '#1e88e5', 'green': '#43a047'}
TEXT = 'text/plain; charset=utf-8'
JSON = 'application/json'


def parse_args(argv):
    p = argparse.ArgumentParser(prog='app.py', allow_abbrev=False, description='notes sample app')
    p.add_argument('--mode', choices=['frontend', 'backend'], required=True)
    p.add_argument('--port', type=int)
    p.add_argument('--backend-service', default='http://backend:8080')
    p.add_argument('--version', default='1.0.0')
    p.add_argument('--color', default='')
    p.add_argument('--fail-percent', type=float, default=0.0)
    p.add_argument('--db', default=':memory:')
    args = p.parse_args(argv)
    args.port = args.port if args.port is not None else (80 if args.mode == 'frontend' else 8080)
    if not 0 <= args.fail_percent <= 100:
        p.error('--fail-percent must be between 0 and 100')
    return args


class Notes:
    """The notes table in SQLite, shared by the server's threads."""
    def __init__(self, path):
        self.lock = threading.Lock()
        self.db = sqlite3.connect(path, check_same_thread=False)
        self.db.execute('CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY AUTOINCREMENT, note TEXT NOT NULL)')
        self.db.commit()

    def add(self, note):
        with self.lock:
            cur = self.db.execute('INSERT INTO notes (note) VALUES (?)', (note,))
            self.db.commit()
            return cur.lastrowid

    def all(self):
        with self.lock:
            return [row[0] for row in self.db.execute('SELECT note FROM notes ORDER BY id')]


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    app = None  # the App this server runs

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.dispatch('GET')

    def do_POST(self):  # noqa: N802
        self.dispatch('POST')

    def dispatch(self, method):
        path = urllib.parse.urlsplit(self.path).path
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length > 0 else b''
        routes = self.app.routes()
        if path not in routes:
            status, ctype, out, extra = 404, TEXT, '404 page not found\n', {}
        elif method not in routes[path]:
            status, ctype, out, extra = 405, TEXT, 'method not allowed\n', {'Allow': ', '.join(routes[path])}
        else:
            status, ctype, out, extra = routes[path][method](self, body)
        eu, rid = self.headers.get('end-user') or '-', self.headers.get('x-request-id') or '-'
        print(f'{self.app.mode} {method} {self.path} {status} end-user={eu} x-request-id={rid}', flush=True)
        data = out.encode('utf-8')
        self.send_response(status)
        for name, value in [('Content-Type', ctype), ('Content-Length', str(len(data))), *extra.items()]:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        pass  # one line per request is printed by dispatch


def note_from(body, ctype):
    if ctype.startswith('application/json'):
        try:
            value = json.loads(body or b'{}').get('note', '')
        except (ValueError, AttributeError):
            value = ''
    else:
        value = urllib.parse.parse_qs(body.decode('utf-8', 'replace')).get('note', [''])[0]
    return value.strip() if isinstance(value, str) else ''


class Backend:
    mode = 'backend'

    def __init__(self, args):
        self.args, self.notes, self.erroring = args, Notes(args.db), False

    def routes(self):
        return {'/': {'GET': self.index}, '/notes': {'POST': self.add}, '/healthz': {'GET': ok},
                '/start-error': {'GET': self.start_error}, '/end-error': {'GET': self.end_error}}

    def failing(self):
        if self.erroring:
            return 500, JSON, json.dumps({'error': 'error mode (GET /end-error to stop it)'}) + '\n', {}
        if self.args.fail_percent and random.random() * 100 < self.args.fail_percent:
            return 500, JSON, json.dumps({'error': 'injected failure'}) + '\n', {}
        return None

    def index(self, req, body):
        if failed := self.failing():
            return failed
        color = {'color': self.args.color} if self.args.color else {}
        out = {'version': self.args.version, 'hostname': socket.gethostname(), **color, 'notes': self.notes.all()}
        return 200, JSON, json.dumps(out) + '\n', {}

    def add(self, req, body):
        if failed := self.failing():
            return failed
        note = note_from(body, req.headers.get('Content-Type') or '')
        if not note:
            return 400, JSON, json.dumps({'error': 'no note given'}) + '\n', {}
        return 201, JSON, json.dumps({'id': self.notes.add(note), 'note': note}) + '\n', {}

    def start_error(self, req, body):
        if not self.erroring:
            print('error mode on', flush=True)
        self.erroring = True
        return 200, TEXT, 'error mode on\n', {}

    def end_error(self, req, body):
        was, self.erroring = self.erroring, False
        if was:
            print('error mode off', flush=True)
        return 200, TEXT, f'error mode off (was {"on" if was else "off"})\n', {}


def ok(req, body):
    return 200, TEXT, 'ok\n', {}


class Frontend:
    mode = 'frontend'

    def __init__(self, args):
        self.backend = args.backend_service.rstrip('/')
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def routes(self):
        return {'/': {'GET': self.index}, '/add-note': {'POST': self.add}, '/healthz': {'GET': ok}}

    def call(self, req, method, path, data=None):
        """(status, body) from the backend, or (None, reason) when it cannot be reached."""
        headers = {name: req.headers[name] for name in PROPAGATED if req.headers.get(name)}
        if data is not None:
            headers['Content-Type'] = JSON
        call = urllib.request.Request(self.backend + path, data=data, headers=headers, method=method)
        try:
            with self.opener.open(call, timeout=30) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()
        except (urllib.error.URLError, OSError) as err:
            return None, str(getattr(err, 'reason', err))

    def failure(self, status, body):
        if status is None:
            return 503, TEXT, f'Error: {body}\n', {}
        return 500, TEXT, f'Error: backend answered {status}\n', {}

    def index(self, req, body):
        status, data = self.call(req, 'GET', '/')
        if status != 200:
            return self.failure(status, data)
        try:
            page = render(json.loads(data), socket.gethostname())
        except (ValueError, AttributeError, TypeError):
            return 500, TEXT, 'Error: the backend did not answer a JSON object\n', {}
        return 200, 'text/html; charset=utf-8', page, {}

    def add(self, req, body):
        note = note_from(body, req.headers.get('Content-Type') or '')
        if not note:
            return 400, TEXT, 'Error: empty note\n', {}
        status, data = self.call(req, 'POST', '/notes', json.dumps({'note': note}).encode('utf-8'))
        if status is None or not 200 <= status < 300:
            return self.failure(status, data)
        return 303, TEXT, '', {'Location': '/'}


def render(info, frontend):
    e = lambda v: html.escape(str(v), quote=True)  # noqa: E731
    color = str(info.get('color') or 'blue')
    items = ''.join(f'<li class="collection-item">{e(n)}</li>\n' for n in info.get('notes', []))
    return (
        '<!doctype html>\n<html>\n<head><meta charset="utf-8"><title>notes</title></head>\n<body>\n'
        f'<nav class="{e(color)}" style="background:{e(CSS_COLORS.get(color, color))}">notes &middot; '
        f'backend <span id="version">{e(info.get("version", ""))}</span> on <span id="backend">{e(info.get("hostname", ""))}</span>'
        f' &middot; frontend <span id="frontend">{e(frontend)}</span></nav>\n'
        '<form method="post" action="/add-note"><input name="note" placeholder="a note"> <button>Add note</button></form>\n'
        f'<ul class="collection">\n{items}</ul>\n</body>\n</html>\n'
    )


def main(argv):
    args = parse_args(argv)
    Handler.app = Backend(args) if args.mode == 'backend' else Frontend(args)
    server = ThreadingHTTPServer(('', args.port), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # PID 1 in a container: exit on SIGTERM
    print(f'backend {args.version} listening on :{args.port} (database {args.db})' if args.mode == 'backend'
          else f'frontend listening on :{args.port}, backend {args.backend_service}', flush=True)
    server.serve_forever()


if __name__ == '__main__':
    main(sys.argv[1:])
