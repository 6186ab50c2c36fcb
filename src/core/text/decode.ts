// File bytes to text, as every reader of the user's files decodes them.
import { giveBack, SLICE_MS, ticker } from './slices';
import { PiecedText, type TextLike } from './pieces';

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
export async function decodePieces(bytes: Uint8Array, pause: () => Promise<void> = giveBack, sliceBytes = DECODE_SLICE_BYTES): Promise<PiecedText> {
  let text: PiecedText;
  try {
    text = new PiecedText(await decodeInSlices(bytes, new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }), pause, sliceBytes));
  } catch {
    text = new PiecedText(await decodeInSlices(bytes, new TextDecoder('latin1'), pause, sliceBytes));
  }
  decoded.add(text);
  return text;
}

/** Texts made by decoding (`decodePieces`, `decodeAgain`): pieces with no lone surrogate, which `decodeAgain` may compare by their encoding. */
const decoded = new WeakSet<PiecedText>();

/**
 * Decodes a file read again: the text `decodePieces` gives, with the pieces of `before` (the
 * file's text as it was last decoded) where the bytes did not change. From the start and
 * from the end, a piece of `before` is kept while its UTF-8 encoding is the bytes at its
 * place; only the bytes between are decoded. A 159 MB .bib (100,000 entries with
 * abstracts) with one entry edited: decoded whole 1.4–1.5 s, again 0.22–0.24 s
 * (out/tmp/decT2.ts). A kept piece is the text its bytes decode to: UTF-8 is one-to-one
 * on text without lone surrogates, which a decoder never makes (`before` not made by one
 * is decoded whole). Where the bytes between are not UTF-8, the whole file is not:
 * decoded whole, as Latin-1.
 */
export async function decodeAgain(bytes: Uint8Array, before: TextLike | undefined, pause: () => Promise<void> = giveBack, sliceBytes = DECODE_SLICE_BYTES): Promise<PiecedText> {
  if (!(before instanceof PiecedText) || !decoded.has(before)) {
    return decodePieces(bytes, pause, sliceBytes);
  }
  // (Decoding drops a byte order mark at the start: the text is that of the bytes after it.)
  const body = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const old = before.pieces;
  const encoder = new TextEncoder();
  let scratch = new Uint8Array(0);
  /** Piece i of `before` encoded (a view of a buffer the next call reuses). */
  const encoded = (i: number): Uint8Array => {
    if (scratch.length < old[i].length * 3) {
      scratch = new Uint8Array(old[i].length * 3);
    }
    return scratch.subarray(0, encoder.encodeInto(old[i], scratch).written ?? 0);
  };
  // The pieces are compared by the clock, the clock read at each (a 512 KB piece encodes
  // and compares in 0.3 ms warm, in 2–3 ms on a busy two-core machine: sixteen a turn held
  // the host for 42 ms in a 100,000-entry save, profiled).
  const tick = ticker(pause, SLICE_MS, 1);
  let head = 0;
  let at = 0;
  while (head < old.length) {
    await tick();
    const piece = encoded(head);
    if (!sameBytes(piece, body, at)) {
      break;
    }
    at += piece.length;
    head++;
  }
  let tail = old.length;
  let end = body.length;
  // (Not past the pieces kept from the start: pieces alike could match at both ends.)
  while (tail > head) {
    await tick();
    const piece = encoded(tail - 1);
    if (end - piece.length < at || !sameBytes(piece, body, end - piece.length)) {
      break;
    }
    end -= piece.length;
    tail--;
  }
  let middle: string[];
  try {
    // (A byte order mark between is a character: the decoder keeps it.)
    middle = await decodeInSlices(body.subarray(at, end), new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }), pause, sliceBytes);
  } catch {
    return decodePieces(bytes, pause, sliceBytes);
  }
  const text = new PiecedText([...old.slice(0, head), ...middle, ...old.slice(tail)]);
  decoded.add(text);
  return text;
}

/** Whether `a` is the bytes of `b` from `from` (no Node Buffer: the core runs in browsers too). */
function sameBytes(a: Uint8Array, b: Uint8Array, from: number): boolean {
  const length = a.length;
  if (from < 0 || from + length > b.length) {
    return false;
  }
  const da = new DataView(a.buffer, a.byteOffset, length);
  const db = new DataView(b.buffer, b.byteOffset + from, length);
  // Four bytes at a time (DataView reads at any offset; 0.2 against 0.45 s over 159 MB a byte at a time).
  const words = length & ~3;
  for (let k = 0; k < words; k += 4) {
    if (da.getUint32(k) !== db.getUint32(k)) {
      return false;
    }
  }
  for (let k = words; k < length; k++) {
    if (a[k] !== b[from + k]) {
      return false;
    }
  }
  return true;
}

async function decodeInSlices(bytes: Uint8Array, decoder: TextDecoder, pause: () => Promise<void>, sliceBytes: number): Promise<string[]> {
  const parts: string[] = [];
  for (let at = 0; at < bytes.length; at += sliceBytes) {
    if (at > 0) {
      await pause();
    }
    // A character split between two slices is kept by the decoder until the next one.
    const part = decoder.decode(bytes.subarray(at, at + sliceBytes), { stream: at + sliceBytes < bytes.length });
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
