// Access log lines in Istio's default TEXT format (§13 gives no format, so Istio's `EnvoyTextLogFormat`):
// [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS%
// %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% "%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED%
// %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%"
// "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER_RAW% %UPSTREAM_LOCAL_ADDRESS%
// %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%
import { formatFlags } from './local-reply.js';

/** Everything one access log line carries. */
export interface AccessLogEntry {
  start: Date;
  method: string;
  path: string;
  status: number;
  flags: string[];
  details: string;
  terminationDetails?: string;
  transportFailure?: string;
  bytesReceived: number;
  bytesSent: number;
  durationMs: number;
  upstreamServiceTimeMs?: number;
  headers: Record<string, string>;
  authority: string;
  upstreamHost?: string;
  upstreamCluster?: string;
  upstreamLocal?: string;
  downstreamLocal?: string;
  downstreamRemote?: string;
  serverName?: string;
  routeName?: string;
}

const dash = (v: string | number | undefined) => (v === undefined || v === '' ? '-' : String(v));

/** Format one line (no trailing newline). */
export function formatAccessLog(e: AccessLogEntry): string {
  const h = e.headers;
  const path = h['x-envoy-original-path'] ?? e.path;
  const serviceTime = e.upstreamServiceTimeMs === undefined ? undefined : Math.round(e.upstreamServiceTimeMs);
  return (
    `[${e.start.toISOString()}] "${e.method} ${path} HTTP/1.1" ${e.status} ${formatFlags(e.flags)} ${dash(e.details)} ${dash(e.terminationDetails)} ` +
    `"${dash(e.transportFailure)}" ${e.bytesReceived} ${e.bytesSent} ${Math.max(0, Math.round(e.durationMs))} ${dash(serviceTime)} ` +
    `"${dash(h['x-forwarded-for'])}" "${dash(h['user-agent'])}" "${dash(h['x-request-id'])}" "${dash(e.authority)}" "${dash(e.upstreamHost)}" ` +
    `${dash(e.upstreamCluster)} ${dash(e.upstreamLocal)} ${dash(e.downstreamLocal)} ${dash(e.downstreamRemote)} ${dash(e.serverName)} ${dash(e.routeName)}`
  );
}
