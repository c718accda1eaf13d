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

/** Throw an InputError if any feature is NaN or infinite, naming the first bad row and column. */
export function assertFiniteFeatures(batch: TokenBatch, origin: string): void {
  const { features, hidden } = batch;
  // Fast path: x · 0 is 0 for every finite x and NaN for NaN or ±Infinity, so one NaN-check covers the array.
  let probe = 0;
  for (let i = 0; i < features.length; i++) probe += (features[i] as number) * 0;
  if (probe === 0) return;
  for (let i = 0; i < features.length; i++) {
    const v = features[i] as number;
    if (!Number.isFinite(v)) {
      throw new InputError(`${origin}: feature [token ${Math.floor(i / hidden)}, dim ${i % hidden}] is ${v}; router inputs must be finite`);
    }
  }
}
