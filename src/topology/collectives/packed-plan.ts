// A collective plan with its flows packed in parallel typed arrays instead of one Flow object per flow: what the
// hierarchical all-to-all-v builds (about a thousand flows per MoE dispatch at 64 ranks, tens of thousands of them
// per step), so that a network model can cost it without allocating. Flow p·k of the arrays keeps the order the
// flows would have in the plain plan; unpackPlan gives exactly that plain plan (the flow model runs it that way).
// Zero-byte flows of a packed plan are no flows: unpacking drops them.
import type { CollectivePlan } from './plan.ts';
import type { Flow, PackedPlan } from '../network/types.ts';

export type { PackedPlan } from '../network/types.ts';

export const packedPhaseCount = (plan: PackedPlan): number => plan.phaseStart.length - 1;

/** The flows of phase p as Flow objects, in order. */
export function unpackPhase(plan: PackedPlan, p: number): Flow[] {
  const flows: Flow[] = [];
  for (let f = plan.phaseStart[p]!; f < plan.phaseStart[p + 1]!; f++) {
    if (plan.bytes[f]! === 0) continue;
    flows.push(plan.streamed?.[f] === 1 ? { src: plan.src[f]!, dst: plan.dst[f]!, bytes: plan.bytes[f]!, streamed: true } : { src: plan.src[f]!, dst: plan.dst[f]!, bytes: plan.bytes[f]! });
  }
  return flows;
}

/** The plain plan (phases of Flow objects) of a packed plan. */
export function unpackPlan(plan: PackedPlan): CollectivePlan {
  const phases: Flow[][] = [];
  for (let p = 0; p < packedPhaseCount(plan); p++) phases.push(unpackPhase(plan, p));
  return { op: plan.op, algo: plan.algo, group: [...plan.group], phases };
}
