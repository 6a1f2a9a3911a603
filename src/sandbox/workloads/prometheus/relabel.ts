// Prometheus relabel_configs (https://prometheus.io/docs/prometheus/latest/configuration/configuration/#relabel_config):
// replace, keep, drop, labelmap, labeldrop, labelkeep, lowercase, uppercase, with anchored regexes
// and Go-style `$1` / `${name}` expansion. Used to turn discovered pods into scrape targets.
import type { Labels } from './promql-values.js';

/** One relabel rule as written in prometheus.yml. */
export interface RelabelConfig {
  source_labels?: string[];
  separator?: string;
  regex?: string;
  target_label?: string;
  replacement?: string;
  action?: string;
}

/** The relabel actions the sandbox implements. */
export const relabelActions = new Set(['replace', 'keep', 'drop', 'labelmap', 'labeldrop', 'labelkeep', 'lowercase', 'uppercase']);

/** Go's regexp.Expand: `$1`, `${1}`, `$name`, `${name}`; unknown groups expand to "". */
function expand(template: string, m: RegExpExecArray): string {
  return template.replace(/\$\$|\$\{(\w+)\}|\$(\w+)/g, (all, braced: string | undefined, bare: string | undefined) => {
    if (all === '$$') return '$';
    const ref = braced ?? bare!;
    return (/^\d+$/.test(ref) ? m[Number(ref)] : m.groups?.[ref]) ?? '';
  });
}

/** Applies one rule; undefined means the target is dropped. */
function applyRule(labels: Labels, rule: RelabelConfig): Labels | undefined {
  const action = rule.action ?? 'replace';
  const re = new RegExp(`^(?:${rule.regex ?? '(.*)'})$`);
  const value = (rule.source_labels ?? []).map((l) => labels[l] ?? '').join(rule.separator ?? ';');
  const out = { ...labels };
  switch (action) {
    case 'keep':
      return re.test(value) ? out : undefined;
    case 'drop':
      return re.test(value) ? undefined : out;
    case 'replace': {
      const m = re.exec(value);
      if (!m || !rule.target_label) return out;
      const target = expand(rule.target_label, m);
      const result = expand(rule.replacement ?? '$1', m);
      if (result === '') delete out[target];
      else out[target] = result;
      return out;
    }
    case 'lowercase':
    case 'uppercase':
      if (rule.target_label) out[rule.target_label] = action === 'lowercase' ? value.toLowerCase() : value.toUpperCase();
      return out;
    case 'labelmap':
      for (const [name, v] of Object.entries(labels)) {
        const m = re.exec(name);
        if (m) out[expand(rule.replacement ?? '$1', m)] = v;
      }
      return out;
    case 'labeldrop':
    case 'labelkeep':
      for (const name of Object.keys(labels)) if (re.test(name) === (action === 'labeldrop')) delete out[name];
      return out;
    default:
      throw new Error(`relabel action "${action}" is not supported by the sandbox's Prometheus (supported: ${[...relabelActions].join(', ')})`);
  }
}

/** Applies the rules in order; undefined when a keep/drop rule drops the target. */
export function relabel(labels: Labels, rules: RelabelConfig[]): Labels | undefined {
  let current: Labels | undefined = labels;
  for (const rule of rules) {
    current = applyRule(current, rule);
    if (!current) return undefined;
  }
  return current;
}
