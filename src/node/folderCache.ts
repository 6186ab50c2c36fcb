// Whole search indexes kept between sessions, for the index worker (Node only).
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Codec, Digest, IndexCache } from '../core/search/fullText';

export const sha256: Digest = (parts) => {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(part);
    hash.update('\u0000');
  }
  return hash.digest('hex');
};

/** v8's structured-clone serializer: Maps and typed arrays as they are, no JSON step. */
export const v8Codec: Codec = { encode: (value) => serialize(value), decode: (bytes) => deserialize(bytes) };

/** One file per index, `index-<key>.bin`; writing one removes the others (older `.json` ones too). */
export function folderCache(dir: string): IndexCache {
  const file = (key: string) => join(dir, `index-${key}.bin`);
  return {
    read: (key) => {
      try {
        return readFileSync(file(key));
      } catch {
        return undefined;
      }
    },
    latest: () => {
      try {
        const newest = readdirSync(dir)
          .filter((name) => /^index-.*\.bin$/.test(name))
          .map((name) => ({ name, time: statSync(join(dir, name)).mtimeMs }))
          .sort((a, b) => b.time - a.time)[0];
        return newest && readFileSync(join(dir, newest.name));
      } catch {
        return undefined;
      }
    },
    write: (key, data) => {
      try {
        mkdirSync(dir, { recursive: true });
        const tmp = `${file(key)}.tmp`;
        writeFileSync(tmp, data);
        renameSync(tmp, file(key));
        for (const name of readdirSync(dir)) {
          if (name.startsWith('index-') && name !== `index-${key}.bin`) {
            rmSync(join(dir, name), { force: true });
          }
        }
      } catch {
        // A cache that cannot be written only costs the next start its time.
      }
    },
  };
}

/**
 * Removes the folders under `root` (one per workspace) whose files are all older than
 * `maxAgeMs`, except `keep`: a workspace not opened for that long gives its kept index
 * back (at 100,000 papers one is 380 MB). Never throws; returns the folders removed.
 */
export function pruneFolders(root: string, keep: string, maxAgeMs: number, now = Date.now()): string[] {
  const removed: string[] = [];
  try {
    for (const name of readdirSync(root)) {
      const dir = join(root, name);
      const own = name === keep ? undefined : statSync(dir);
      if (!own?.isDirectory()) {
        continue;
      }
      const newest = Math.max(own.mtimeMs, ...readdirSync(dir).map((f) => statSync(join(dir, f)).mtimeMs));
      if (now - newest > maxAgeMs) {
        rmSync(dir, { recursive: true, force: true });
        removed.push(name);
      }
    }
  } catch {
    // Pruning is housekeeping: whatever fails is tried again at the next start.
  }
  return removed;
}

/** Marks a workspace's folder as used now (a kept index only read keeps its old time). */
export function markUsed(dir: string, now = new Date()): void {
  try {
    utimesSync(dir, now, now);
  } catch {
    // not there yet: the first index written will date it
  }
}
