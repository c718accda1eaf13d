// GrAP (grouped average pooling) gate of LocMoE / LocMoE+: a fixed, orthogonal gating matrix W [d, n] whose column i
// averages a disjoint, contiguous group of the hidden dimensions, so xᵀw_i is the mean of x over expert i's group.
//
// When d is not divisible by n the groups differ in size by one: the first (d mod n) experts pool ⌈d/n⌉ dimensions,
// the rest ⌊d/n⌋ (every dimension is pooled by exactly one expert). Columns stay orthogonal (disjoint supports);
// their norms 1/√|group| then differ slightly, which only matters for the linear (LocMoE) gate, not for cosine
// affinity (LocMoE+). GrAP needs d ≥ n: with fewer dimensions than experts some expert would pool nothing.
// `learned` is the alternative: a seeded N(0, 1/d) matrix per layer, as the other routers use.
import { z } from 'zod';
import { InputError } from '../engine/index.ts';
import type { Rng } from '../engine/index.ts';
import { layerGateMatrices } from './gate.ts';

export const gateKindSchema = z.enum(['grap', 'learned']);
export type GateKind = z.output<typeof gateKindSchema>;

/** Start and size of each expert's group of hidden dimensions (sizes ⌈d/n⌉ for the first d mod n experts, else ⌊d/n⌋). */
export function grapGroups(hidden: number, experts: number): { start: Int32Array; size: Int32Array } {
  if (!(Number.isInteger(hidden) && Number.isInteger(experts) && experts >= 1 && hidden >= experts)) {
    throw new InputError(`GrAP gate: hidden size ${hidden} must be an integer ≥ the ${experts} experts (each expert pools a disjoint group of dimensions)`, 'router.gate');
  }
  const base = Math.floor(hidden / experts);
  const extra = hidden % experts;
  const start = new Int32Array(experts);
  const size = new Int32Array(experts);
  let at = 0;
  for (let e = 0; e < experts; e++) {
    start[e] = at;
    size[e] = base + (e < extra ? 1 : 0);
    at += size[e]!;
  }
  return { start, size };
}

/** The GrAP matrix, row-major [hidden, experts]: W[j, i] = 1/|G_i| when dimension j is in expert i's group, else 0. */
export function grapGateMatrix(hidden: number, experts: number): Float32Array {
  const { start, size } = grapGroups(hidden, experts);
  const w = new Float32Array(hidden * experts);
  for (let e = 0; e < experts; e++) {
    const s = start[e]!;
    const m = size[e]!;
    for (let j = s; j < s + m; j++) w[j * experts + e] = 1 / m;
  }
  return w;
}

/** Per-layer gating matrices of the chosen kind: GrAP is the same fixed matrix for every layer; learned is seeded per layer. */
export function layerGateOf(kind: GateKind, rng: Rng, hidden: number, experts: number): (layer: number) => Float32Array {
  if (kind === 'learned') return layerGateMatrices(rng, hidden, experts);
  const w = grapGateMatrix(hidden, experts);
  return () => w;
}

/** cos(x_t, w_e) for each token t and its assigned expert e = assigned[t] (plain JS, float64 accumulation). */
export function assignedCosines(features: Float32Array, hidden: number, weights: Float32Array, experts: number, assigned: Int32Array): Float64Array {
  const tokens = assigned.length;
  const wNorm = new Float64Array(experts);
  for (let j = 0; j < hidden; j++) {
    for (let e = 0; e < experts; e++) wNorm[e] = wNorm[e]! + weights[j * experts + e]! ** 2;
  }
  const out = new Float64Array(tokens);
  for (let t = 0; t < tokens; t++) {
    const e = assigned[t]!;
    let dot = 0;
    let xx = 0;
    for (let j = 0; j < hidden; j++) {
      const x = features[t * hidden + j]!;
      dot += x * weights[j * experts + e]!;
      xx += x * x;
    }
    const denom = Math.sqrt(xx * wNorm[e]!);
    out[t] = denom > 0 ? dot / denom : 0;
  }
  return out;
}
