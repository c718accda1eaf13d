// Allgather and reduce-scatter plans. Sizes follow nccl-tests: `totalBytes` is the allgather output (each
// rank contributes totalBytes/n) and the reduce-scatter input on every rank (each ends with totalBytes/n).
// Algorithms: ring (n−1 phases), mesh (one phase in a full mesh), hierarchical (HCCL's two-level pattern:
// allgather across servers among same-local-index devices, then inside each server; reduce-scatter mirrors it).
import { checkSize, meshPhase, ringPhases, validateGroup, zipPhases } from './plan.ts';
import type { CollectiveOp, CollectivePlan, GroupOptions } from './plan.ts';
import { serverLayout } from './hierarchy.ts';
import type { HierarchyOptions, ServerLayout } from './hierarchy.ts';
import type { Flow } from '../network/types.ts';

type GatherOp = Extract<CollectiveOp, 'allgather' | 'reducescatter'>;

function flat(op: GatherOp, algo: string, group: readonly number[], totalBytes: number, options: GroupOptions, phases: (n: number) => Flow[][]): CollectivePlan {
  validateGroup(group, options);
  checkSize(group, 'totalBytes', totalBytes);
  return { op, algo, group: [...group], phases: phases(group.length) };
}

/** Ring allgather producing a `totalBytes` buffer on every rank (each contributes totalBytes/n): n−1 phases. */
export function ringAllGather(group: readonly number[], totalBytes: number, options: GroupOptions = {}): CollectivePlan {
  return flat('allgather', 'ring', group, totalBytes, options, (n) => ringPhases(group, n - 1, totalBytes / n));
}

/** Ring reduce-scatter of a `totalBytes` input on every rank (each ends with totalBytes/n): n−1 phases. */
export function ringReduceScatter(group: readonly number[], totalBytes: number, options: GroupOptions = {}): CollectivePlan {
  return flat('reducescatter', 'ring', group, totalBytes, options, (n) => ringPhases(group, n - 1, totalBytes / n));
}

/** Mesh allgather: one phase in which every rank sends its totalBytes/n contribution to every peer. */
export function meshAllGather(group: readonly number[], totalBytes: number, options: GroupOptions = {}): CollectivePlan {
  return flat('allgather', 'mesh', group, totalBytes, options, (n) => (n > 1 ? [meshPhase(group, totalBytes / n)] : []));
}

/** Mesh reduce-scatter: one phase in which every rank sends each peer that peer's totalBytes/n slice of its input. */
export function meshReduceScatter(group: readonly number[], totalBytes: number, options: GroupOptions = {}): CollectivePlan {
  return flat('reducescatter', 'mesh', group, totalBytes, options, (n) => (n > 1 ? [meshPhase(group, totalBytes / n)] : []));
}

/** Ring phases on every rail at once (each rail = the same-local-index devices of all servers). */
function railRings(layout: ServerLayout, chunk: number): Flow[][] {
  const rails: Flow[][][] = [];
  for (let l = 0; l < layout.perServer; l++) rails.push(ringPhases(layout.rail(l), layout.servers - 1, chunk));
  return zipPhases(rails);
}

/** One mesh phase inside every server at once. */
function inServerMesh(layout: ServerLayout, chunk: number): Flow[][] {
  return layout.perServer > 1 ? [layout.devices.flatMap((members) => meshPhase(members, chunk))] : [];
}

/**
 * Hierarchical allgather over S servers of L members (n = S·L): a ring allgather of the totalBytes/n
 * contributions on every rail (S−1 phases), after which each member holds totalBytes/L; then one mesh phase
 * inside each server exchanging those. Every rank receives (n−1)/n · totalBytes, as with a flat ring.
 */
export function hierarchicalAllGather(group: readonly number[], totalBytes: number, options: HierarchyOptions): CollectivePlan {
  const layout = serverLayout(group, options, 'hierarchical allgather');
  checkSize(group, 'totalBytes', totalBytes);
  const n = group.length;
  const phases = [...railRings(layout, totalBytes / n), ...inServerMesh(layout, totalBytes / layout.perServer)];
  return { op: 'allgather', algo: 'hierarchical', group: [...group], phases };
}

/**
 * Hierarchical reduce-scatter, the mirror of hierarchicalAllGather: one mesh phase inside each server (member
 * l receives from each peer the totalBytes/L that belongs to rail l), then a ring reduce-scatter of the
 * totalBytes/n slices on every rail (S−1 phases).
 */
export function hierarchicalReduceScatter(group: readonly number[], totalBytes: number, options: HierarchyOptions): CollectivePlan {
  const layout = serverLayout(group, options, 'hierarchical reduce-scatter');
  checkSize(group, 'totalBytes', totalBytes);
  const n = group.length;
  const phases = [...inServerMesh(layout, totalBytes / layout.perServer), ...railRings(layout, totalBytes / n)];
  return { op: 'reducescatter', algo: 'hierarchical', group: [...group], phases };
}
