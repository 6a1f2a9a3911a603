// DestinationRule outlierDetection (§5) as Envoy's consecutive-5xx / consecutive-gateway-failure
// detector: inline ejection at the threshold, maxEjectionPercent checked against the share ejected
// BEFORE this ejection (§5, as the spec reads `ejectHost`), ejection for baseEjectionTime × times
// ejected (capped by max_ejection_time 300 s), unejection on `interval` ticks. Ticks are evaluated
// lazily from the injected Clock, so no timer runs. Success-rate ejection is not modelled (Istio disables it).
import { parseDurationMs } from '../routing/index.js';
import { clusterStat, type ProxyStats } from './stats.js';

/** Envoy outlier-detection settings derived from the DR (§5). */
export interface OutlierConfig {
  consecutive5xx: number;
  consecutiveGateway: number;
  intervalMs: number;
  baseEjectionMs: number;
  maxEjectionPercent: number;
  minHealthPercent: number;
  maxEjectionMs: number;
}

/** How one upstream attempt ended, as the detector hears it. */
export type OutlierResult = { status: number } | { localOrigin: 'connect-failed' | 'timeout' };

/** §5: DR outlierDetection → Envoy config; undefined when the DR sets none (no detection at all). */
export function outlierConfigFrom(od: any, versionAtMost: (v: string) => boolean): OutlierConfig | undefined {
  if (!od) return undefined;
  const num = (v: unknown, d: number) => (v === undefined || v === null ? d : Number(v));
  // Legacy consecutiveErrors mapped to consecutive_gateway_failure up to 1.6; ignored since 1.7 (§5).
  const legacy = versionAtMost('1.6') && od.consecutiveErrors !== undefined ? Number(od.consecutiveErrors) : undefined;
  return {
    consecutive5xx: num(od.consecutive5xxErrors, 5),
    consecutiveGateway: num(od.consecutiveGatewayErrors, legacy ?? 0),
    intervalMs: parseDurationMs(od.interval) ?? 10_000,
    baseEjectionMs: parseDurationMs(od.baseEjectionTime) ?? 30_000,
    maxEjectionPercent: num(od.maxEjectionPercent, 10),
    minHealthPercent: num(od.minHealthPercent, 0),
    maxEjectionMs: 300_000,
  };
}

interface HostMonitor {
  consecutive5xx: number;
  consecutiveGateway: number;
  ejectedAt?: number;
  ejections: number;
  lastUnejectedAt?: number;
}

/** Outlier detector of one cluster on one proxy. */
export class OutlierDetector {
  private readonly hosts = new Map<string, HostMonitor>();
  private lastTick: number;

  constructor(readonly config: OutlierConfig, private readonly startMs: number, private readonly stats: ProxyStats, private readonly cluster: string) {
    this.lastTick = startMs;
    stats.gauge(clusterStat(cluster, 'outlier_detection.ejections_active'), () => this.ejectedCount());
  }

  private monitor(key: string): HostMonitor {
    let m = this.hosts.get(key);
    if (!m) this.hosts.set(key, (m = { consecutive5xx: 0, consecutiveGateway: 0, ejections: 0 }));
    return m;
  }

  private stat(name: string): void {
    this.stats.inc(clusterStat(this.cluster, `outlier_detection.${name}`));
  }

  /** Ejected host count right now. */
  ejectedCount(): number {
    let n = 0;
    for (const m of this.hosts.values()) if (m.ejectedAt !== undefined) n++;
    return n;
  }

  /** Run the interval ticks due by `nowMs`: uneject hosts whose time is up, decay ejection multipliers. */
  advance(nowMs: number): void {
    const { intervalMs, baseEjectionMs, maxEjectionMs } = this.config;
    if (intervalMs <= 0) return;
    let tick = this.lastTick + intervalMs;
    if ((nowMs - tick) / intervalMs > 100_000) tick = nowMs - ((nowMs - this.startMs) % intervalMs);
    for (; tick <= nowMs; tick += intervalMs) {
      for (const m of this.hosts.values()) {
        if (m.ejectedAt === undefined) {
          if (m.ejections > 0 && m.lastUnejectedAt !== undefined && m.lastUnejectedAt + baseEjectionMs <= tick) m.ejections--;
          continue;
        }
        const duration = Math.min(baseEjectionMs * m.ejections, Math.max(maxEjectionMs, baseEjectionMs));
        if (tick - m.ejectedAt >= duration) {
          m.ejectedAt = undefined;
          m.lastUnejectedAt = tick;
          m.consecutive5xx = 0;
          m.consecutiveGateway = 0;
        }
      }
      this.lastTick = tick;
    }
  }

  /** Whether the host is ejected at `nowMs`. */
  isEjected(key: string, nowMs: number): boolean {
    this.advance(nowMs);
    return this.hosts.get(key)?.ejectedAt !== undefined;
  }

  /** Record an attempt's result; ejects inline when a consecutive threshold is reached (§5). */
  report(key: string, result: OutlierResult, nowMs: number, hostCount: number): void {
    this.advance(nowMs);
    const m = this.monitor(key);
    // Local-origin failures count as 503 (connect) / 504 (timeout) when not split (Envoy default).
    const status = 'status' in result ? result.status : result.localOrigin === 'timeout' ? 504 : 503;
    if (status < 500) {
      m.consecutive5xx = 0;
      m.consecutiveGateway = 0;
      return;
    }
    if (status >= 502 && status <= 504) {
      m.consecutiveGateway++;
      if (this.config.consecutiveGateway > 0 && m.consecutiveGateway === this.config.consecutiveGateway) {
        this.stat('ejections_detected_consecutive_gateway_failure');
        this.eject(m, 'consecutive_gateway_failure', nowMs, hostCount);
      }
    } else m.consecutiveGateway = 0;
    m.consecutive5xx++;
    if (this.config.consecutive5xx > 0 && m.consecutive5xx === this.config.consecutive5xx) {
      this.stat('ejections_detected_consecutive_5xx');
      this.stat('ejections_consecutive_5xx');
      this.eject(m, 'consecutive_5xx', nowMs, hostCount);
    }
  }

  private eject(m: HostMonitor, type: string, nowMs: number, hostCount: number): void {
    if (m.ejectedAt !== undefined) return;
    const ejectedPercent = hostCount > 0 ? (100 * this.ejectedCount()) / hostCount : 0;
    if (ejectedPercent >= this.config.maxEjectionPercent && this.ejectedCount() > 0) {
      this.stat('ejections_overflow');
      return;
    }
    m.ejectedAt = nowMs;
    m.ejections++;
    m.consecutive5xx = 0;
    m.consecutiveGateway = 0;
    this.stat('ejections_total');
    this.stat('ejections_enforced_total');
    this.stat(`ejections_enforced_${type}`);
  }
}
