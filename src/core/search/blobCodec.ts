// A kept index's head with its large typed arrays laid out as they are in memory, so
// that reading it back makes views on the bytes read instead of copies.
//
// At a window reload the worker reads the kept index before it can answer. With V8's
// serializer alone most typed arrays lay unaligned in the bytes read, and Node copied
// them out: the preload of a 20,000-paper index took 170–191 ms, 129–137 ms with this
// layout (six runs each). Here the inner codec writes everything else, with each typed array of 4 KB or more replaced by
// its number in a table; the arrays follow, each at a multiple of 8 bytes.
import type { Codec } from './fullText';

/** "PSB1" read as a little-endian 32-bit number: the layout below, version 1. */
const MAGIC = 0x31425350;
/** Smaller arrays stay with the inner codec: a view is not worth it. */
const MIN_BLOB_BYTES = 4096;
/** The key that marks an array taken out (no data of ours has it). */
const BLOB = '\u0000blob';

const KINDS = {
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
} as const;
type Kind = keyof typeof KINDS;
type Typed = InstanceType<(typeof KINDS)[Kind]>;

/** Where an array taken out lies: its kind, its byte offset in the whole, its length in elements. */
type BlobEntry = [kind: Kind, offset: number, length: number];

function kindOf(value: ArrayBufferView): Kind | undefined {
  const name = value.constructor.name as Kind;
  return KINDS[name] && value instanceof KINDS[name] ? name : undefined;
}

const align8 = (n: number) => (n + 7) & ~7;

/** An object literal's kind of object: the only objects walked into (Maps and the like are the inner codec's). */
const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

/**
 * `inner`, with the typed arrays of `minBlobBytes` or more (every one with 0) of plain objects and arrays laid out after it.
 * Decoding checks the layout and throws on anything else (a head written by another
 * codec, truncated or damaged): the caller rebuilds then.
 */
export function blobCodec(inner: Codec, minBlobBytes = MIN_BLOB_BYTES): Codec {
  return {
    encode(value: unknown): Uint8Array {
      const blobs: Typed[] = [];
      const lift = (v: unknown): unknown => {
        if (ArrayBuffer.isView(v)) {
          if (v.byteLength >= minBlobBytes && kindOf(v)) {
            blobs.push(v as Typed);
            return { [BLOB]: blobs.length - 1 };
          }
          return v;
        }
        if (Array.isArray(v)) {
          return v.map(lift);
        }
        if (isPlainObject(v)) {
          const out: Record<string, unknown> = {};
          for (const [k, x] of Object.entries(v)) {
            out[k] = lift(x);
          }
          return out;
        }
        return v; // Maps, Sets, numbers, strings…: the inner codec's
      };
      const tree = lift(value);
      // Offsets count from the first array, which starts at the first multiple of 8 after the meta.
      const table: BlobEntry[] = [];
      let size = 0;
      for (const b of blobs) {
        table.push([kindOf(b)!, size, b.length]);
        size = align8(size + b.byteLength);
      }
      const meta = inner.encode({ tree, table });
      const start = align8(8 + meta.length);
      const out = new Uint8Array(start + size);
      const header = new DataView(out.buffer);
      header.setUint32(0, MAGIC, true);
      header.setUint32(4, meta.length, true);
      out.set(meta, 8);
      blobs.forEach((b, i) => out.set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), start + table[i][1]));
      return out;
    },

    decode(bytes: Uint8Array): unknown {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (bytes.length < 8 || view.getUint32(0, true) !== MAGIC) {
        throw new Error('not a kept head of this layout');
      }
      const metaLength = view.getUint32(4, true);
      if (8 + metaLength > bytes.length) {
        throw new Error('a kept head shorter than its meta');
      }
      const meta = inner.decode(bytes.subarray(8, 8 + metaLength)) as { tree?: unknown; table?: unknown } | null;
      if (!Array.isArray(meta?.table)) {
        throw new Error('a kept head without its table');
      }
      const start = align8(8 + metaLength);
      const arrays = (meta.table as unknown[]).map((entry) => {
        const [kind, offset, length] = Array.isArray(entry) ? (entry as unknown[]) : [];
        const Ctor = typeof kind === 'string' && Object.hasOwn(KINDS, kind) ? KINDS[kind as Kind] : undefined;
        if (!Ctor || !Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || (offset as number) < 0 || (length as number) < 0) {
          throw new Error('a kept head with a damaged table');
        }
        const from = start + (offset as number);
        const to = from + (length as number) * Ctor.BYTES_PER_ELEMENT;
        if (to > bytes.length) {
          throw new Error('a kept head shorter than its arrays');
        }
        // A view where the bytes lie aligned for the kind (a whole read buffer), else a copy.
        return (bytes.byteOffset + from) % Ctor.BYTES_PER_ELEMENT === 0
          ? new Ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset + from, length as number)
          : new Ctor(bytes.slice(from, to).buffer as ArrayBuffer);
      });
      const drop = (v: unknown): unknown => {
        if (Array.isArray(v)) {
          return v.map(drop);
        }
        if (isPlainObject(v)) {
          if (Object.hasOwn(v, BLOB)) {
            const i = v[BLOB];
            if (typeof i !== 'number' || !(i in arrays)) {
              throw new Error('a kept head naming an array it lacks');
            }
            return arrays[i];
          }
          for (const k of Object.keys(v)) {
            v[k] = drop(v[k]);
          }
        }
        return v;
      };
      return drop(meta.tree);
    },
  };
}

/** The marks `jsonCodec` puts where JSON has no value of its own. */
const UNDEFINED = '\u0000undefined';
const NUMBER = '\u0000number';

const isTag = (v: unknown, tag: string): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, tag);

/**
 * JSON for what `blobCodec(…, 0)` leaves to its inner codec in the browser, which has no
 * V8 serializer: plain objects, arrays, strings, numbers, booleans and null, read back
 * as they were — array holes and `undefined` (JSON's null), NaN, ±Infinity and -0 (JSON's
 * null and 0) are marked. Anything else (a Map, a typed array, a class's instance) throws
 * rather than be written as something else.
 */
export const jsonCodec: Codec = {
  encode(value: unknown): Uint8Array {
    const json = JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
      // What the holder has (`v` is what its toJSON gave: a Date's string). The value itself is held by {'': value}.
      const held = (this as Record<string, unknown>)[key];
      if (held !== null && typeof held === 'object' && !Array.isArray(held) && Object.getPrototypeOf(held) !== Object.prototype) {
        throw new Error(`jsonCodec cannot write ${(held as object).constructor?.name ?? 'this object'} (at ${JSON.stringify(key)})`);
      }
      if (v === undefined) {
        return Array.isArray(this) ? { [UNDEFINED]: 0 } : undefined;
      }
      if (typeof v === 'number') {
        return Number.isFinite(v) && !Object.is(v, -0) ? v : { [NUMBER]: String(Object.is(v, -0) ? '-0' : v) };
      }
      if (typeof v === 'bigint' || typeof v === 'function' || typeof v === 'symbol') {
        throw new Error(`jsonCodec cannot write a ${typeof v} (at ${JSON.stringify(key)})`);
      }
      return v;
    });
    return new TextEncoder().encode(json);
  },
  decode(bytes: Uint8Array): unknown {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes), (_key, v: unknown) => {
      if (isTag(v, UNDEFINED)) {
        return undefined; // (in an array: a hole again)
      }
      if (isTag(v, NUMBER)) {
        return v[NUMBER] === '-0' ? -0 : Number(v[NUMBER]);
      }
      return v;
    });
  },
};

/**
 * A kept index's head in the browser's index worker: every typed array laid out after
 * the JSON (so no number is written as text), read back as views where aligned.
 */
export const jsonKeptCodec: Codec = blobCodec(jsonCodec, 0);
