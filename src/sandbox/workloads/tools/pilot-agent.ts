// `pilot-agent request GET <path>` in an istio-proxy container: the Envoy admin API as labs use it
// (`kubectl exec deploy/x -c istio-proxy -- pilot-agent request GET stats | grep pending`).
import { writeText, type ExecTool } from './tool.js';

/** pilot-agent: only `request GET stats` and `request GET stats/prometheus` are modelled. */
export const pilotAgentTool: ExecTool = async (argv, streams, ctx) => {
  const [, verb, method, path = ''] = argv;
  if (verb !== 'request' || !method) {
    await writeText(streams.stderr, 'Usage: pilot-agent request <method> <path> [flags]\n(the sandbox models only `pilot-agent request GET stats` and `GET stats/prometheus`)\n');
    return 1;
  }
  const target = path.replace(/^\//, '').split('?')[0];
  if (method.toUpperCase() === 'GET' && target === 'stats/prometheus') {
    const text = ctx.network.proxyPrometheus?.(ctx.pod);
    if (text === undefined) {
      await writeText(streams.stderr, 'Error: no Envoy admin endpoint: this pod has no sidecar in the sandbox mesh\n');
      return 1;
    }
    await writeText(streams.stdout, text);
    return 0;
  }
  if (method.toUpperCase() !== 'GET' || (target !== 'stats' && target !== 'stats/')) {
    await writeText(streams.stderr, `Error: the sandbox models only "pilot-agent request GET stats" and "GET stats/prometheus"; ${method} ${path} is not emulated\n`);
    return 1;
  }
  const stats = ctx.network.proxyStats?.(ctx.pod);
  if (stats === undefined) {
    await writeText(streams.stderr, 'Error: no Envoy admin endpoint: this pod has no sidecar in the sandbox mesh\n');
    return 1;
  }
  await writeText(streams.stdout, stats.endsWith('\n') || !stats ? stats : `${stats}\n`);
  return 0;
};
