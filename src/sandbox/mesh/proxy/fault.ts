// VirtualService fault injection as Envoy's fault filter (§3): delay and abort drawn independently,
// FractionalPercent granularity, no percentage = nothing injected, abort drawn after the delay.
import type { Random } from '../../runtime/determinism.js';
import { parseDurationMs } from '../routing/index.js';
import { localResponse, type Outcome } from './local-reply.js';

/** gRPC status names accepted by `abort.grpcStatus` (§3). */
const grpcCodes: Record<string, number> = {
  OK: 0, CANCELLED: 1, UNKNOWN: 2, INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, ALREADY_EXISTS: 6, PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9, ABORTED: 10, OUT_OF_RANGE: 11, UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14, DATA_LOSS: 15, UNAUTHENTICATED: 16,
};

/** §3 `translatePercentToFractionalPercent`: percentage.value → numerator per million (unset → 0). */
export function fractionPerMillion(percentage: any, legacyPercent?: unknown): number {
  if (percentage && percentage.value !== undefined) return Math.round(Number(percentage.value) * 10_000);
  if (legacyPercent !== undefined && legacyPercent !== null) return Math.round(Number(legacyPercent) * 10_000);
  return 0;
}

/** Draw a FractionalPercent (Envoy: random % 1,000,000 < numerator); 0 and 100 % draw nothing. */
export function drawFraction(perMillion: number, random: Random): boolean {
  if (perMillion <= 0) return false;
  if (perMillion >= 1_000_000) return true;
  return Math.floor(random() * 1_000_000) < perMillion;
}

/** §3: the delay to inject for this request, if drawn (legacy `delay.percent` honoured when `percentage` is absent). */
export function drawDelayMs(fault: any, random: Random): number | undefined {
  const delay = fault?.delay;
  if (!delay) return undefined;
  const ms = parseDurationMs(delay.fixedDelay);
  if (!ms || !drawFraction(fractionPerMillion(delay.percentage, delay.percent), random)) return undefined;
  return ms;
}

/** §3: the abort reply, if drawn (`fault filter abort`, FI; grpcStatus answers 200 with `grpc-status`). Legacy `abort.percent` is ignored (removed in 1.5). */
export function drawAbort(fault: any, random: Random): Outcome | undefined {
  const abort = fault?.abort;
  if (!abort || !drawFraction(fractionPerMillion(abort.percentage), random)) return undefined;
  if (abort.grpcStatus !== undefined) {
    const code = grpcCodes[String(abort.grpcStatus).toUpperCase()] ?? Number(abort.grpcStatus);
    const response = localResponse(200, '', { 'content-type': 'application/grpc', 'grpc-status': String(code), 'grpc-message': 'fault filter abort' });
    return { response, flags: ['FI'], details: 'fault_filter_abort' };
  }
  const status = Number(abort.httpStatus ?? 0);
  if (!(status >= 200 && status < 600)) return undefined;
  return { response: localResponse(status, 'fault filter abort'), flags: ['FI'], details: 'fault_filter_abort' };
}
