// envoyproxy/ratelimit's settings (src/settings/settings.go) and its file config provider: environment
// variables, logrus-style log lines, and the runtime directory it loads config from. With
// RUNTIME_WATCH_ROOT=true (the default) every file under RUNTIME_ROOT/RUNTIME_SUBDIRECTORY whose runtime
// key starts with `config.` is loaded; with false (Istio's sample) every file under
// RUNTIME_ROOT/RUNTIME_SUBDIRECTORY/RUNTIME_APPDIRECTORY. RUNTIME_IGNOREDOTFILES skips dot files (without
// it a ConfigMap volume's `..data` copy would load the domain twice on a real node). The service reloads
// when the files change; a failed reload keeps the previous config.
import { dumpRateLimitConfig, loadRateLimitConfig, RateLimitConfigError, type ConfigFile, type RateLimitConfig } from './ratelimit-config.js';

/** The settings the model honours. */
export interface RateLimitSettings {
  httpPort: number;
  grpcPort: number;
  debugPort: number;
  logLevel: number;
  /** `host:port` of redis, or undefined for the default unix socket (not reachable in the sandbox). */
  redis?: string;
  redisUrl: string;
  cacheKeyPrefix: string;
  backendType: string;
  watchRoot: boolean;
  ignoreDotFiles: boolean;
  /** Directory the runtime keys are relative to, and the one config files must sit under. */
  runtimeDir: string;
  configDir: string;
}

const levels = ['panic', 'fatal', 'error', 'warning', 'info', 'debug', 'trace'];

/** Settings from the container's environment, with settings.go's defaults. */
export function readSettings(env: Record<string, string>): RateLimitSettings {
  const flag = (name: string, dflt: boolean) => (env[name] === undefined ? dflt : /^(1|t|true)$/i.test(env[name]));
  const join = (...parts: string[]) => parts.filter(Boolean).join('/').replace(/\/+/g, '/').replace(/\/$/, '');
  const socket = (env.REDIS_SOCKET_TYPE ?? 'unix').toLowerCase();
  const redisUrl = env.REDIS_URL ?? '/var/run/nutcracker/ratelimit.sock';
  const runtimeDir = join(env.RUNTIME_ROOT ?? '/srv/runtime_data/current', env.RUNTIME_SUBDIRECTORY ?? '');
  const watchRoot = flag('RUNTIME_WATCH_ROOT', true);
  const level = levels.indexOf((env.LOG_LEVEL ?? 'warn').toLowerCase().replace(/^warn$/, 'warning'));
  return {
    httpPort: Number(env.PORT ?? 8080),
    grpcPort: Number(env.GRPC_PORT ?? 8081),
    debugPort: Number(env.DEBUG_PORT ?? 6070),
    logLevel: level < 0 ? 3 : level,
    ...(socket === 'tcp' ? { redis: redisUrl.split(',')[0].replace(/^redis:\/\/([^@]*@)?/, '') } : {}),
    redisUrl,
    cacheKeyPrefix: env.CACHE_KEY_PREFIX ?? '',
    backendType: env.BACKEND_TYPE ?? 'redis',
    watchRoot,
    ignoreDotFiles: flag('RUNTIME_IGNOREDOTFILES', false),
    runtimeDir,
    configDir: watchRoot ? join(runtimeDir, 'config') : join(runtimeDir, env.RUNTIME_APPDIRECTORY ?? 'config'),
  };
}

/** A logrus text-format line: `time="…" level=debug msg="…"`. */
export function logrusLine(now: Date, level: string, msg: string): string {
  return `time="${now.toISOString().replace(/\.\d{3}Z$/, 'Z')}" level=${level} msg=${JSON.stringify(msg)}`;
}

/** The config files the provider loads from `files` (absolute path → content), with their runtime keys. */
export function configFiles(settings: RateLimitSettings, files: Record<string, string>): ConfigFile[] {
  const out: ConfigFile[] = [];
  for (const path of Object.keys(files).sort()) {
    if (!path.startsWith(`${settings.configDir}/`)) continue;
    const rel = path.slice(settings.runtimeDir.length + 1);
    if (settings.ignoreDotFiles && rel.split('/').some((s) => s.startsWith('.'))) continue;
    out.push({ name: rel.replace(/\.[^./]*$/, '').replace(/\//g, '.'), content: files[path] });
  }
  return out;
}

/** The loaded config, reloaded when the files change (a failed reload keeps the previous config). */
export class ConfigProvider {
  private signature?: string;
  private config?: RateLimitConfig;
  /** Successful and failed loads (the service's config_load_success / config_load_error stats). */
  readonly loads = { success: 0, error: 0 };

  constructor(
    private readonly read: () => ConfigFile[],
    private readonly log: (level: string, msg: string) => void,
  ) {}

  /** The current config, after reloading if the files changed; undefined when none ever loaded. */
  current(): RateLimitConfig | undefined {
    const files = this.read();
    const signature = JSON.stringify(files);
    if (signature === this.signature) return this.config;
    this.signature = signature;
    try {
      const next = loadRateLimitConfig(files);
      this.loads.success++;
      for (const line of dumpRateLimitConfig(next).split('\n').filter(Boolean)) this.log('debug', `loading descriptor: key=${line.split(':')[0]}`);
      this.config = next;
    } catch (err) {
      if (!(err instanceof RateLimitConfigError)) throw err;
      this.loads.error++;
      this.log('error', `error loading new configuration from runtime: ${err.message}`);
    }
    return this.config;
  }
}
