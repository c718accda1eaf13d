// A seeded embedding table for a vocabulary too large to materialise (cl100k: 100k ids × hidden d): the hashing
// trick. One shared table T of B rows × d, N(0, 1) from the seeded Rng; the embedding of (id, salt) is
//   row(id, salt) = (1/√h) · Σ_{j<h} s_j · T[b_j],   (b_j, s_j) = bucket and sign from fmix32(id, salt, j, key),
// so it needs B·d random draws once and h·d additions per row, is identical for a given seed, and different ids
// (or salts) get nearly independent unit-variance rows (with B = 4096, h = 2 two ids share both buckets with
// probability ≈ 1/(B²/2) per pair). The salt selects a different "table" for free: salt 0 is the token
// embedding, other salts give layer-specific embeddings (see real-text.ts).
import type { Rng } from '../../engine/index.ts';
import { fmix32 } from '../../engine/index.ts';

/** out[o + i] += w · table[base + i] for i < d (a free function, so the loop stays monomorphic). */
function axpy(out: Float32Array, o: number, w: number, table: Float32Array, base: number, d: number): void {
  for (let i = 0; i < d; i++) out[o + i] = out[o + i]! + w * table[base + i]!;
}

export class HashEmbedding {
  private readonly table: Float32Array;
  private readonly key: number;
  private readonly scale: number;

  constructor(rng: Rng, readonly hidden: number, readonly buckets: number, readonly hashes: number) {
    if (!(Number.isInteger(buckets) && buckets >= 1 && Number.isInteger(hashes) && hashes >= 1)) {
      throw new RangeError(`HashEmbedding: buckets and hashes must be positive integers, got ${buckets}, ${hashes}`);
    }
    this.table = rng.derive('table').fillNormal(new Float32Array(buckets * hidden));
    this.key = rng.derive('hash-key').nextUint32();
    this.scale = 1 / Math.sqrt(hashes);
  }

  /** out[offset + i] += weight · row(id, salt)[i] for i < hidden. */
  addRow(out: Float32Array, offset: number, id: number, salt: number, weight: number): void {
    const d = this.hidden;
    const seed = fmix32(fmix32(id ^ this.key) ^ Math.imul(salt + 1, 0x9e3779b1));
    for (let j = 0; j < this.hashes; j++) {
      const h = fmix32(seed + j);
      const w = (h >>> 31 === 1 ? -weight : weight) * this.scale;
      axpy(out, offset, w, this.table, ((h & 0x7fffffff) % this.buckets) * d, d);
    }
  }
}
