// Traffic: how probes send requests and read responses — node http from this process through the
// ingress, curl or fortio exec'd in a pod — plus in-order collection, load generation and
// classification of responses into buckets.
export type { ObservedResponse, RequestSpec, SendBatch } from './response.js';
export { MAX_BODY_BYTES, errorResponse, sampleResponse } from './response.js';
export { createHttpSender, describeError } from './http-client.js';
export type { HttpSender, HttpSenderOptions, HttpTarget } from './http-client.js';
export { buildCurlArgs, buildCurlLoop, parseCurlOutput, quoteShell } from './curl.js';
export { buildFortioArgs, parseFortioReport } from './fortio.js';
export type { FortioLoad, FortioReport } from './fortio.js';
export { OTHER_BUCKET, createClassifier, extractValue } from './classify.js';
export { parseJsonPath, readJsonPath, parseJsonBody } from './json-path.js';
export { collectInOrder } from './collect.js';
export type { CollectOptions } from './collect.js';
export { generateLoad } from './load.js';
export type { LoadClock, LoadOptions, LoadResult } from './load.js';
export { findGatewayService, openIngress, resolveIngress } from './ingress.js';
export type { IngressConnection } from './ingress.js';
export { createPodSender, cutByTimeout } from './pod-sender.js';
export type { PodTarget, PodSender, PodSenderOptions } from './pod-sender.js';
export { describeReason, fromCurlExit, fromNodeError } from './transport.js';
export type { TransportError, TransportReason } from './transport.js';
export { buildLoginSpec, cookieHeader, openSession, parseSetCookies, pathMatches, withCookies } from './session.js';
export type { SessionSpec, SetCookie } from './session.js';
