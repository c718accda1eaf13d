// Capacity policies: how many tokens one expert may take in one routing group.
import { z } from 'zod';
import { boundCapacityFromOverride, locmoeBoundPolicySchema, locmoePlusBoundPolicySchema } from './capacity-locmoe.ts';

export const capacityPolicySchema = z.union([
  z.strictObject({ kind: z.literal('factor'), factor: z.number().positive() }),
  z.strictObject({ kind: z.literal('dropless') }),
  /** LocMoE bound from the first batch (capacity-locmoe.ts); needs the router's δ unless ecOverride is set. */
  locmoeBoundPolicySchema,
  /** LocMoE+ bound re-estimated every `reestimateEvery` steps (capacity-locmoe.ts). */
  locmoePlusBoundPolicySchema,
]);

export type CapacityPolicy = z.output<typeof capacityPolicySchema>;

/** C = ceil(cf · k · T / n) for the factor policy, Infinity for dropless, ceil(ecOverride · T) for a LocMoE bound with an override. */
export function expertCapacity(policy: CapacityPolicy, groupSize: number, k: number, experts: number): number {
  if (policy.kind === 'dropless') return Infinity;
  if (policy.kind === 'locmoe-bound' || policy.kind === 'locmoe-plus-bound') return boundCapacityFromOverride(policy, groupSize);
  return Math.ceil((policy.factor * k * groupSize) / experts);
}

/** Switch/GShard auxiliary load-balancing loss: α · n · Σ_i f_i · P_i. */
export function loadBalancingLoss(alpha: number, keptOrProposedPerExpert: ArrayLike<number>, meanScore: ArrayLike<number>, tokens: number): number {
  const n = meanScore.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (keptOrProposedPerExpert[i]! / tokens) * meanScore[i]!;
  return alpha * n * sum;
}
