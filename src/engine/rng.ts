// Rng: the seeded random generator every random draw in moesim goes through.
// xoshiro128** (32-bit integer ops via Math.imul), seeded through splitmix32 from a cyrb53 hash of a string key.
// derive(label) gives an independent, stable substream keyed `${key}/${label}` that ignores the parent's draws.
import { zigguratNormal } from './ziggurat.ts';

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** cyrb53 string hash, returned as its two 32-bit halves. */
function cyrb53Halves(text: string): [number, number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, h2 >>> 0];
}

/** Fills `count` 32-bit words from a splitmix32 stream started at `state`. */
function splitmix32(state: number, count: number): number[] {
  const out: number[] = [];
  let s = state | 0;
  for (let i = 0; i < count; i++) {
    s = (s + 0x9e3779b9) | 0;
    let z = s ^ (s >>> 16);
    z = Math.imul(z, 0x21f0aaad);
    z ^= z >>> 15;
    z = Math.imul(z, 0x735a2d97);
    z ^= z >>> 15;
    out.push(z | 0);
  }
  return out;
}

function keyOf(seed: number | string): string {
  if (typeof seed === 'string') return seed;
  if (typeof seed === 'number' && Number.isFinite(seed)) return String(seed);
  throw new TypeError(`Rng: seed must be a string or a finite number, got ${String(seed)}`);
}

export class Rng {
  /** The seed key; new Rng(42) and new Rng('42') are the same stream. */
  readonly key: string;
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  constructor(seed: number | string) {
    this.key = keyOf(seed);
    const [h1, h2] = cyrb53Halves(this.key);
    const [a, b] = splitmix32(h1, 2) as [number, number];
    const [c, d] = splitmix32(h2 ^ 0x6a09e667, 2) as [number, number];
    this.setState(a, b, c, d);
  }

  /** A generator with an explicit xoshiro128** state (for test vectors and restoring saved streams). */
  static fromState(state: readonly [number, number, number, number]): Rng {
    const rng = new Rng(`state:${state.join(',')}`);
    rng.setState(state[0], state[1], state[2], state[3]);
    return rng;
  }

  /** An independent stream keyed `${key}/${label}`; the same regardless of how much this one has drawn. */
  derive(label: string): Rng {
    return new Rng(`${this.key}/${label}`);
  }

  /** Uniform integer in [0, 2^32). */
  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    const s2 = this.s2 ^ s0;
    const s3 = this.s3 ^ s1;
    this.s1 = s1 ^ s2;
    this.s0 = s0 ^ s3;
    this.s2 = s2 ^ t;
    this.s3 = rotl(s3, 11);
    return result;
  }

  /** Uniform float in [0, 1) with 53 random bits. */
  uniform(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / TWO_POW_53;
  }

  /** Uniform integer in [0, n), without modulo bias. n must be an integer in [1, 2^53]. */
  uniformInt(n: number): number {
    if (!(Number.isInteger(n) && n >= 1 && n <= TWO_POW_53)) {
      throw new RangeError(`Rng.uniformInt: n must be an integer in [1, 2^53], got ${String(n)}`);
    }
    if (n <= TWO_POW_32) {
      const limit = TWO_POW_32 - (TWO_POW_32 % n); // accept draws below the largest multiple of n
      for (;;) {
        const r = this.nextUint32();
        if (r < limit) return r % n;
      }
    }
    const limit = TWO_POW_53 - (TWO_POW_53 % n);
    for (;;) {
      const r = this.uniform() * TWO_POW_53;
      if (r < limit) return r % n;
    }
  }

  /** Normal deviate (ziggurat method; see ziggurat.ts). */
  normal(mean = 0, sd = 1): number {
    return mean + sd * zigguratNormal(this);
  }

  /** Fills `out` with normal deviates: identical to out[i] = normal(mean, sd) in turn. */
  fillNormal(out: Float32Array, mean = 0, sd = 1): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = mean + sd * zigguratNormal(this);
    return out;
  }

  /** Exponential deviate with the given mean (> 0). */
  exponential(mean: number): number {
    if (!(mean > 0 && Number.isFinite(mean))) throw new RangeError(`Rng.exponential: mean must be finite and > 0, got ${mean}`);
    return -mean * Math.log(1 - this.uniform());
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.uniformInt(i + 1);
      const held = items[i] as T;
      items[i] = items[j] as T;
      items[j] = held;
    }
    return items;
  }

  /** Index i drawn with probability weights[i] / sum(weights). Weights must be finite, >= 0, and not all zero. */
  pickWeighted(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]!;
      if (!(w >= 0 && Number.isFinite(w))) throw new RangeError(`Rng.pickWeighted: weight ${i} is ${w}; weights must be finite and >= 0`);
      total += w;
    }
    if (!(total > 0)) throw new RangeError('Rng.pickWeighted: needs at least one positive weight');
    const target = this.uniform() * total;
    let cumulative = 0;
    let lastPositive = -1;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]!;
      if (w === 0) continue;
      cumulative += w;
      lastPositive = i;
      if (target < cumulative) return i;
    }
    return lastPositive; // only reachable through rounding in the running sum
  }

  private setState(a: number, b: number, c: number, d: number): void {
    this.s0 = a | 0;
    this.s1 = b | 0;
    this.s2 = c | 0;
    this.s3 = d | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }
}
