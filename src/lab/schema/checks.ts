// Checks (probes): every way a step proves it worked, as one union tagged by `kind`.
import { z } from 'zod';
import { AbsentCheck, CommandCheck, EnvoyStatsCheck, LogsCheck, MetricsCheck, PodsCheck, ResourceCheck } from './checks-cluster.js';
import { HttpCheck, LatencyCheck, LoadCheck, TrafficCheck } from './checks-traffic.js';

/** Any check, tagged by `kind`. */
export const Check = z.discriminatedUnion('kind', [
  ResourceCheck,
  AbsentCheck,
  PodsCheck,
  HttpCheck,
  TrafficCheck,
  LatencyCheck,
  LoadCheck,
  LogsCheck,
  MetricsCheck,
  EnvoyStatsCheck,
  CommandCheck,
]).meta({ id: 'Check' });
