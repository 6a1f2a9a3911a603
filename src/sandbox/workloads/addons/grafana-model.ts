// Model of grafana/grafana as Istio's samples/addons/grafana.yaml runs it (anonymous admin, provisioned
// Prometheus data source and the Istio dashboards from ConfigMap volumes): the HTTP API that health
// checks and scripts use — /api/health, /api/search, /api/dashboards/uid/<uid>, /api/datasources —
// and a plain page for / and /d/<uid>. Dashboards are listed from the mounted JSON but not rendered.
import yaml from 'js-yaml';
import { send } from '../http-kit.js';
import { parseImageRef } from '../image-ref.js';
import type { ContainerContext, ContainerWorkload, WorkloadModel } from '../model.js';
import { mountedFiles } from '../mounted-files.js';

const PROVISIONING = '/etc/grafana/provisioning';

/** A provisioned dashboard as /api/search lists it. */
interface Dashboard {
  id: number;
  uid: string;
  title: string;
  tags: string[];
  folderTitle: string;
  json: any;
}

/** Dashboards the file providers of `provisioning/dashboards/*.yaml` point at. */
function provisionedDashboards(ctx: ContainerContext): Dashboard[] {
  const out: Dashboard[] = [];
  for (const file of mountedFiles(ctx, `${PROVISIONING}/dashboards`)) {
    const providers: any[] = (yaml.load(file.content) as any)?.providers ?? [];
    for (const p of providers) {
      if (p?.type && p.type !== 'file') continue;
      for (const f of mountedFiles(ctx, String(p?.options?.path ?? '/nonexistent')).filter((x) => x.path.endsWith('.json'))) {
        try {
          const json = JSON.parse(f.content);
          const slug = f.path.split('/').pop()!.replace(/\.json$/, '');
          out.push({ id: out.length + 1, uid: String(json.uid ?? slug), title: String(json.title ?? slug), tags: json.tags ?? [], folderTitle: String(p.folder ?? 'General'), json });
        } catch {
          ctx.log(`logger=provisioning.dashboard level=error msg="failed to load dashboard from " file=${f.path} error="invalid JSON"`);
        }
      }
    }
  }
  return out.sort((a, b) => a.title.localeCompare(b.title));
}

/** Data sources from `provisioning/datasources/*.yaml`. */
function provisionedDatasources(ctx: ContainerContext): any[] {
  return mountedFiles(ctx, `${PROVISIONING}/datasources`).flatMap((f, i) => ((yaml.load(f.content) as any)?.datasources ?? []).map((d: any, j: number) => ({ id: i * 100 + j + 1, uid: d.uid ?? d.name, orgId: d.orgId ?? 1, name: d.name, type: d.type, access: d.access ?? 'proxy', url: d.url ?? '', isDefault: !!d.isDefault, jsonData: d.jsonData ?? {} })));
}

function slugify(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** grafana/grafana. */
export const grafanaModel: WorkloadModel = {
  name: 'grafana',
  create(ctx: ContainerContext): ContainerWorkload {
    const version = parseImageRef(ctx.container.image).tag ?? 'latest';
    const port = Number(ctx.env.GF_SERVER_HTTP_PORT ?? 3000);
    const jsonType = { 'Content-Type': 'application/json' };
    return {
      start() {
        ctx.log(`logger=server t=${ctx.clock.now().toISOString()} level=info msg="Starting Grafana" version=${version}`);
        ctx.log(`logger=http.server t=${ctx.clock.now().toISOString()} level=info msg="HTTP Server Listen" address=[::]:${port} protocol=http`);
        ctx.cluster?.warn('EmulatedGrafana', 'istio-lab sandbox: Grafana is modelled by its HTTP API (/api/health, /api/search, /api/dashboards/uid/<uid>, /api/datasources); provisioned dashboards are listed but not rendered, and their panels run no queries');
      },
      httpHandler(p) {
        if (p !== port) return undefined;
        return (req, res) => {
          const url = new URL(req.url ?? '/', 'http://grafana');
          const path = url.pathname;
          const byUid = /^\/api\/dashboards\/uid\/([^/]+)$/.exec(path);
          const page = /^\/d\/([^/]+)/.exec(path);
          if (path === '/api/health') return send(res, 200, jsonType, JSON.stringify({ database: 'ok', version, commit: 'istio-lab-sandbox' }, null, 2));
          if (path === '/api/search') {
            const q = (url.searchParams.get('query') ?? '').toLowerCase();
            const tag = url.searchParams.getAll('tag');
            const hits = provisionedDashboards(ctx).filter((d) => d.title.toLowerCase().includes(q) && tag.every((t) => d.tags.includes(t)));
            const body = hits.map((d) => ({ id: d.id, uid: d.uid, title: d.title, uri: `db/${slugify(d.title)}`, url: `/d/${d.uid}/${slugify(d.title)}`, slug: '', type: 'dash-db', tags: d.tags, isStarred: false, folderTitle: d.folderTitle }));
            return send(res, 200, jsonType, JSON.stringify(body));
          }
          if (byUid) {
            const d = provisionedDashboards(ctx).find((x) => x.uid === decodeURIComponent(byUid[1]));
            if (!d) return send(res, 404, jsonType, JSON.stringify({ message: 'Dashboard not found' }));
            return send(res, 200, jsonType, JSON.stringify({ dashboard: { ...d.json, id: d.id, uid: d.uid }, meta: { type: 'db', slug: slugify(d.title), url: `/d/${d.uid}/${slugify(d.title)}`, folderTitle: d.folderTitle, provisioned: true } }));
          }
          if (path === '/api/datasources') return send(res, 200, jsonType, JSON.stringify(provisionedDatasources(ctx)));
          if (path === '/' || path === '/login' || page) {
            const d = page ? provisionedDashboards(ctx).find((x) => x.uid === page[1]) : undefined;
            const panels = ((d?.json?.panels ?? []) as any[]).map((x) => `<li>${escape(String(x.title ?? ''))}</li>`).join('');
            return send(res, 200, { 'Content-Type': 'text/html; charset=UTF-8' }, `<!DOCTYPE html><html><head><title>${escape(d?.title ?? 'Grafana')}</title></head><body><h1>${escape(d?.title ?? 'Grafana')}</h1><p><em>istio-lab sandbox: Grafana's UI is not rendered; use /api/search and /api/dashboards/uid/&lt;uid&gt;.</em></p><ul>${panels}</ul></body></html>`);
          }
          send(res, 404, jsonType, JSON.stringify({ message: 'Not found' }));
        };
      },
    };
  },
};

function escape(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
