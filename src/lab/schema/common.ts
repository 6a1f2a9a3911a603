// Building blocks shared by the lab schema: names, durations, percentages, label maps,
// object references and small comparison shapes.
import { z } from 'zod';
import { DURATION_PATTERN } from '../duration.js';

/** Renders a value for an error message: short JSON, truncated. */
export function showValue(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return showNonFinite(value);
  const text = value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Shows NaN and ±Infinity as YAML spells them (.nan, .inf, -.inf); JSON would say "null". */
export function showNonFinite(value: number): string {
  if (Number.isNaN(value)) return '.nan (not a number)';
  return value > 0 ? '.inf (infinity)' : '-.inf (minus infinity)';
}

/** Builds a string schema checked against a pattern, with a message that names what was given. */
export function buildPatternString(pattern: RegExp, what: string, maxLength?: number) {
  const base = z.string().regex(pattern, { error: (iss) => `${what} (got ${showValue(iss.input)})` });
  return maxLength === undefined ? base : base.max(maxLength, { error: `must be at most ${maxLength} characters` });
}

/** A DNS-1123 label: lab names, tracks, namespaces. */
export const DnsLabel = buildPatternString(
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
  'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
  63,
);

/** A kebab-case identifier, e.g. a step name. */
export const KebabName = buildPatternString(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case, like "route-to-v2"', 63);

/** A Kubernetes object name (DNS-1123 subdomain). */
export const ObjectName = buildPatternString(
  /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
  'must be a Kubernetes object name: lowercase letters, digits, "-" and "."',
  253,
);

/** A namespace name. */
export const Namespace = DnsLabel;

/** An apiVersion such as "v1", "apps/v1" or "networking.istio.io/v1beta1". */
export const ApiVersion = buildPatternString(
  /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?v[0-9]+((alpha|beta)[0-9]+)?$/,
  'must be an apiVersion such as "v1", "apps/v1" or "networking.istio.io/v1"',
);

/** A Kubernetes kind such as "Deployment" or "VirtualService". */
export const KubeKind = buildPatternString(/^[A-Z][A-Za-z0-9]*$/, 'must be a Kubernetes kind in PascalCase, like "VirtualService"');

/** A duration string: "500ms", "3s", "2m", "1m30s". */
export const Duration = z
  .string({ error: (iss) => (iss.input === undefined ? undefined : `expected a duration such as "500ms", "3s" or "2m" (got ${showValue(iss.input)})`) })
  .regex(DURATION_PATTERN, { error: (iss) => `expected a duration such as "500ms", "3s" or "2m" (got ${showValue(iss.input)})` })
  .meta({ id: 'Duration', description: 'Duration such as "500ms", "3s", "2m" or "1m30s".' });

/** A percentage from 0 to 100. */
export const Percent = z
  .number()
  .min(0, { error: (iss) => `must be a percentage between 0 and 100 (got ${showValue(iss.input)})` })
  .max(100, { error: (iss) => `must be a percentage between 0 and 100 (got ${showValue(iss.input)})` });

/** A non-negative whole number. */
export const Count = z.int().min(0);

/** A string that must compile as a JavaScript regular expression. */
export const Regex = z.string().min(1).superRefine((source, ctx) => {
  try {
    new RegExp(source);
  } catch (error) {
    const reason = (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    ctx.addIssue({ code: 'custom', message: `invalid regular expression ${JSON.stringify(source)}: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}` });
  }
});

/** A Kubernetes label key, optionally prefixed ("istio-injection", "app.kubernetes.io/name"). */
export const LabelKey = buildPatternString(
  /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/,
  'must be a Kubernetes label key, like "app" or "istio.io/rev"',
);

/** A Kubernetes label value. */
export const LabelValue = buildPatternString(/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/, 'must be a Kubernetes label value', 63);

/** A label selector written as a map (matchLabels), e.g. `{ app: httpbin, version: v1 }`. */
export const Selector = z
  .record(LabelKey, LabelValue)
  .refine((labels) => Object.keys(labels).length > 0, { error: 'a selector needs at least one label' })
  .meta({ id: 'Selector', description: 'Label selector as a map of labels (matchLabels).' });

/** A reference to an object whose apiVersion may be left to discovery (label, patch, condition). */
export const TargetRef = z.strictObject({
  apiVersion: ApiVersion.optional(),
  kind: KubeKind,
  name: ObjectName,
  namespace: Namespace.optional(),
}).meta({ id: 'TargetRef' });

/** A fully qualified reference to one object (exists, absent, delete). */
export const ObjectRef = z.strictObject({
  apiVersion: ApiVersion,
  kind: KubeKind,
  name: ObjectName,
  namespace: Namespace.optional(),
}).meta({ id: 'ObjectRef' });

/** Accepts one item or a list of items, and always yields a list. */
export function acceptOneOrMany<T extends z.ZodType>(item: T) {
  return z.union([item, z.array(item).min(1)]).transform((value) => (Array.isArray(value) ? value : [value]) as z.output<T>[]);
}

/** Numeric comparison: at least one of gt, gte, lt, lte, eq. */
export const Comparison = z
  .strictObject({
    gt: z.number().optional(),
    gte: z.number().optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
    eq: z.number().optional(),
  })
  .refine((c) => Object.values(c).some((v) => v !== undefined), { error: 'give at least one of gt, gte, lt, lte, eq' })
  .meta({ id: 'Comparison' });

/** A range of percentages: at least one of min and max, with min ≤ max. */
export const PercentRange = z
  .strictObject({ min: Percent.optional(), max: Percent.optional() })
  .superRefine((range, ctx) => {
    if (range.min === undefined && range.max === undefined) {
      ctx.addIssue({ code: 'custom', message: 'give min, max or both (percentages)' });
    } else if (range.min !== undefined && range.max !== undefined && range.min > range.max) {
      ctx.addIssue({ code: 'custom', message: `min (${range.min}) is greater than max (${range.max})` });
    }
  })
  .meta({ id: 'PercentRange' });

/** Percentile bounds, e.g. `{ p50: { max: 200ms }, p99: { max: 2s } }`. */
export const Percentiles = z
  .strictObject({
    p50: z.strictObject({ min: Duration.optional(), max: Duration.optional() }).optional(),
    p90: z.strictObject({ min: Duration.optional(), max: Duration.optional() }).optional(),
    p95: z.strictObject({ min: Duration.optional(), max: Duration.optional() }).optional(),
    p99: z.strictObject({ min: Duration.optional(), max: Duration.optional() }).optional(),
  })
  .superRefine((bounds, ctx) => {
    const entries = Object.entries(bounds).filter(([, b]) => b !== undefined);
    if (entries.length === 0) ctx.addIssue({ code: 'custom', message: 'give at least one of p50, p90, p95, p99' });
    for (const [key, b] of entries) {
      if (b && b.min === undefined && b.max === undefined) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'give min, max or both (durations)' });
      }
    }
  })
  .meta({ id: 'Percentiles' });

/** Adds an issue unless exactly one of the given fields is set. */
export function requireExactlyOne(value: Record<string, unknown>, fields: string[], ctx: z.RefinementCtx, what = ''): void {
  const present = fields.filter((f) => value[f] !== undefined);
  if (present.length === 1) return;
  const list = fields.map((f) => `"${f}"`);
  const options = list.length === 2 ? list.join(' or ') : `${list.slice(0, -1).join(', ')} or ${list.at(-1)}`;
  const found = present.length === 0 ? 'none given' : `got ${present.map((f) => `"${f}"`).join(' and ')}`;
  ctx.addIssue({ code: 'custom', message: `give exactly one of ${options}${what} (${found})` });
}
