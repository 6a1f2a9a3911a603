// The page behind /query and /graph: not Prometheus's React UI but a small stand-in with an expression
// box that calls /api/v1/query and prints the result as a table, so a learner who port-forwards to
// :9090 can type PromQL in a browser. It says that it is the sandbox's.

/** The query page (`version` is the Prometheus version the image tag names). */
export function queryPage(version: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Prometheus Time Series Collection and Processing Server</title>
<style>body{font-family:sans-serif;margin:2em}textarea{width:100%;font-family:monospace}table{border-collapse:collapse;margin-top:1em}td,th{border:1px solid #ccc;padding:4px 8px;font-family:monospace;text-align:left}.err{color:#b00}</style>
</head>
<body>
<h1>Prometheus ${version}</h1>
<p><em>istio-lab sandbox: a minimal stand-in for the Prometheus query page. It evaluates a subset of PromQL; see /api/v1/query.</em></p>
<form id="f"><textarea id="q" rows="3" placeholder="istio_requests_total">istio_requests_total</textarea><br><button type="submit">Execute</button></form>
<div id="out"></div>
<script>
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
document.getElementById('f').addEventListener('submit', async (e) => {
  e.preventDefault();
  const out = document.getElementById('out');
  const r = await fetch('api/v1/query?query=' + encodeURIComponent(document.getElementById('q').value));
  const body = await r.json();
  if (body.status !== 'success') { out.innerHTML = '<p class="err">' + esc(body.errorType + ': ' + body.error) + '</p>'; return; }
  const d = body.data;
  const rows = d.resultType === 'vector' ? d.result.map((s) => [JSON.stringify(s.metric), s.value[1]])
    : d.resultType === 'matrix' ? d.result.map((s) => [JSON.stringify(s.metric), s.values.map((v) => v[1] + ' @' + v[0]).join('<br>')])
    : [['scalar', d.result[1]]];
  out.innerHTML = '<table><tr><th>Series</th><th>Value</th></tr>' + rows.map((r) => '<tr><td>' + esc(r[0]) + '</td><td>' + r[1] + '</td></tr>').join('') + '</table>' + (rows.length ? '' : '<p>Empty query result</p>');
});
</script>
</body>
</html>
`;
}
