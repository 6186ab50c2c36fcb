// File bytes to text, as every reader of the user's files decodes them.
import { giveBack } from './slices';
import { PiecedText } from './pieces';

/**
 * Bytes decoded per turn of the event loop (4–45 ms a slice here). Decoding a 32 MB .bib
 * (20,000 generated entries with abstracts) in one call held the extension host 280–330
 * ms in Node and 700–910 ms in the browser's worker. Joining the slices into one flat
 * string took 220–290 ms more (120 ms all ASCII), in both (out/tmp/decslice.ts): the
 * .bib reader keeps the slices as pieces (pieces.ts).
 */
const DECODE_SLICE_BYTES = 512 * 1024;

/**
 * Decodes file bytes: UTF-8 (BOM dropped), or Latin-1 when the bytes are not valid UTF-8;
 * a slice at a time, giving the thread back between slices.
 */
export async function decodeText(bytes: Uint8Array, pause: () => Promise<void> = giveBack): Promise<string> {
  const { pieces } = await decodePieces(bytes, pause);
  return pieces.length === 1 ? pieces[0] : pieces.join('');
}

/** The same decoding, kept as the slices' pieces (no one string of the whole file is made). */
export async function decodePieces(bytes: Uint8Array, pause: () => Promise<void> = giveBack): Promise<PiecedText> {
  try {
    return new PiecedText(await decodeInSlices(bytes, new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }), pause));
  } catch {
    return new PiecedText(await decodeInSlices(bytes, new TextDecoder('latin1'), pause));
  }
}

async function decodeInSlices(bytes: Uint8Array, decoder: TextDecoder, pause: () => Promise<void>): Promise<string[]> {
  const parts: string[] = [];
  for (let at = 0; at < bytes.length; at += DECODE_SLICE_BYTES) {
    if (at > 0) {
      await pause();
    }
    // A character split between two slices is kept by the decoder until the next one.
    const part = decoder.decode(bytes.subarray(at, at + DECODE_SLICE_BYTES), { stream: at + DECODE_SLICE_BYTES < bytes.length });
    if (part.length > 0) {
      parts.push(part);
    }
  }
  return parts;
}

/**
 * A copy of `s` that does not keep the text it was cut from alive. V8 cuts a substring of
 * 13 characters or more as a view of its parent, so a key or a field read from a .bib
 * keeps the whole file's text (62 MB at 20,000 entries) for as long as it lives: each
 * save's re-read entries kept one more text (five saves of 20k: 83 → 391 MB,
 * out/tmp/retain.ts). A concatenation is a new string, which V8 makes flat — a copy of
 * its own — when it is cut.
 */
export function detached(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
