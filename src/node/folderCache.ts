// Whole search indexes kept between sessions, for the index worker (Node only).
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { blobCodec } from '../core/search/blobCodec';
import { ENTRY_HEADER_BYTES, entryHeader, headLengthOf, type Codec, type Digest, type IndexCache, type StoredEntry } from '../core/search/fullText';

export const sha256: Digest = (parts) => {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(part);
    hash.update('\u0000');
  }
  return hash.digest('hex');
};

/** Bytes of a kept entry written in one step (see `write`). */
const WRITE_STEP = 2 * 1024 * 1024;

/** v8's structured-clone serializer: Maps and typed arrays as they are, no JSON step. */
export const v8Codec: Codec = { encode: (value) => serialize(value), decode: (bytes) => deserialize(bytes) };

/** A kept index's head: v8's serializer, the large typed arrays read back as views (blobCodec.ts). */
export const keptCodec: Codec = blobCodec(v8Codec);

/**
 * An entry's file, opened: its head read whole, its tail (the packed papers) read a range
 * at a time while the file stays open — on Linux and macOS it stays readable even if
 * another window's worker replaces it meanwhile, and on Windows it cannot be removed.
 */
function openEntry(path: string): StoredEntry | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    const header = Buffer.alloc(ENTRY_HEADER_BYTES);
    const headLength = readSync(fd, header, 0, ENTRY_HEADER_BYTES, 0) === ENTRY_HEADER_BYTES ? headLengthOf(header) : undefined;
    if (headLength === undefined || ENTRY_HEADER_BYTES + headLength > size) {
      closeSync(fd);
      return undefined;
    }
    // Not zeroed first: the read fills it, or the entry is not used. A large one is a
    // buffer of its own, so the typed arrays in it are read as views (blobCodec.ts).
    const head = Buffer.allocUnsafe(headLength);
    if (readSync(fd, head, 0, headLength, ENTRY_HEADER_BYTES) !== headLength) {
      closeSync(fd);
      return undefined;
    }
    const handle = fd;
    const tailStart = ENTRY_HEADER_BYTES + headLength;
    let open = true;
    return {
      head,
      tail: {
        length: size - tailStart,
        read: (start, end) => {
          if (!open) {
            throw new Error('the kept index file is closed');
          }
          const bytes = Buffer.alloc(end - start);
          if (readSync(handle, bytes, 0, bytes.length, tailStart + start) !== bytes.length) {
            throw new Error('the kept index file is shorter than it says');
          }
          return bytes;
        },
      },
      close: () => {
        if (open) {
          open = false;
          closeSync(handle);
        }
      },
    };
  } catch {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
    return undefined;
  }
}

/** One file per index, `index-<key>.bin` (header, head, tail); writing one removes the others (older formats too). */
export function folderCache(dir: string, writeStep = WRITE_STEP): IndexCache {
  const file = (key: string) => join(dir, `index-${key}.bin`);
  return {
    read: (key) => openEntry(file(key)),
    latest: () => {
      try {
        const newest = readdirSync(dir)
          .filter((name) => /^index-.*\.bin$/.test(name))
          .map((name) => ({ name, time: statSync(join(dir, name)).mtimeMs }))
          .sort((a, b) => b.time - a.time)[0];
        return newest && openEntry(join(dir, newest.name));
      } catch {
        return undefined;
      }
    },
    // In steps of at most `writeStep` bytes: at 100,000 papers an entry is ~300 MB, whose
    // writing held the worker (and the searches waiting) ~0.5 s in one go. A write given
    // up midway (`return`) leaves no file behind.
    *write(key, head, tail) {
      const tmp = `${file(key)}.tmp`;
      let fd: number | undefined;
      let done = false;
      try {
        mkdirSync(dir, { recursive: true });
        fd = openSync(tmp, 'w');
        writeSync(fd, entryHeader(head.length));
        for (const part of [head, tail]) {
          for (let at = 0; at < part.length; at += writeStep) {
            writeSync(fd, part, at, Math.min(writeStep, part.length - at));
            yield;
          }
        }
        closeSync(fd);
        fd = undefined;
        renameSync(tmp, file(key));
        done = true;
        for (const name of readdirSync(dir)) {
          if (name.startsWith('index-') && name !== `index-${key}.bin`) {
            rmSync(join(dir, name), { force: true });
          }
        }
      } catch {
        // A cache that cannot be written only costs the next start its time.
      } finally {
        try {
          if (fd !== undefined) {
            closeSync(fd);
          }
          if (!done) {
            rmSync(tmp, { force: true });
          }
        } catch {
          // As above.
        }
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
