// A login (session) for checks that act as a signed-in user: one request sent first, through the
// same path as the check's requests, whose Set-Cookie cookies then go with every request.
import { z } from 'zod';

/** The login request of a check (e.g. Bookinfo's `POST /login` with form `username=jason`). */
export const Session = z
  .strictObject({
    path: z
      .string()
      .regex(/^\//, { error: (iss) => `must start with "/" (got ${JSON.stringify(iss.input)})` })
      .meta({ description: 'Path of the login request, e.g. "/login".' }),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH']).default('POST'),
    host: z.string().min(1).optional().meta({ description: 'Host header (ingress) or authority (pod) of the login; defaults to the check\'s `host`.' }),
    form: z
      .record(z.string().min(1), z.string())
      .optional()
      .meta({ description: 'Form fields, sent urlencoded (application/x-www-form-urlencoded), e.g. {username: jason}.' }),
    headers: z.record(z.string().min(1), z.string()).optional(),
    body: z.string().optional().meta({ description: 'Raw request body, instead of `form`.' }),
  })
  .refine((s) => s.form === undefined || s.body === undefined, { error: 'give `form` or `body`, not both' })
  .meta({
    id: 'Session',
    description:
      'Log in before the check: this request is sent first (its redirect is not followed), and the cookies its Set-Cookie headers set are sent with every request of the check.',
  });

/** The optional `session` field of checks that send requests one by one (http, traffic, latency). */
export const sessionField = { session: Session.optional() };
