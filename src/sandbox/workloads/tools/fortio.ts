// `fortio load|curl|version|help …`: the fortio client as Istio's tasks run it (`fortio curl -quiet URL`,
// `fortio load -c 2 -qps 0 -n 20 -loglevel Warning URL`). Logs and the load report go to stderr.
import { parseImageRef } from '../image-ref.js';
import { parseFortioFlags, type FortioFlags } from './fortio-flags.js';
import { FortioLogger } from './fortio-log.js';
import { fortioCall, fortioRequest, runFortioLoad, type FortioRun } from './fortio-load.js';
import { parseClientUrl } from './http-client.js';
import { containerImage, toolClock } from './tool-env.js';
import { writeText, type ExecTool } from './tool.js';

/** The fortio release the sandbox reports when the image tag is not a version. */
export const FORTIO_VERSION = '1.69.5';
/** GOMAXPROCS fortio reports (`2->2 procs`): the sample's one-CPU-ish pod. */
const PROCS = 2;

const USAGE = `Φορτίο ${FORTIO_VERSION} usage:
    fortio command [flags] target
where command is one of: load (load testing), server (starts ui, rest api,
 http-echo, redirect, proxies, tcp-echo, udp-echo and grpc ping servers),
 tcp-echo (only the tcp-echo server), report (report only UI server),
 redirect (only the redirect server), proxies (only the -M and -P
 configured proxies), grpcping (gRPC client), or curl (single URL debug),
 or nc (single tcp or udp:// connection), or script (interactive grol script mode or script file),
 or version (prints the full version and build details).
where target is a URL (http load tests) or host:port (grpc health test),
 or tcp://host:port (tcp load test), or udp://host:port (udp load test).
`;

/** The fortio version in an image (`fortio/fortio:1.60.3` → 1.60.3). */
export function fortioVersion(image: string): string {
  const tag = parseImageRef(image).tag ?? '';
  return /^\d+\.\d+\.\d+$/.test(tag) ? tag : FORTIO_VERSION;
}

/** The fortio program. */
export const fortioTool: ExecTool = async (argv, streams, ctx) => {
  const version = fortioVersion(containerImage(ctx));
  const [command, ...rest] = argv.slice(1);
  if (!command) {
    await writeText(streams.stderr, `${USAGE}Error: need at least 1 command parameter\n`);
    return 1;
  }
  if (command === 'version' || command === '-version' || command === '--version') {
    await writeText(streams.stdout, rest.some((a) => a.includes('s')) ? `${version}\n` : `${version} h1:sandbox go1.24.6 amd64 linux\n`);
    return 0;
  }
  if (command === 'help' || command === '-h' || command === '--help') {
    await writeText(streams.stdout, USAGE);
    return 0;
  }
  if (command !== 'load' && command !== 'curl') {
    const known = ['server', 'report', 'redirect', 'proxies', 'tcp-echo', 'udp-echo', 'grpcping', 'nc', 'script'].includes(command);
    await writeText(streams.stderr, known ? `fortio ${command}: not emulated by the sandbox (only load, curl and version are)\n` : `${USAGE}Error: unknown command "${command}"\n`);
    return 1;
  }
  const flags = parseFortioFlags(rest);
  if (typeof flags === 'string') {
    await writeText(streams.stderr, `${flags}\n${USAGE}`);
    return 1;
  }
  if (flags.args.length !== 1) {
    await writeText(streams.stderr, `${USAGE}Error: fortio load/curl needs a URL or destination\n`);
    return 1;
  }
  const clock = toolClock(ctx);
  const justCurl = command === 'curl' || flags.curl;
  const log = new FortioLogger(streams.stderr, 2, !streams.tty, clock, justCurl);
  if (flags.logLevelSet && flags.logLevel !== 2) await log.log(2, ['logger.go', 254], `Log level is now ${flags.logLevel} ${['Debug', 'Verbose', 'Info', 'Warning', 'Error', 'Critical', 'Fatal'][flags.logLevel]} (was 2 Info)`);
  log.level = flags.logLevel;
  const run: FortioRun = { ctx, streams, log, version, procs: PROCS };
  return justCurl ? fortioCurl(flags, flags.args[0], run) : runFortioLoad(flags, flags.args[0], run);
};

/** `fortio curl URL`: headers to stderr (stdout with -curl-stdout-headers), body to stdout; exit 1 unless 200. */
async function fortioCurl(f: FortioFlags, raw: string, run: FortioRun): Promise<number> {
  const url = parseClientUrl(raw.trim());
  if (!url) {
    await run.log.log(4, ['http_client.go', 540], `Unable to parse url ${JSON.stringify(raw)}`);
    return 1;
  }
  const call = await fortioCall(run, fortioRequest(f, url, run.version), f.timeoutMs, run.streams.signal, 0);
  if (call.code === -1) return 1;
  const head = call.data.slice(0, call.headerSize);
  const body = call.data.slice(call.headerSize);
  if (f.curlStdoutHeaders) await writeText(run.streams.stdout, call.data);
  else {
    await writeText(run.streams.stderr, head);
    await writeText(run.streams.stdout, body);
  }
  if (call.code !== 200) {
    await run.log.log(4, ['fortio_main.go', 500], `Error status ${call.code}`);
    return 1;
  }
  return 0;
}
