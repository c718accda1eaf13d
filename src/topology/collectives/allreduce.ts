// Allreduce plans of a `bufferBytes` buffer held by every rank: ring, halving-doubling (Rabenseifner:
// recursive-halving reduce-scatter + recursive-doubling allgather, with the standard fold for a rank count
// that is not a power of two), mesh (one-shot in a full mesh) and hierarchical (in-server reduce-scatter,
// allreduce across servers among same-local-index devices, in-server allgather).
import { InputError } from '../../engine/index.ts';
import { checkSize, describeGroup, meshPhase, rankDevice, ringPhases, validateGroup, zipPhases } from './plan.ts';
import type { CollectivePlan, GroupOptions } from './plan.ts';
import { serverLayout } from './hierarchy.ts';
import type { HierarchyOptions } from './hierarchy.ts';
import type { Flow } from '../network/types.ts';

function checked(group: readonly number[], bufferBytes: number, options: GroupOptions): void {
  validateGroup(group, options);
  checkSize(group, 'bufferBytes', bufferBytes);
}

/** Ring allreduce: 2(n−1) phases in which every rank sends bufferBytes/n to the next rank. */
export function ringAllReduce(group: readonly number[], bufferBytes: number, options: GroupOptions = {}): CollectivePlan {
  checked(group, bufferBytes, options);
  const n = group.length;
  return { op: 'allreduce', algo: 'ring', group: [...group], phases: ringPhases(group, 2 * (n - 1), bufferBytes / n) };
}

/**
 * Halving-doubling phases over `devices` (a power-of-two count p). Reduce-scatter by recursive vector
 * halving with distance doubling: in step j (j = 0..log2 p − 1) rank r exchanges bytes/2^(j+1) with rank
 * r XOR 2^j. Allgather mirrors it (distances halving, sizes doubling). Big exchanges go to near ranks, as
 * in MPICH, so with ranks in server order they stay inside a server. Every rank sends 2(p−1)/p · bytes.
 */
function powerOfTwoPhases(devices: readonly number[], bytes: number): Flow[][] {
  const p = devices.length;
  const exchange = (distance: number, chunk: number): Flow[] =>
    devices.map((src, r) => ({ src, dst: rankDevice(devices, r ^ distance), bytes: chunk }));
  const reduceScatter: Flow[][] = [];
  for (let distance = 1, chunk = bytes / 2; distance < p; distance *= 2, chunk /= 2) reduceScatter.push(exchange(distance, chunk));
  const allGather: Flow[][] = [];
  for (let distance = p / 2, chunk = bytes / p; distance >= 1; distance /= 2, chunk *= 2) allGather.push(exchange(distance, chunk));
  return [...reduceScatter, ...allGather];
}

/**
 * Halving-doubling phases for any count n: with p the largest power of two ≤ n and r = n − p, the first 2r
 * ranks fold in pairs (even rank 2i sends its whole buffer to 2i+1), the p survivors (the odd ranks of the
 * first 2r, then ranks 2r..n−1) run the power-of-two algorithm, and the result is sent back to the folded
 * ranks (MPICH's and HCCL's RHD treatment of a non-power-of-two count).
 */
export function halvingDoublingPhases(devices: readonly number[], bytes: number): Flow[][] {
  const n = devices.length;
  if (n < 2) return [];
  let p = 1;
  while (p * 2 <= n) p *= 2;
  const r = n - p;
  const survivors = devices.filter((_, rank) => rank >= 2 * r || rank % 2 === 1);
  const core = powerOfTwoPhases(survivors, bytes);
  if (r === 0) return core;
  const fold: Flow[] = [];
  const unfold: Flow[] = [];
  for (let i = 0; i < r; i++) {
    const even = rankDevice(devices, 2 * i);
    const odd = rankDevice(devices, 2 * i + 1);
    fold.push({ src: even, dst: odd, bytes });
    unfold.push({ src: odd, dst: even, bytes });
  }
  return [fold, ...core, unfold];
}

/** Halving-doubling (recursive halving + doubling) allreduce; 2·log2 n phases, plus fold and unfold when n is not a power of two. */
export function halvingDoublingAllReduce(group: readonly number[], bufferBytes: number, options: GroupOptions = {}): CollectivePlan {
  checked(group, bufferBytes, options);
  return { op: 'allreduce', algo: 'halving-doubling', group: [...group], phases: halvingDoublingPhases(group, bufferBytes) };
}

/**
 * Mesh allreduce, for a full mesh (HCCL's in-server algorithm on Atlas 800T A2): a one-shot reduce-scatter
 * (every rank sends bufferBytes/n to every peer at once) and then a one-shot allgather the same way: 2 phases.
 */
export function meshAllReduce(group: readonly number[], bufferBytes: number, options: GroupOptions = {}): CollectivePlan {
  checked(group, bufferBytes, options);
  const n = group.length;
  const phases = n > 1 ? [meshPhase(group, bufferBytes / n), meshPhase(group, bufferBytes / n)] : [];
  return { op: 'allreduce', algo: 'mesh', group: [...group], phases };
}

export interface HierarchicalAllReduceOptions extends HierarchyOptions {
  /** The allreduce among same-local-index devices of different servers: `ring` (default) or `halving-doubling`. */
  readonly interServer?: 'ring' | 'halving-doubling';
}

/**
 * Hierarchical allreduce over S servers of L group members: (1) mesh reduce-scatter inside each server
 * (each member ends with the server's sum of one 1/L slice), (2) on each rail (same local index), an
 * allreduce of that bufferBytes/L slice across the S servers, all rails at once, (3) mesh allgather inside
 * each server. Every rank sends 2(n−1)/n · bufferBytes in total, as a flat ring does, but only
 * 2(S−1)/(S·L) · bufferBytes of it crosses servers.
 */
export function hierarchicalAllReduce(group: readonly number[], bufferBytes: number, options: HierarchicalAllReduceOptions): CollectivePlan {
  const layout = serverLayout(group, options, 'hierarchical allreduce');
  checkSize(group, 'bufferBytes', bufferBytes);
  const interServer = options.interServer ?? 'ring';
  if (interServer !== 'ring' && interServer !== 'halving-doubling') {
    throw new InputError(`${describeGroup(group)}: hierarchical allreduce interServer is "${String(interServer)}"; accepted: ring, halving-doubling`);
  }
  const { servers: S, perServer: L } = layout;
  const slice = bufferBytes / L;
  // Reduce-scatter and allgather inside a server: every member sends one bufferBytes/L slice to every peer.
  const intra = (): Flow[][] => (L > 1 ? [layout.devices.flatMap((members) => meshPhase(members, slice))] : []);
  const rails: Flow[][][] = [];
  for (let l = 0; l < L; l++) {
    const devices = layout.rail(l);
    rails.push(interServer === 'ring' ? ringPhases(devices, 2 * (S - 1), slice / S) : halvingDoublingPhases(devices, slice));
  }
  const phases = [...intra(), ...zipPhases(rails), ...intra()];
  return { op: 'allreduce', algo: 'hierarchical', group: [...group], phases };
}
