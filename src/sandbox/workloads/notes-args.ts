// app.py's command line as Python 3.12's argparse reads it (`--name=value` or `--name value`, no
// abbreviations, the last occurrence wins), with argparse's error wording for what the sandbox checks.

/** app.py's settings. */
export interface NotesArgs {
  mode: 'frontend' | 'backend';
  port: number;
  backendService: string;
  version: string;
  color: string;
  failPercent: number;
  db: string;
}

/** The settings, or the message argparse prints after `app.py: error: `. */
export type ParsedNotesArgs = { ok: true; args: NotesArgs } | { ok: false; error: string };

type Kind = 'choice' | 'int' | 'float' | 'str';
const OPTIONS: Record<string, { field: keyof NotesArgs; kind: Kind }> = {
  '--mode': { field: 'mode', kind: 'choice' },
  '--port': { field: 'port', kind: 'int' },
  '--backend-service': { field: 'backendService', kind: 'str' },
  '--version': { field: 'version', kind: 'str' },
  '--color': { field: 'color', kind: 'str' },
  '--fail-percent': { field: 'failPercent', kind: 'float' },
  '--db': { field: 'db', kind: 'str' },
};
const MODES = ['frontend', 'backend'];

/** Python's float(): decimal or exponent notation, inf/nan, surrounding whitespace; undefined when invalid. */
function pyFloat(text: string): number | undefined {
  const t = text.trim().replace(/(\d)_(?=\d)/g, '$1');
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(t)) return NaN;
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : undefined;
}

/** Converts one option value, or returns argparse's complaint. */
function convert(name: string, kind: Kind, raw: string): { value: string | number } | { error: string } {
  if (kind === 'choice') return MODES.includes(raw) ? { value: raw } : { error: `argument ${name}: invalid choice: '${raw}' (choose from ${MODES.map((m) => `'${m}'`).join(', ')})` };
  if (kind === 'int') {
    const t = raw.trim();
    return /^[+-]?\d+(_\d+)*$/.test(t) ? { value: Number(t.replace(/_/g, '')) } : { error: `argument ${name}: invalid int value: '${raw}'` };
  }
  if (kind === 'float') {
    const f = pyFloat(raw);
    return f === undefined ? { error: `argument ${name}: invalid float value: '${raw}'` } : { value: f };
  }
  return { value: raw };
}

/** Reads app.py's arguments (what follows the script path). */
export function parseNotesArgs(argv: string[]): ParsedNotesArgs {
  const given: Partial<Record<keyof NotesArgs, string | number>> = {};
  const extras: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const option = OPTIONS[name];
    if (!option) {
      extras.push(arg);
      continue;
    }
    let raw: string;
    if (eq > 0) raw = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-' && !/^-\d/.test(next))) return { ok: false, error: `argument ${name}: expected one argument` };
      raw = next;
      i++;
    }
    const converted = convert(name, option.kind, raw);
    if ('error' in converted) return { ok: false, error: converted.error };
    given[option.field] = converted.value;
  }
  if (given.mode === undefined) return { ok: false, error: 'the following arguments are required: --mode' };
  if (extras.length) return { ok: false, error: `unrecognized arguments: ${extras.join(' ')}` };
  const mode = given.mode as NotesArgs['mode'];
  const failPercent = (given.failPercent as number | undefined) ?? 0;
  if (!(failPercent >= 0 && failPercent <= 100)) return { ok: false, error: '--fail-percent must be between 0 and 100' };
  return {
    ok: true,
    args: {
      mode,
      port: (given.port as number | undefined) ?? (mode === 'frontend' ? 80 : 8080),
      backendService: (given.backendService as string | undefined) ?? 'http://backend:8080',
      version: (given.version as string | undefined) ?? '1.0.0',
      color: (given.color as string | undefined) ?? '',
      failPercent,
      db: (given.db as string | undefined) ?? ':memory:',
    },
  };
}
