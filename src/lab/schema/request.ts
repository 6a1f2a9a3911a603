// The request shared by traffic-sending checks (http, traffic, latency, load): where it
// comes from and what it sends; plus the eventual-consistency policy every check carries.
import { z } from 'zod';
import { Duration, Namespace, ObjectName, Selector, requireExactlyOne } from './common.js';

/** A workload to send requests from (or read from): pods by selector, or a deployment's pods. */
export const WorkloadRef = z
  .strictObject({
    pod: Selector.optional(),
    deployment: ObjectName.optional(),
    container: ObjectName.optional(),
    namespace: Namespace.optional(),
  })
  .superRefine((w, ctx) => requireExactlyOne(w, ['pod', 'deployment'], ctx))
  .meta({ id: 'WorkloadRef' });

/** Where requests come from: the ingress gateway, or inside a pod (exec). */
export const From = z
  .union([z.literal('ingress'), WorkloadRef])
  .meta({ id: 'From', description: '"ingress" (the Istio ingress gateway), or a workload {pod | deployment, container?, namespace?}.' });

/** HTTP request fields; spread into each traffic-sending check. */
export const requestFields = {
  from: From.default('ingress'),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET'),
  path: z
    .string()
    .regex(/^\//, { error: (iss) => `must start with "/" (got ${JSON.stringify(iss.input)})` })
    .default('/'),
  host: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'Host header (from ingress) or the authority to call from a pod, e.g. "httpbin:8000".' }),
  headers: z.record(z.string().min(1), z.string()).optional(),
  body: z.string().optional(),
};

/** How long and how often a check is retried until it holds (eventual consistency). */
export const Eventually = z
  .strictObject({
    timeout: Duration.default('60s'),
    interval: Duration.default('2s'),
    consecutive: z.int().min(1).default(1).meta({ description: 'Passes in a row needed before the check holds.' }),
  })
  .prefault({})
  .meta({ id: 'Eventually', description: 'Retry policy: keep checking every `interval` until `consecutive` passes in a row, or fail at `timeout`.' });

/** Fields every check has: an optional display name and the eventual-consistency policy. */
export const checkBaseFields = {
  name: z.string().min(1).optional(),
  eventually: Eventually,
};
