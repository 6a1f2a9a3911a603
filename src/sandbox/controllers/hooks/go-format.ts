// Go `%#v` renderings the real API server embeds in validation messages.

/** `map[string]string{"app":"web", "tier":"fe"}` (keys sorted, as Go prints maps). */
export function goStringMap(map: Record<string, string> | undefined | null): string {
  if (!map) return 'map[string]string(nil)';
  const entries = Object.keys(map).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(map[k])}`);
  return `map[string]string{${entries.join(', ')}}`;
}

/** `[]string{"a", "b"}`. */
export function goStringSlice(values: string[] | undefined | null): string {
  return values ? `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}` : '[]string(nil)';
}

/** `v1.LabelSelector{MatchLabels:..., MatchExpressions:...}`. */
export function goLabelSelector(selector: any): string {
  const exprs = selector?.matchExpressions as { key: string; operator: string; values?: string[] }[] | undefined;
  const renderedExprs = exprs
    ? `[]v1.LabelSelectorRequirement{${exprs.map((e) => `v1.LabelSelectorRequirement{Key:${JSON.stringify(e.key)}, Operator:${JSON.stringify(e.operator)}, Values:${goStringSlice(e.values)}}`).join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(selector?.matchLabels)}, MatchExpressions:${renderedExprs}}`;
}

/** `Unsupported value: "x": supported values: "a", "b"`. */
export function unsupported(value: unknown, supported: string[]): string {
  return `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`;
}
