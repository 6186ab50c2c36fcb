// Content digests in the Node.js extension host: the same SHA-256 as Web Crypto's
// (core/text/digest.ts), several times faster here, fed in slices so that the thread is
// never held long.
import { createHash } from 'node:crypto';
import { giveBack } from '../core/text/slices';
import { PiecedText } from '../core/text/pieces';

/** Bytes hashed per turn of the event loop: about 4 ms. */
const SLICE_BYTES = 4 * 1024 * 1024;

/**
 * SHA-256 of some content, in hex (UTF-8 for text), as `contentDigest` gives it. Web
 * Crypto copies the bytes and hashed a 150 MB .bib (100,000 entries) in 0.8–0.95 s here:
 * a reopened workspace waited that long before the kept index could answer.
 */
export async function sha256InSlices(content: Uint8Array | string | PiecedText): Promise<string> {
  const hash = createHash('sha256');
  if (content instanceof PiecedText) {
    // Piece by piece (no piece splits a character).
    for (const piece of content.pieces) {
      hash.update(piece, 'utf8');
      await giveBack();
    }
    return hash.digest('hex');
  }
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  for (let at = 0; at < bytes.length; at += SLICE_BYTES) {
    if (at > 0) {
      await giveBack();
    }
    hash.update(bytes.subarray(at, at + SLICE_BYTES));
  }
  return hash.digest('hex');
}
