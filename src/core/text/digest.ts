// Content digests with Web Crypto: the same code in Node.js and in browsers, and the
// hashing itself off the calling thread where the platform does it so (Node.js does).
import type { PiecedText } from './pieces';

/** SHA-256 of some content (UTF-8 for text, also in pieces), in hex; undefined where it cannot be worked out. */
export type ContentDigest = (content: Uint8Array | string | PiecedText) => Promise<string | undefined>;

/**
 * SHA-256 of some content, in hex, computed off this thread where the platform allows
 * (Web Crypto, in Node.js and in browsers alike); undefined where there is no Web Crypto.
 */
export async function contentDigest(content: Uint8Array | string | PiecedText): Promise<string | undefined> {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (!subtle) {
    return undefined;
  }
  const bytes = content instanceof Uint8Array ? content : utf8(content);
  const hash = new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  let hex = '';
  for (const b of hash) {
    hex += b.toString(16).padStart(2, '0');
  }
  return hex;
}

/** UTF-8 of a text, also in pieces (no piece splits a character: both the decoder's and a document's lines end on one). */
function utf8(text: string | PiecedText): Uint8Array {
  if (typeof text === 'string') {
    return new TextEncoder().encode(text);
  }
  const encoded = text.pieces.map((p) => new TextEncoder().encode(p));
  const bytes = new Uint8Array(encoded.reduce((n, e) => n + e.length, 0));
  let at = 0;
  for (const e of encoded) {
    bytes.set(e, at);
    at += e.length;
  }
  return bytes;
}
