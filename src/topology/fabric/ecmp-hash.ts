// Deterministic ECMP: the hash that picks one of several equal-cost next hops for a flow. FNV-1a (32-bit) over
// the little-endian bytes of (src, dst, flowKey low word, flowKey high word, stage), finished with murmur3's
// fmix32 so the low bits that `mod` uses are well mixed. Integer maths only (Math.imul, >>>): the same choice
// on every run and machine. `stage` salts each switch tier separately, as real switches use distinct seeds.

import { fmix32 } from '../../engine/index.ts';

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const TWO_TO_32 = 2 ** 32;

function fnvWord(hash: number, word: number): number {
  let h = hash;
  for (let shift = 0; shift < 32; shift += 8) {
    h ^= (word >>> shift) & 0xff;
    h = Math.imul(h, FNV_PRIME);
  }
  return h;
}

/** Unsigned 32-bit hash of a flow at one ECMP stage. `flowKey` must be a safe integer (negative allowed). */
export function ecmpHash(src: number, dst: number, flowKey: number, stage: number): number {
  if (!Number.isSafeInteger(flowKey)) throw new RangeError(`flowKey must be a safe integer, got ${flowKey}`);
  const low = flowKey >>> 0;
  const high = Math.floor(flowKey / TWO_TO_32) >>> 0;
  let h = FNV_OFFSET_BASIS;
  h = fnvWord(h, src);
  h = fnvWord(h, dst);
  h = fnvWord(h, low);
  h = fnvWord(h, high);
  h = fnvWord(h, stage);
  return fmix32(h);
}

/** Index in [0, choices) picked for the flow at this stage. */
export function ecmpPick(choices: number, src: number, dst: number, flowKey: number, stage: number): number {
  return ecmpHash(src, dst, flowKey, stage) % choices;
}
