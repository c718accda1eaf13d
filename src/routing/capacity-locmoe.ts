// The LocMoE capacity lower bound and its LocMoE+ re-estimation (ROUTERS.md).
//
//   ec_min = (1/n) · exp(d · δ² / (2 − δ²))
//
// δ is "the largest angular deviation (as a cosine) between a token and the gate vector of the expert it was
// assigned": the cosine of the largest such angle, i.e. the MINIMUM over tokens of cos(x_t, w_{e(t)}), where e(t) is
// the token's top choice before capacity (the capacity cannot depend on what it decides). Only δ² enters the bound.
// The seeds do not pin down the unit of ec: moesim computes it exactly as written, reports it, and uses it as the
// minimum fraction of a routing group's (device's) tokens that one expert must be able to take, clamped to [1/n, 1]:
// capacity C = ceil(ec · T). It is not combined with a capacity factor. A scenario may set `ecOverride` (used as is).
// The paper's δ ≈ 0.03 with d = 4096 gives exp(4096·0.0009/1.9991) = exp(1.844) ≈ 6.32, so ec_min = 6.32/n:
// 0.395 for n = 16 (C ≈ 6.3× an even share), 0.79 for n = 8, and 1.58 → clamped to 1 for n = 4.
//
// locmoe-bound: δ from the first batch each layer routes, fixed afterwards (LocMoE).
// locmoe-plus-bound: the first batch sets it too, then every `reestimateEvery` steps (counted by the router's
// endStep) it is replaced by δ over all tokens of that layer routed since the last estimate (LocMoE+). Default
// R = 100 steps: the papers publish no R; 100 is a few percent of a short pre-training run.
import { z } from 'zod';

export const locmoeBoundPolicySchema = z.strictObject({
  kind: z.literal('locmoe-bound'),
  /** Fixed ec (fraction of a group's tokens per expert), replacing the computed bound. */
  ecOverride: z.number().positive().max(1).optional(),
});

export const locmoePlusBoundPolicySchema = z.strictObject({
  kind: z.literal('locmoe-plus-bound'),
  /** Re-estimate the bound every R training steps (R ≥ 1). */
  reestimateEvery: z.number().int().positive().default(100),
  ecOverride: z.number().positive().max(1).optional(),
});

export type LocMoeBoundPolicy = z.output<typeof locmoeBoundPolicySchema> | z.output<typeof locmoePlusBoundPolicySchema>;

export interface LocMoeBound {
  /** δ: the minimum cosine between a token and its assigned expert's gate vector. */
  delta: number;
  /** d · δ² / (2 − δ²). */
  exponent: number;
  /** (1/n) · exp(exponent) as written, before the clamp (Infinity when it overflows). */
  ecRaw: number;
  /** ecRaw clamped to [1/n, 1]. */
  ec: number;
}

/** The bound for a given δ, hidden size d and n experts. */
export function locmoeBound(delta: number, hidden: number, experts: number): LocMoeBound {
  const d2 = delta * delta;
  const exponent = (hidden * d2) / (2 - d2);
  const ecRaw = Math.exp(exponent) / experts;
  const ec = Math.min(1, Math.max(1 / experts, ecRaw));
  return { delta, exponent, ecRaw, ec };
}

/** C = ceil(ec · T), with a 1e-9 guard so ec = 1/n and T divisible by n give exactly T/n. */
export function capacityFromEc(ec: number, groupSize: number): number {
  return Math.max(1, Math.ceil(ec * groupSize - 1e-9));
}

/** Capacity of a bound policy that has an `ecOverride` (the only case that needs no δ). */
export function boundCapacityFromOverride(policy: LocMoeBoundPolicy, groupSize: number): number {
  if (policy.ecOverride === undefined) {
    throw new Error(`capacity policy ${policy.kind} needs δ from the routed tokens: use the LocMoE routers' bound estimator, or set ecOverride`);
  }
  return capacityFromEc(policy.ecOverride, groupSize);
}

interface LayerState {
  bound?: LocMoeBound;
  /** Minimum cosine seen in the current re-estimation window (+Infinity when nothing was seen). */
  windowDelta: number;
  estimates: number;
}

/** The capacity a bound policy gives one decision, with the note that reports δ and ec. */
export interface BoundCapacity {
  capacity: number;
  note: string;
  bound?: LocMoeBound;
}

/**
 * Per-layer state of a bound policy. `capacityFor` takes δ of the batch being routed lazily (it is computed only
 * when the policy needs it); `endStep` counts training steps and re-estimates (locmoe-plus-bound only).
 */
export class LocMoeBoundEstimator {
  private readonly layers = new Map<number, LayerState>();
  private steps = 0;

  constructor(private readonly policy: LocMoeBoundPolicy, private readonly hidden: number, private readonly experts: number) {}

  capacityFor(layer: number, groupSize: number, batchDelta: () => number): BoundCapacity {
    const p = this.policy;
    if (p.ecOverride !== undefined) {
      const capacity = capacityFromEc(p.ecOverride, groupSize);
      return { capacity, note: `${p.kind}: ecOverride ${p.ecOverride}, C = ceil(ec·T) = ${capacity}` };
    }
    let s = this.layers.get(layer);
    if (!s) {
      s = { windowDelta: Infinity, estimates: 0 };
      this.layers.set(layer, s);
    }
    if (!s.bound || p.kind === 'locmoe-plus-bound') {
      const delta = batchDelta();
      if (!s.bound) {
        s.bound = locmoeBound(delta, this.hidden, this.experts);
        s.estimates = 1;
      }
      if (p.kind === 'locmoe-plus-bound') s.windowDelta = Math.min(s.windowDelta, delta);
    }
    const b = s.bound;
    const capacity = capacityFromEc(b.ec, groupSize);
    const when = p.kind === 'locmoe-bound' ? 'first batch' : `estimate ${s.estimates}, every ${p.reestimateEvery} steps`;
    const note = `${p.kind} (${when}): δ = ${fmt(b.delta)}, ec_min = exp(${fmt(b.exponent)})/${this.experts} = ${fmt(b.ecRaw)}, ec = ${fmt(b.ec)}${b.ec === b.ecRaw ? '' : ' (clamped to [1/n, 1])'}, C = ceil(ec·T) = ${capacity}`;
    return { capacity, note, bound: b };
  }

  /** Count a training step; every R steps a locmoe-plus-bound re-estimates each layer from its window. */
  endStep(): void {
    this.steps++;
    const p = this.policy;
    if (p.kind !== 'locmoe-plus-bound' || this.steps % p.reestimateEvery !== 0) return;
    for (const s of this.layers.values()) {
      if (s.windowDelta === Infinity) continue;
      s.bound = locmoeBound(s.windowDelta, this.hidden, this.experts);
      s.estimates++;
      s.windowDelta = Infinity;
    }
  }

  /** The current bound of a layer and how many times it was estimated (for reports and tests). */
  state(layer: number): { bound?: LocMoeBound; estimates: number; steps: number } {
    const s = this.layers.get(layer);
    return s?.bound ? { bound: s.bound, estimates: s.estimates, steps: this.steps } : { estimates: 0, steps: this.steps };
  }
}

function fmt(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : String(v);
}
