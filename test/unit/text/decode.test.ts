import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeText } from '../../../src/core/text/decode';

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
});
