// Content digests in plain JavaScript (@noble/hashes' SHA-256), fed in slices so that the
// thread is never held long: the browser build's extension host and its index worker.
// The Node.js host has a faster one (node/contentHash.ts); both give the same digests.
//
// Not Web Crypto: it copies its input into a fresh buffer on the calling thread first,
// and a 32 MB .bib held Chromium's worker host 64–247 ms for that copy's page faults.
import { sha256 } from '@noble/hashes/sha2.js';
import type { PiecedText } from './pieces';
import { giveBack } from './slices';

/** SHA-256 of some content (UTF-8 for text, also in pieces), in hex; undefined where it cannot be worked out. */
export type ContentDigest = (content: Uint8Array | string | PiecedText) => Promise<string | undefined>;

/** Bytes hashed per turn of the event loop: about 6 ms here. */
const SLICE_BYTES = 1024 * 1024;

/** Bytes in lower-case hex, two digits each. */
export const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** SHA-256 of some content, in hex (UTF-8 for text), hashed a slice per turn of the event loop. */
export async function contentDigest(content: Uint8Array | string | PiecedText, pause: () => Promise<void> = giveBack): Promise<string> {
  const hash = sha256.create();
  const encoder = new TextEncoder();
  // A text's pieces are encoded one at a time (no piece splits a character: both the
  // decoder's and a document's pieces end on a line).
  const parts = content instanceof Uint8Array ? [content] : typeof content === 'string' ? [content] : content.pieces;
  let sinceBreak = 0;
  for (const part of parts) {
    const bytes = typeof part === 'string' ? encoder.encode(part) : part;
    for (let at = 0; at < bytes.length; at += SLICE_BYTES) {
      if (sinceBreak >= SLICE_BYTES) {
        await pause();
        sinceBreak = 0;
      }
      const slice = bytes.subarray(at, at + SLICE_BYTES);
      hash.update(slice);
      sinceBreak += slice.length;
    }
  }
  return hex(hash.digest());
}

/**
 * SHA-256 of a sequence of strings, each followed by a NUL, in hex: the index worker's
 * key of what it keeps (the Node worker's `sha256` in folderCache.ts gives the same).
 */
export function sha256Parts(parts: Iterable<string>): string {
  const hash = sha256.create();
  const encoder = new TextEncoder();
  for (const part of parts) {
    hash.update(encoder.encode(`${part}\u0000`));
  }
  return hex(hash.digest());
}

/** SHA-256 of a text's UTF-8, in hex. */
export function sha256Text(text: string): string {
  return hex(sha256(new TextEncoder().encode(text)));
}
