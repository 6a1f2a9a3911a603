// Which transport a client proxy uses towards an endpoint (§5 tls.mode, §8 auto mTLS).
import type { Endpoint } from '../routing/index.js';
import { hasSidecar } from '../routing/index.js';

/** TLS handshake failure Envoy reports when the server does not speak TLS (derived; Envoy/BoringSSL wording). */
export const tlsWrongVersion = 'TLS_error:|268435703:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER:TLS_error_end';

/** The upstream transport: Istio mTLS or plaintext, or a handshake that cannot succeed. */
export type UpstreamTransport = { mtls: boolean } | { tlsFailure: string };

/**
 * §5/§8: explicit DISABLE → plaintext; ISTIO_MUTUAL → mTLS (fails against a pod without a sidecar);
 * SIMPLE/MUTUAL → TLS origination (fails against a plaintext pod; passed through unchanged to external
 * hosts, which the sandbox cannot express); unset → auto mTLS (on since 1.5 unless meshConfig.enableAutoMtls
 * is false) iff the server has a sidecar; with auto mTLS off, plaintext, which a STRICT server resets (§8).
 */
export function upstreamTransport(tls: any, endpoint: Endpoint, autoMtls: boolean): UpstreamTransport {
  const mode: string | undefined = tls?.mode;
  const sidecar = hasSidecar(endpoint.pod);
  if (mode === 'DISABLE') return { mtls: false };
  if (mode === 'ISTIO_MUTUAL') return endpoint.pod && !sidecar ? { tlsFailure: tlsWrongVersion } : { mtls: !!endpoint.pod };
  if (mode === 'SIMPLE' || mode === 'MUTUAL') return endpoint.pod ? { tlsFailure: tlsWrongVersion } : { mtls: false };
  return { mtls: autoMtls && sidecar };
}
