// Content digests with Web Crypto: the same code in Node.js and in browsers, and the
// hashing itself off the calling thread where the platform does it so (Node.js does).
/** SHA-256 of some content (UTF-8 for text), in hex; undefined where it cannot be worked out. */
export type ContentDigest = (content: Uint8Array | string) => Promise<string | undefined>;

/**
 * SHA-256 of some content, in hex, computed off this thread where the platform allows
 * (Web Crypto, in Node.js and in browsers alike); undefined where there is no Web Crypto.
 */
export async function contentDigest(content: Uint8Array | string): Promise<string | undefined> {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (!subtle) {
    return undefined;
  }
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  const hash = new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  let hex = '';
  for (const b of hash) {
    hex += b.toString(16).padStart(2, '0');
  }
  return hex;
}
