// Shared helpers for the baseline routers: build a RoutingDecision from explicit (token, expert) pairs, a seeded
// 32-bit integer hash, and a partial top-k over one row of scores with a documented tie-break.
import type { RoutingDecision } from '../router-input.ts';
import type { DecisionMeta } from './top-k-assignment.ts';
import { fmix32 } from '../../engine/index.ts';

export interface PairLists {
  token: Int32Array;
  expert: Int32Array;
  weight: Float32Array;
  kept: Uint8Array;
}

/**
 * Sort pairs by token, then by `rank` (smaller first: the router's preference), and fill the per-group counts.
 * Token t belongs to group ⌊t / groupSize⌋. `capacity` is reported as given (Infinity when dropless).
 */
export function decisionFromPairs(meta: DecisionMeta, pairs: PairLists, rank: Float64Array, capacity: number, capacityNote: string): RoutingDecision {
  const count = pairs.token.length;
  const order = Array.from({ length: count }, (_, i) => i);
  order.sort((a, b) => pairs.token[a]! - pairs.token[b]! || rank[a]! - rank[b]! || a - b);
  const pairToken = new Int32Array(count);
  const pairExpert = new Int32Array(count);
  const pairWeight = new Float32Array(count);
  const pairKept = new Uint8Array(count);
  const keptCounts = new Int32Array(meta.groups * meta.numExperts);
  const proposedCounts = new Int32Array(meta.groups * meta.numExperts);
  for (let j = 0; j < count; j++) {
    const i = order[j]!;
    const t = pairs.token[i]!;
    const e = pairs.expert[i]!;
    pairToken[j] = t;
    pairExpert[j] = e;
    pairWeight[j] = pairs.weight[i]!;
    pairKept[j] = pairs.kept[i]!;
    const c = Math.floor(t / meta.groupSize) * meta.numExperts + e;
    proposedCounts[c] = proposedCounts[c]! + 1;
    if (pairs.kept[i] === 1) keptCounts[c] = keptCounts[c]! + 1;
  }
  return { ...meta, pairToken, pairExpert, pairWeight, pairKept, keptCounts, proposedCounts, capacity, capacityNote };
}

/** A seeded 32-bit mix (murmur3's finaliser over id ⊕ seed); the same (id, seed) always gives the same value. */
export function hash32(id: number, seed: number): number {
  let h = fmix32(id ^ seed);
  h = Math.imul(h ^ 0x9e3779b9, 0x27d4eb2d); // a second round so nearby ids and seeds decorrelate
  return (h ^ (h >>> 15)) >>> 0;
}

/**
 * Indices of the k largest `score(i)` for i in [0, n) where `allowed(i)`, in descending score order; ties go to
 * the lower index. Returns fewer than k when fewer are allowed. O(n·k) worst case, O(n) typically.
 */
export function topKIndices(n: number, k: number, score: (i: number) => number, allowed?: (i: number) => boolean): number[] {
  const idx: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < n; i++) {
    if (allowed && !allowed(i)) continue;
    const v = score(i);
    let pos: number;
    if (idx.length < k) {
      idx.push(i);
      val.push(v);
      pos = idx.length - 1;
    } else {
      if (k === 0 || v <= val[k - 1]!) continue; // a tie with the k-th keeps the lower index
      idx[k - 1] = i;
      val[k - 1] = v;
      pos = k - 1;
    }
    while (pos > 0 && val[pos - 1]! < v) { // strictly smaller: equal scores keep index order
      idx[pos] = idx[pos - 1]!;
      val[pos] = val[pos - 1]!;
      idx[pos - 1] = i;
      val[pos - 1] = v;
      pos--;
    }
  }
  return idx;
}

/** The capacity-factor parameter of a router that is dropless by default: `null` means dropless. */
export function capacityPolicyOf(capacityFactor: number | null): { kind: 'dropless' } | { kind: 'factor'; factor: number } {
  return capacityFactor === null ? { kind: 'dropless' } : { kind: 'factor', factor: capacityFactor };
}
