// Hash layers (Roller et al. 2021): expert = a fixed seeded hash of the token id mod n. No gate, no features:
// the decisions depend on token ids only, so load follows the corpus's token-frequency skew.
// Top-k (optional): k independent seeded hashes; a slot that collides with an earlier slot's expert probes
// linearly (e+1 mod n) to the next unused expert, so a token's experts are distinct. Weights are 1/k.
// Capacity: dropless by default (the paper's hash layers have no capacity); with `capacityFactor`, C =
// ceil(cf·k·T/n) per group, admitted first-choice-first in token order (so then decisions depend on token order).
import { z } from 'zod';
import type { Router, RouterContext } from '../router.ts';
import type { RouterInput, RoutingDecision } from '../router-input.ts';
import { expertCapacity } from '../capacity.ts';
import { assignWithCapacity } from './top-k-assignment.ts';
import { capacityPolicyOf, hash32 } from './pair-decision.ts';

export const hashParamsSchema = z.strictObject({
  /** Experts per token (distinct hashes); 1 in the paper. */
  k: z.number().int().positive().default(1),
  /** Capacity factor cf (C = ceil(cf·k·T/n)); null = dropless, the default. */
  capacityFactor: z.number().positive().nullable().default(null),
  /** A different hash in every layer (true) or one hash for all layers (false). */
  hashPerLayer: z.boolean().default(true),
});

export function createHashRouter(params: z.output<typeof hashParamsSchema>, ctx: RouterContext): Router {
  const n = ctx.numExperts;
  const k = params.k;
  if (k > n) throw new Error(`hash routing: k = ${k} exceeds the ${n} experts`);
  const seeds = new Map<number, Uint32Array>();
  const seedsFor = (layer: number): Uint32Array => {
    const key = params.hashPerLayer ? layer : 0;
    let s = seeds.get(key);
    if (!s) {
      const rng = ctx.rng.derive(`hash/layer${key}`);
      s = Uint32Array.from({ length: k }, () => rng.nextUint32());
      seeds.set(key, s);
    }
    return s;
  };
  const policy = capacityPolicyOf(params.capacityFactor);
  return {
    name: 'hash',
    params,
    route(input: RouterInput, layer: number, microBatch: number): RoutingDecision {
      const tokens = input.groups * input.groupSize;
      const s = seedsFor(layer);
      const experts = new Int32Array(tokens * k);
      const used = new Uint8Array(n);
      for (let t = 0; t < tokens; t++) {
        const id = input.tokenIds[t]!;
        for (let j = 0; j < k; j++) {
          let e = hash32(id, s[j]!) % n;
          while (used[e] === 1) e = (e + 1) % n;
          used[e] = 1;
          experts[t * k + j] = e;
        }
        for (let j = 0; j < k; j++) used[experts[t * k + j]!] = 0;
      }
      const proposals = { experts, weights: new Float32Array(tokens * k).fill(1 / k), proposed: new Uint8Array(tokens * k).fill(1), k };
      const capacity = expertCapacity(policy, input.groupSize, k, n);
      const meta = { router: 'hash', layer, microBatch, groups: input.groups, groupSize: input.groupSize, numExperts: n, losses: {} };
      const note = policy.kind === 'dropless' ? 'dropless (hash layers have no capacity)' : `factor ${policy.factor}: C = ceil(cf·k·T/n) = ${capacity}`;
      return { ...assignWithCapacity(meta, proposals, capacity), capacityNote: note };
    },
  };
}
