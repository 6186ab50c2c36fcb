// Paperscope's own log files in a code-server profile: one per window (extension host).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The profile's Paperscope.log files, newest first. */
function logFiles(userDataDir: string): string[] {
  const logs = join(userDataDir, 'logs');
  try {
    return readdirSync(logs, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('Paperscope.log'))
      .map((f) => ({ path: join(logs, f), time: statSync(join(logs, f)).mtimeMs }))
      .sort((a, b) => b.time - a.time)
      .map((f) => f.path);
  } catch {
    return [];
  }
}

/**
 * The end of Paperscope's log in each of the newest windows (a few lines each), or the
 * lines that match `only`: what it did before a test failed.
 */
export function paperscopeLogs(userDataDir: string, options: { windows?: number; lines?: number; only?: RegExp } = {}): string {
  const files = logFiles(userDataDir).slice(0, options.windows ?? 30);
  if (files.length === 0) {
    return '(no Paperscope log)';
  }
  const logs = join(userDataDir, 'logs');
  return files
    .map((path) => {
      let lines = readFileSync(path, 'utf8').trimEnd().split('\n');
      if (options.only) {
        lines = lines.filter((l) => options.only!.test(l));
      }
      return `--- ${path.slice(logs.length + 1)} (tail) ---\n` + lines.slice(-(options.lines ?? 15)).join('\n');
    })
    .join('\n');
}
