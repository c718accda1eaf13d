// Capacity policies: how many tokens one expert may take in one routing group.
import { z } from 'zod';

export const capacityPolicySchema = z.union([
  z.strictObject({ kind: z.literal('factor'), factor: z.number().positive() }),
  z.strictObject({ kind: z.literal('dropless') }),
]);

export type CapacityPolicy = z.output<typeof capacityPolicySchema>;

/** C = ceil(cf · k · T / n) for the factor policy, Infinity for dropless. */
export function expertCapacity(policy: CapacityPolicy, groupSize: number, k: number, experts: number): number {
  if (policy.kind === 'dropless') return Infinity;
  return Math.ceil((policy.factor * k * groupSize) / experts);
}

/** Switch/GShard auxiliary load-balancing loss: α · n · Σ_i f_i · P_i. */
export function loadBalancingLoss(alpha: number, keptOrProposedPerExpert: ArrayLike<number>, meanScore: ArrayLike<number>, tokens: number): number {
  const n = meanScore.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += ((keptOrProposedPerExpert[i] as number) / tokens) * (meanScore[i] as number);
  return alpha * n * sum;
}
