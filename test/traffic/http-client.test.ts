import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHttpSender } from '../../src/traffic/index.js';
import { startServer } from '../probes/helpers.js';

describe('HTTP sender (ingress path)', () => {
  it('sends the Host header, method, headers and body, and reads status, headers and body', async () => {
    const srv = await startServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.setHeader('x-seen', `${req.method} ${req.headers.host} ${req.headers['x-user']} ${body}`);
        res.setHeader('set-cookie', ['a=1', 'b=2']);
        res.end('hello');
      });
    });
    const sender = createHttpSender({ host: '127.0.0.1', port: srv.port });
    try {
      const r = await sender.send({ method: 'POST', path: '/x', host: 'bookinfo.example.com', headers: { 'x-user': 'jason' }, body: 'payload' });
      assert.equal(r.status, 200);
      assert.equal(r.headers['x-seen'], 'POST bookinfo.example.com jason payload');
      assert.equal(r.headers['set-cookie'], 'a=1, b=2');
      assert.equal(r.body, 'hello');
      assert.ok(r.latencyMs >= 0);
    } finally {
      sender.close();
      await srv.close();
    }
  });

  it('reuses connections (keep-alive)', async () => {
    const sockets = new Set<unknown>();
    const srv = await startServer((req, res) => (sockets.add(req.socket), res.end('ok')));
    const sender = createHttpSender({ host: '127.0.0.1', port: srv.port }, { concurrency: 2 });
    try {
      for (let i = 0; i < 10; i++) await sender.send({ method: 'GET', path: '/' });
      assert.equal(sockets.size, 1);
    } finally {
      sender.close();
      await srv.close();
    }
  });

  it('turns a refused connection into status 0 with a reason', async () => {
    const srv = await startServer((_req, res) => res.end());
    await srv.close();
    const sender = createHttpSender({ host: '127.0.0.1', port: srv.port });
    const r = await sender.send({ method: 'GET', path: '/' });
    sender.close();
    assert.equal(r.status, 0);
    assert.match(r.error!, /connection refused/);
  });

  it('times out slow responses', async () => {
    const srv = await startServer((_req, res) => setTimeout(() => res.end('late'), 300));
    const sender = createHttpSender({ host: '127.0.0.1', port: srv.port }, { timeoutMs: 50 });
    try {
      const r = await sender.send({ method: 'GET', path: '/' });
      assert.equal(r.status, 0);
      assert.match(r.error!, /no response within 50 ms/);
    } finally {
      sender.close();
      await srv.close();
    }
  });
});
