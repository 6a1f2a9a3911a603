#!/usr/bin/env node
// Entry point: runs the compiled CLI (npm's prepare script builds dist/).
import('../dist/cli/main.js').then((m) => m.main(process.argv)).catch((err) => {
  console.error(`istio-lab: ${err && err.message ? err.message : err}`);
  console.error('istio-lab: is the project built? Run `npm run build` (npm install does it for you).');
  process.exit(2);
});
