import { readFileSync } from 'node:fs';
import { parseLab } from './src/lab/parse.js';
const r = parseLab(readFileSync('/tmp/exp/labs/core/traffic-shifting.yaml', 'utf8'), 'labs/core/traffic-shifting.yaml');
if (!r.ok) for (const e of r.errors) console.log(String(e)); else console.log(JSON.stringify(r.lab, null, 1));
for (const w of r.warnings) console.log(String(w));
