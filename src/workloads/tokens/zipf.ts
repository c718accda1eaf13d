// Zipf sampler over ranks 1..n with exponent s: a precomputed CDF and binary search, driven by a seeded Rng.
import type { Rng } from '../../engine/index.ts';

export class ZipfSampler {
  private readonly cdf: Float64Array;

  constructor(readonly n: number, readonly exponent: number) {
    if (!(n >= 1) || !Number.isInteger(n)) throw new RangeError(`Zipf support must be a positive integer, got ${n}`);
    if (!(exponent >= 0)) throw new RangeError(`Zipf exponent must be >= 0, got ${exponent}`);
    this.cdf = new Float64Array(n);
    let sum = 0;
    for (let r = 0; r < n; r++) {
      sum += 1 / Math.pow(r + 1, exponent);
      this.cdf[r] = sum;
    }
    for (let r = 0; r < n; r++) this.cdf[r] = this.cdf[r]! / sum;
  }

  /** A rank in [0, n): rank 0 is the most frequent. */
  sample(rng: Rng): number {
    const u = rng.uniform();
    let lo = 0;
    let hi = this.n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
