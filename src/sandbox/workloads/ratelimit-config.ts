// envoyproxy/ratelimit's configuration (src/config/config_impl.go, §10): YAML files with a `domain` and
// nested `descriptors` (`key`, optional `value`, `rate_limit {unit, requests_per_unit, unlimited, name}`,
// `shadow_mode`), validated the way the service does it (unknown keys, empty key or domain, bad unit,
// duplicate composite key or domain are errors naming the file), and the lookup of a request descriptor:
// `key_value` first, then a `key*` wildcard, then the key alone (the default), level by level; a limit
// applies only when it sits at the descriptor's last entry.
import yaml from 'js-yaml';
import type { RateLimitDescriptor, RateLimitUnit } from '../mesh/proxy/ratelimit-api.js';
import { unitSeconds } from '../mesh/proxy/ratelimit-api.js';

/** One configured limit. */
export interface RateLimit {
  /** `domain.KEY_value.KEY2` — the stats key, and what /rlconfig prints. */
  fullKey: string;
  requestsPerUnit: number;
  unit: RateLimitUnit;
  unlimited: boolean;
  shadowMode: boolean;
  name?: string;
}

interface DescriptorNode {
  children: Map<string, DescriptorNode>;
  wildcards: string[];
  limit?: RateLimit;
}

/** A loaded configuration: descriptor trees by domain. */
export interface RateLimitConfig {
  domains: Map<string, DescriptorNode>;
}

/** A configuration file (its runtime key, e.g. `config.config`) and its text. */
export interface ConfigFile {
  name: string;
  content: string;
}

/** A config error; the message starts with the file's name, as the service logs it. */
export class RateLimitConfigError extends Error {}

const validKeys = new Set(['domain', 'key', 'value', 'descriptors', 'rate_limit', 'unit', 'requests_per_unit', 'unlimited', 'shadow_mode', 'name', 'replaces', 'detailed_metric']);

function fail(file: string, message: string): never {
  throw new RateLimitConfigError(`${file}: ${message}`);
}

/** config_impl.go validateYamlKeys: every map key known, lists hold maps, leaves are strings, ints or bools. */
function validateKeys(file: string, node: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(node)) {
    if (!validKeys.has(k)) fail(file, `config error, unknown key '${k}'`);
    if (Array.isArray(v)) {
      for (const e of v) {
        if (!e || typeof e !== 'object' || Array.isArray(e)) fail(file, `config error, yaml file contains list of type other than map: ${String(e)}`);
        validateKeys(file, e as Record<string, unknown>);
      }
    } else if (v && typeof v === 'object') validateKeys(file, v as Record<string, unknown>);
    else if (!(v === null || typeof v === 'string' || typeof v === 'boolean' || Number.isInteger(v))) fail(file, 'error checking config');
  }
}

function loadDescriptors(file: string, parent: DescriptorNode, parentKey: string, list: any[]): void {
  for (const d of list ?? []) {
    if (!d.key) fail(file, 'descriptor has empty key');
    const finalKey = d.value !== undefined && d.value !== null && d.value !== '' ? `${d.key}_${d.value}` : String(d.key);
    const fullKey = parentKey + finalKey;
    if (parent.children.has(finalKey)) fail(file, `duplicate descriptor composite key '${fullKey}'`);
    const node: DescriptorNode = { children: new Map(), wildcards: [] };
    const rl = d.rate_limit;
    if (rl) {
      const unit = String(rl.unit ?? '').toUpperCase() as RateLimitUnit;
      const validUnit = unit in unitSeconds;
      if (rl.unlimited && validUnit) fail(file, 'should not specify rate limit unit when unlimited');
      if (!rl.unlimited && !validUnit) fail(file, `invalid rate limit unit '${rl.unit ?? ''}'`);
      node.limit = { fullKey, requestsPerUnit: Number(rl.requests_per_unit ?? 0), unit, unlimited: !!rl.unlimited, shadowMode: !!d.shadow_mode, ...(rl.name ? { name: String(rl.name) } : {}) };
    }
    loadDescriptors(file, node, `${fullKey}.`, d.descriptors);
    parent.children.set(finalKey, node);
    if (finalKey.endsWith('*')) parent.wildcards.push(finalKey);
  }
}

/** Load every file into one configuration; throws RateLimitConfigError like the service's reload. */
export function loadRateLimitConfig(files: ConfigFile[]): RateLimitConfig {
  const domains = new Map<string, DescriptorNode>();
  for (const f of files) {
    let root: any;
    try {
      root = yaml.load(f.content) ?? {};
    } catch (err) {
      fail(f.name, `error loading config file: ${(err as Error).message.split('\n')[0]}`);
    }
    if (typeof root !== 'object' || Array.isArray(root)) fail(f.name, 'error loading config file: the document is not a map');
    validateKeys(f.name, root);
    if (!root.domain) fail(f.name, 'config file cannot have empty domain');
    if (domains.has(root.domain)) fail(f.name, `duplicate domain '${root.domain}' in config file`);
    const node: DescriptorNode = { children: new Map(), wildcards: [] };
    loadDescriptors(f.name, node, `${root.domain}.`, root.descriptors);
    domains.set(String(root.domain), node);
  }
  return { domains };
}

/** config_impl.go GetLimit: the limit for one request descriptor, or undefined (no limit applies). */
export function findLimit(config: RateLimitConfig, domain: string, descriptor: RateLimitDescriptor): RateLimit | undefined {
  const root = config.domains.get(domain);
  if (!root) return undefined;
  let level: DescriptorNode = root;
  let found: RateLimit | undefined;
  const entries = descriptor.entries ?? [];
  for (const [i, entry] of entries.entries()) {
    const exact = `${entry.key}_${entry.value ?? ''}`;
    let next: DescriptorNode | undefined = level.children.get(exact);
    if (!next) {
      const wildcard = level.wildcards.find((w) => exact.startsWith(w.slice(0, -1)));
      if (wildcard) next = level.children.get(wildcard);
    }
    next ??= level.children.get(entry.key);
    if (next?.limit && i === entries.length - 1) found = next.limit;
    if (!next || !next.children.size) break;
    level = next;
  }
  return found;
}

/** What the debug port's /rlconfig prints: one line per configured limit. */
export function dumpRateLimitConfig(config: RateLimitConfig): string {
  const lines: string[] = [];
  const walk = (node: DescriptorNode) => {
    if (node.limit) lines.push(`${node.limit.fullKey}: unit=${node.limit.unit} requests_per_unit=${node.limit.requestsPerUnit}, shadow_mode: ${node.limit.shadowMode}`);
    for (const child of node.children.values()) walk(child);
  };
  for (const d of config.domains.values()) walk(d);
  return lines.map((l) => `${l}\n`).join('');
}
