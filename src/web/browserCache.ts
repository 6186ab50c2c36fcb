// Whole search indexes kept between sessions in the browser build: IndexedDB, which a
// Web Worker can use, in the origin of VS Code's web-worker extension host (per browser
// profile and VS Code server, shared by its windows). The Node worker keeps the same
// entries as files (node/folderCache.ts); IndexServer reads and writes both alike.
//
// IndexServer reads its cache synchronously, and IndexedDB answers asynchronously: the
// worker opens this cache, with the workspace's entry read into memory, before it makes
// its IndexServer (`openBrowserCache`). Writes are steps (one chunk each) that the worker
// runs between searches; the entry becomes the workspace's only once every chunk is
// stored, so that a write given up, failed or cut short by a closed tab is never read.
import { entryHeader, entryInMemory, ENTRY_HEADER_BYTES, type IndexCache, type StoredEntry } from '../core/search/fullText';

const DATABASE = 'paperscope-index';
/** Chunks: key [workspace, write, n] → bytes n of that write's entry. */
const CHUNKS = 'chunks';
/** Manifests: key workspace → the entry it reads (`Manifest`). */
const MANIFESTS = 'manifests';

/** Bytes of a stored chunk, each written in one step: as the Node worker writes its files. */
const CHUNK_BYTES = 8 * 1024 * 1024;

interface Manifest {
  /** The entry's key (IndexServer's). */
  readonly key: string;
  /** The write its chunks belong to. */
  readonly write: string;
  readonly chunks: number;
  readonly length: number;
  /** When a session last opened or wrote it (ms since the epoch): `maxAgeMs` counts from it. */
  readonly used: number;
}

/** IndexedDB as a scope has it (a worker's `self`; tests give Node one). */
export interface BrowserIndexedDb {
  readonly factory?: IDBFactory;
  readonly keyRange?: typeof IDBKeyRange;
}

/** A cache in IndexedDB; `idle` resolves once what it is writing or tidying is done (tests). */
export interface BrowserCache extends IndexCache {
  idle(): Promise<void>;
}

export interface BrowserCacheOptions {
  /** A workspace not opened for this long gives its kept index back (ms). */
  readonly maxAgeMs: number;
  readonly now?: () => number;
  readonly chunkBytes?: number;
}

const done = (request: IDBRequest): Promise<unknown> =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('an IndexedDB request failed'));
  });

const committed = (tx: IDBTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = tx.onerror = () => reject(tx.error ?? new Error('an IndexedDB transaction failed'));
  });

/** All of a workspace's chunks, or one write's. */
const chunksOf = (K: typeof IDBKeyRange, workspace: string, write?: string): IDBKeyRange =>
  write === undefined ? K.bound([workspace], [workspace, []]) : K.bound([workspace, write], [workspace, write, []]);

const isManifest = (v: unknown): v is Manifest => {
  const m = v as Partial<Manifest> | undefined;
  return typeof m?.key === 'string' && typeof m.write === 'string' && Number.isSafeInteger(m.chunks) && Number.isSafeInteger(m.length) && typeof m.used === 'number';
};

function openDatabase(factory: IDBFactory, name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(name, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(CHUNKS);
      request.result.createObjectStore(MANIFESTS);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB did not open'));
    request.onblocked = () => reject(new Error('IndexedDB is blocked by another connection'));
  });
}

/** The workspace's entry, read whole into one buffer (its typed arrays are read as views: blobCodec.ts). */
async function readEntry(db: IDBDatabase, K: typeof IDBKeyRange, workspace: string): Promise<{ manifest: Manifest; entry: StoredEntry } | undefined> {
  const tx = db.transaction([MANIFESTS, CHUNKS], 'readonly');
  const manifest = await done(tx.objectStore(MANIFESTS).get(workspace));
  if (!isManifest(manifest)) {
    return undefined;
  }
  // Chunk by chunk into the entry's buffer: at most one chunk more than the entry in memory.
  const bytes = new Uint8Array(manifest.length);
  let at = 0;
  let count = 0;
  await new Promise<void>((resolve, reject) => {
    const cursor = tx.objectStore(CHUNKS).openCursor(chunksOf(K, workspace, manifest.write));
    cursor.onerror = () => reject(cursor.error ?? new Error('an IndexedDB cursor failed'));
    cursor.onsuccess = () => {
      const c = cursor.result;
      if (!c) {
        resolve();
        return;
      }
      const chunk = c.value as unknown;
      const n = (c.key as unknown[])[2];
      if (!(chunk instanceof Uint8Array) || n !== count || at + chunk.length > bytes.length) {
        reject(new Error('a kept index with a missing or damaged chunk'));
        return;
      }
      bytes.set(chunk, at);
      at += chunk.length;
      count++;
      c.continue();
    };
  });
  if (count !== manifest.chunks || at !== manifest.length) {
    return undefined;
  }
  const entry = entryInMemory(bytes);
  return entry && { manifest, entry };
}

/**
 * Opens the kept indexes of `workspace` (an id of its folders), with its entry read;
 * undefined where there is no IndexedDB or it fails (then nothing is kept). Housekeeping
 * on the way: the workspace's entry marked used, other workspaces' entries not used for
 * `maxAgeMs` removed, and chunks no entry names (a write given up or cut short by a
 * closed tab) removed once an hour old. Never throws.
 */
export async function openBrowserCache(idb: BrowserIndexedDb | undefined, workspace: string, options: BrowserCacheOptions): Promise<BrowserCache | undefined> {
  if (!idb?.factory || !idb.keyRange) {
    return undefined;
  }
  const { factory, keyRange: K } = idb;
  const now = options.now ?? Date.now;
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  let db: IDBDatabase;
  let kept: Awaited<ReturnType<typeof readEntry>>;
  try {
    db = await openDatabase(factory, DATABASE);
  } catch {
    return undefined;
  }
  try {
    kept = await readEntry(db, K, workspace);
  } catch {
    kept = undefined;
  }
  // What is still being written or tidied (`idle`).
  const pending = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>): void => {
    const settled = work.catch(() => undefined).finally(() => pending.delete(settled));
    pending.add(settled);
  };
  track(tidy(db, K, workspace, kept?.manifest, now(), options.maxAgeMs));

  // The entry is handed out with a close that lets it go (IndexServer closes an entry it
  // drops; one it uses it keeps itself): the bytes are not held for the whole session.
  const handOut = (): StoredEntry | undefined =>
    kept && {
      ...kept.entry,
      close: () => {
        kept = undefined;
      },
    };
  return {
    read: (key) => (kept?.manifest.key === key ? handOut() : undefined),
    latest: handOut,
    idle: async () => {
      while (pending.size > 0) {
        await Promise.all(pending);
      }
    },
    *write(key, head, tail) {
      const write = `${now().toString(36)}-${Math.random().toString(36).slice(2)}`;
      const parts = [entryHeader(head.length), head, tail];
      const length = ENTRY_HEADER_BYTES + head.length + tail.length;
      const chunks = Math.ceil(length / chunkBytes);
      const stored: Promise<void>[] = [];
      let finished = false;
      try {
        for (let n = 0; n < chunks; n++) {
          // A chunk of its own: IndexedDB would store a view's whole buffer.
          const chunk = new Uint8Array(Math.min(chunkBytes, length - n * chunkBytes));
          copyRange(parts, n * chunkBytes, chunk);
          try {
            const tx = db.transaction(CHUNKS, 'readwrite');
            tx.objectStore(CHUNKS).put(chunk, [workspace, write, n]);
            stored.push(committed(tx));
          } catch {
            return; // (the connection closed, say): a cache that cannot be written only costs the next start its time
          }
          yield;
        }
        finished = true;
      } finally {
        if (finished) {
          // Once every chunk is in, the manifest names them, and the entry it named goes.
          track(
            Promise.all(stored)
              .then(() => publish(db, K, workspace, { key, write, chunks, length, used: now() }))
              .catch(() => removeChunks(db, K, workspace, write)),
          );
        } else {
          // Given up midway (a change came): nothing of it stays. (Transactions run in
          // the order they were made: this one after the chunks' puts.)
          stored.forEach(track);
          track(removeChunks(db, K, workspace, write));
        }
      }
    },
  };
}

/** Copies bytes `[from, from + out.length)` of the parts laid end to end into `out`. */
function copyRange(parts: readonly Uint8Array[], from: number, out: Uint8Array): void {
  let start = 0;
  let written = 0;
  for (const part of parts) {
    const end = start + part.length;
    if (end > from + written && written < out.length) {
      const a = from + written - start;
      const b = Math.min(part.length, a + out.length - written);
      out.set(part.subarray(a, b), written);
      written += b - a;
    }
    start = end;
  }
}

/** Makes a write the workspace's entry, and removes the chunks of the entry it named before. */
async function publish(db: IDBDatabase, K: typeof IDBKeyRange, workspace: string, manifest: Manifest): Promise<void> {
  const tx = db.transaction([MANIFESTS, CHUNKS], 'readwrite');
  const manifests = tx.objectStore(MANIFESTS);
  const before = await done(manifests.get(workspace));
  manifests.put(manifest, workspace);
  if (isManifest(before) && before.write !== manifest.write) {
    tx.objectStore(CHUNKS).delete(chunksOf(K, workspace, before.write));
  }
  await committed(tx);
}

async function removeChunks(db: IDBDatabase, K: typeof IDBKeyRange, workspace: string, write: string): Promise<void> {
  const tx = db.transaction(CHUNKS, 'readwrite');
  tx.objectStore(CHUNKS).delete(chunksOf(K, workspace, write));
  await committed(tx);
}

/**
 * Chunks no manifest names are removed once this old: younger ones may be another
 * window's write under way (its manifest comes last).
 */
const ORPHAN_AGE_MS = 3600 * 1000;

/** When a write began (its name starts with the time, base 36), or NaN. */
const writeTime = (write: unknown): number => (typeof write === 'string' ? parseInt(write.split('-')[0], 36) : NaN);

/** The housekeeping `openBrowserCache` describes. */
async function tidy(db: IDBDatabase, K: typeof IDBKeyRange, workspace: string, own: Manifest | undefined, now: number, maxAgeMs: number): Promise<void> {
  const tx = db.transaction([MANIFESTS, CHUNKS], 'readwrite');
  const manifests = tx.objectStore(MANIFESTS);
  const chunks = tx.objectStore(CHUNKS);
  if (own) {
    manifests.put({ ...own, used: now }, workspace);
  }
  const names = (await done(manifests.getAllKeys())) as IDBValidKey[];
  const all = (await done(manifests.getAll())) as unknown[];
  const named = new Set<string>();
  names.forEach((name, i) => {
    const m = all[i];
    if (typeof name === 'string' && isManifest(m) && (name === workspace || now - m.used <= maxAgeMs)) {
      named.add(JSON.stringify([name, m.write]));
    } else {
      manifests.delete(name);
      if (typeof name === 'string') {
        chunks.delete(chunksOf(K, name));
      }
    }
  });
  for (const key of (await done(chunks.getAllKeys())) as IDBValidKey[]) {
    const [name, write] = Array.isArray(key) ? key : [];
    if (!named.has(JSON.stringify([name, write])) && !(now - writeTime(write) <= ORPHAN_AGE_MS)) {
      chunks.delete(key);
    }
  }
  await committed(tx);
}
