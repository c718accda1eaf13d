// Token sources: where router inputs come from. A batch is the routing module's RouterInput.
import { InputError } from '../../engine/index.ts';
import type { RouterInput } from '../../routing/index.ts';

export type TokenBatch = RouterInput;

/** A source of router inputs: deterministic for a given seed, layer and micro-batch. */
export interface TokenSource {
  readonly description: string;
  /** Features for MoE layer `layer` of micro-batch `microBatch`; the same arguments give the same bytes. */
  batch(layer: number, microBatch: number): TokenBatch;
}

export interface TokenSourceOptions {
  /**
   * The caller is done with a batch before it asks for the next one (it neither keeps nor caches batches), so the
   * source may hand out the same feature buffer every time. Routers read their input only inside route().
   */
  transient?: boolean;
}

/** Throw an InputError if any feature is NaN or infinite, naming the first bad row and column. */
export function assertFiniteFeatures(batch: TokenBatch, origin: string): void {
  const { features, hidden } = batch;
  // Fast path: x · 0 is 0 for every finite x and NaN for NaN or ±Infinity, so one NaN-check covers the array (four
  // independent sums, so the additions do not wait on each other).
  let p0 = 0;
  let p1 = 0;
  let p2 = 0;
  let p3 = 0;
  const n = features.length;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    p0 += features[i]! * 0;
    p1 += features[i + 1]! * 0;
    p2 += features[i + 2]! * 0;
    p3 += features[i + 3]! * 0;
  }
  for (; i < n; i++) p0 += features[i]! * 0;
  if (p0 + p1 + p2 + p3 === 0) return;
  for (let j = 0; j < n; j++) {
    const v = features[j]!;
    if (!Number.isFinite(v)) {
      throw new InputError(`${origin}: feature [token ${Math.floor(j / hidden)}, dim ${j % hidden}] is ${v}; router inputs must be finite`);
    }
  }
}
