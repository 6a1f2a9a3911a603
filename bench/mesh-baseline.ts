// The throughput baseline of bench/mesh.bench.ts: a minimal Node server and a minimal Node reverse
// proxy in front of it. Imported, it runs in the caller's process; run as a script, it runs in a
// process of its own and prints the proxy's port.
import { Agent, createServer, request } from 'node:http';
import { pathToFileURL } from 'node:url';

/** Starts the server and the proxy on loopback; resolves with the proxy's port. */
export async function startBaseline(): Promise<{ proxyPort: number; close(): void }> {
  const body = JSON.stringify({ args: {}, headers: {}, method: 'GET', origin: '127.0.0.1', url: 'http://x/get' });
  const upstream = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const upPort = (upstream.address() as { port: number }).port;
  const agent = new Agent({ keepAlive: true });
  const proxy = createServer((req, res) => {
    const up = request({ host: '127.0.0.1', port: upPort, path: req.url, method: req.method, headers: req.headers, agent }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  return { proxyPort: (proxy.address() as { port: number }).port, close: () => (upstream.close(), proxy.close(), agent.destroy()) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { proxyPort } = await startBaseline();
  process.stdout.write(`${proxyPort}\n`);
}
