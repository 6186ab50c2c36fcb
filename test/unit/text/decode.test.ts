import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeAgain, decodePieces, decodeText } from '../../../src/core/text/decode';
import { PiecedText } from '../../../src/core/text/pieces';

const encode = (s: string) => new TextEncoder().encode(s);
const SLICE = 512 * 1024;

describe('decoding a file’s bytes', () => {
  it('reads UTF-8 without its byte-order mark, and Latin-1 where the bytes are not UTF-8', async () => {
    assert.equal(await decodeText(encode('\uFEFF@misc{a, title={Ça}}')), '@misc{a, title={Ça}}');
    assert.equal(await decodeText(Uint8Array.from([0x43, 0x61, 0x66, 0xe9])), 'Café');
  });

  it('decodes a large file a slice at a time, giving the thread back between slices, to the same text', async () => {
    // A three-byte character split between the first two slices, and one at the very end.
    const text = `${'x'.repeat(SLICE - 1)}漢${'é'.repeat(SLICE)}字`;
    const bytes = encode(text);
    let pauses = 0;
    const decoded = await decodeText(bytes, async () => {
      pauses++;
    });
    assert.equal(decoded, text);
    assert.equal(pauses, Math.ceil(bytes.length / SLICE) - 1);
  });

  it('takes a large file as Latin-1 whole when a byte that is not UTF-8 comes only in a later slice', async () => {
    const bytes = Uint8Array.from([...encode('é'.repeat(SLICE)), 0x43, 0x61, 0x66, 0xe9]);
    const decoded = await decodeText(bytes, async () => undefined);
    assert.equal(decoded.length, bytes.length, 'every byte one character');
    assert.ok(decoded.endsWith('Café'));
    assert.ok(decoded.startsWith('Ã©'), 'the first slice read again as Latin-1 too');
  });

  /** Bytes from parts: text of every UTF-8 length (a BOM character and a lone 0xE9 among them: not UTF-8). */
  const part = fc.oneof(
    fc.constantFrom('@misc{a, title={Caf', 'é', 'Ça', '漢字', '😀', '\uFEFF', '}\n', 'x'.repeat(37), 'résumé ', '\r\n').map(encode),
    fc.constant(Uint8Array.of(0xe9)),
    fc.constant(Uint8Array.of(0xef, 0xbb, 0xbf)),
  );
  const joined = (parts: Uint8Array[]) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
    return out;
  };
  const SMALL = 64; // bytes a slice, so that a short file is many pieces
  const none = async () => undefined;

  it('decodes a file read again to the text a whole decoding gives, whatever changed (seeded)', async () => {
    // Slices alike: the pieces kept from the start and from the end must not overlap.
    const same = encode('x'.repeat(SMALL * 4));
    const shorter = await decodeAgain(same.subarray(SMALL), await decodePieces(same, none, SMALL), none, SMALL);
    assert.equal(shorter.slice(0), 'x'.repeat(SMALL * 3));
    const edit = fc.record({ at: fc.nat(), drop: fc.nat({ max: 200 }), put: fc.array(part, { maxLength: 6 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(part, { maxLength: 120 }), fc.array(edit, { minLength: 1, maxLength: 4 }), async (parts, edits) => {
        let bytes = joined(parts);
        let text = await decodePieces(bytes, none, SMALL);
        for (const { at, drop, put } of edits) {
          const from = bytes.length === 0 ? 0 : at % (bytes.length + 1);
          bytes = joined([bytes.subarray(0, from), ...put, bytes.subarray(Math.min(bytes.length, from + drop))]);
          const again = await decodeAgain(bytes, text, none, SMALL);
          assert.equal(again.slice(0), (await decodePieces(bytes, none, SMALL)).slice(0));
          text = again;
        }
      }),
      { seed: 20261202, numRuns: 400 },
    );
  });

  it('decodes only the slices around a change, keeping the pieces before and after it', async () => {
    const bytes = encode(`${'é'.repeat(SMALL * 10)}`);
    const before = await decodePieces(bytes, none, SMALL);
    const edited = joined([bytes.subarray(0, SMALL * 9), encode('Zyxwvut'), bytes.subarray(SMALL * 9)]);
    const whole = new TextDecoder().decode(edited);
    let decodedBytes = 0;
    const Original = globalThis.TextDecoder;
    globalThis.TextDecoder = class extends Original {
      override decode(input?: AllowSharedBufferSource, options?: TextDecodeOptions): string {
        decodedBytes += input?.byteLength ?? 0;
        return super.decode(input, options);
      }
    };
    try {
      const again = await decodeAgain(edited, before, none, SMALL);
      assert.equal(again.slice(0), whole);
      assert.equal(decodedBytes, 'Zyxwvut'.length);
      assert.deepEqual(again.pieces.slice(0, 9), before.pieces.slice(0, 9));
      assert.deepEqual(again.pieces.slice(-10), before.pieces.slice(-10));
      decodedBytes = 0;
      // A text not made by decoding (an editor's) is not compared: decoded whole.
      await decodeAgain(edited, new PiecedText([...before.pieces]), none, SMALL);
      assert.equal(decodedBytes, edited.length);
    } finally {
      globalThis.TextDecoder = Original;
    }
  });
});
