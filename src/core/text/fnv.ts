// THE string hash of hot loops: FNV-1a, 32 bits, a code unit at a time.

/** FNV-1a's offset basis, as a 32-bit integer. */
export const FNV_BASIS = 0x811c9dc5 | 0;

/** One step of FNV-1a: the hash after code unit `c`. */
export function fnvStep(hash: number, c: number): number {
  return Math.imul(hash ^ c, 0x01000193);
}

/** FNV-1a of a whole string, a code unit at a time. */
export function fnvOf(text: string): number {
  let hash = FNV_BASIS;
  for (let i = 0; i < text.length; i++) {
    hash = fnvStep(hash, text.charCodeAt(i));
  }
  return hash;
}
