// fortio/fortio (samples/httpbin/sample-client/fortio-deploy.yaml): by default `fortio server`, whose HTTP
// echo server listens on 8080 (-http-port); its gRPC ping port (8079) is not emulated. With a client
// command (`load …`, `curl …`) the container runs it once and exits, logging the report.
import { runContainerCommand, lineLogger } from './container-command.js';
import { createFortioEchoHandler } from './fortio-echo.js';
import { commandLine, goFlag } from './http-kit.js';
import type { ContainerContext, ContainerWorkload, WorkloadModel } from './model.js';
import { FortioLogger } from './tools/fortio-log.js';
import { fortioTool, fortioVersion } from './tools/fortio.js';

/** fortio/fortio. */
export const fortioModel: WorkloadModel = {
  name: 'fortio',
  create(ctx: ContainerContext): ContainerWorkload {
    const argv = commandLine(ctx.container);
    const args = argv[0] && /(^|\/)fortio$/.test(argv[0]) ? argv.slice(1) : argv;
    const version = fortioVersion(ctx.container.image);
    if (['load', 'curl', 'version', 'nc', 'grpcping'].includes(args[0] ?? '')) {
      return { start: () => runContainerCommand(ctx, ['fortio', ...args], { fortio: fortioTool }), commands: { fortio: fortioTool } };
    }
    const port = Number(goFlag(args, 'http-port') ?? 8080);
    const log = new FortioLogger(lineLogger(ctx.log), 2, true, ctx.clock);
    const handler = createFortioEchoHandler({
      random: ctx.random,
      stop: ctx.signal,
      version,
      hostname: ctx.env.HOSTNAME ?? ctx.pod.metadata.name ?? '',
      startedAt: performance.now(),
      onDebug: (req) => void log.log(2, ['http_server.go', 120], 'Debug', { method: req.method ?? 'GET', url: req.url ?? '/', host: String(req.headers.host ?? ''), proto: `HTTP/${req.httpVersion}`, remote_addr: `${req.socket?.remoteAddress ?? ''}:${req.socket?.remotePort ?? 0}`, 'user-agent': String(req.headers['user-agent'] ?? '') }),
    });
    return {
      start() {
        const line = (file: [string, number], msg: string, attrs: Record<string, string | number> = {}) => void log.log(2, file, msg, attrs);
        line(['scli.go', 122], 'Starting', { command: 'Φορτίο', version: `${version} h1:sandbox go1.24.6 amd64 linux`, go: 'go1.24.6', arch: 'amd64', goos: 'linux' });
        line(['http_server.go', 447], `Fortio ${version} grpc 'ping' server listening on tcp [::]:8079 (not emulated by the sandbox)`);
        line(['http_server.go', 447], `Fortio ${version} http-echo server listening on tcp [::]:${port}`);
        line(['uihandler.go', 1033], 'Debug endpoint on /debug, Additional Echo on /debug/echo/, Flags on /fortio/flags, and Metrics on /debug/metrics');
        line(['uihandler.go', 1048], 'UI started - visit:', { url: `http://localhost:${port}/fortio/` });
        line(['fortio_main.go', 276], `All fortio ${version} h1:sandbox go1.24.6 amd64 linux servers started!`);
      },
      httpHandler: (p) => (p === port ? handler : undefined),
      commands: { fortio: fortioTool },
    };
  },
};
