// Looks up an executable on PATH without running it (Windows: PATHEXT extensions too).
import { access, constants, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** Full path of `name` in the PATH of `env`, or undefined. */
export async function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Promise<string | undefined> {
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean);
  const extensions = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of dirs) {
    for (const ext of extensions) {
      const candidate = join(dir, name + ext);
      const isFile = await stat(candidate).then((s) => s.isFile(), () => false);
      const runnable = isFile && (await access(candidate, platform === 'win32' ? constants.F_OK : constants.X_OK).then(() => true, () => false));
      if (runnable) return candidate;
    }
  }
  return undefined;
}
