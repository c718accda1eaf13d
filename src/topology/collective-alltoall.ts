// All-to-all(-v) plans over an arbitrary traffic matrix (the MoE dispatch and combine case): direct (every
// flow at once), pairwise exchange (n−1 rounds) and hierarchical (HCCL's "staged" all-to-all-v: aggregate
// inside the server on the rail of the destination, then exchange between servers on each rail).
import { InputError } from '../engine/index.ts';
import { describeGroup, rankDevice, trafficReader, validateGroup } from './collectives.ts';
import type { CollectivePlan, GroupOptions, TrafficMatrix } from './collectives.ts';
import { serverLayout } from './collective-hierarchy.ts';
import type { HierarchyOptions } from './collective-hierarchy.ts';
import type { Flow } from './network-types.ts';

/** All-to-all-v, direct: every rank sends to every other rank at once (one phase). Diagonal and zero entries are skipped. */
export function allToAllV(group: readonly number[], bytes: TrafficMatrix, options: GroupOptions = {}): CollectivePlan {
  validateGroup(group, options);
  const read = trafficReader(group, bytes);
  const n = group.length;
  const flows: Flow[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const b = read(i, j);
      if (b > 0) flows.push({ src: rankDevice(group, i), dst: rankDevice(group, j), bytes: b });
    }
  }
  return { op: 'alltoall', algo: 'direct', group: [...group], phases: n > 1 ? [flows] : [] };
}

/** All-to-all-v, pairwise exchange: n−1 rounds; in round r (1..n−1) rank i sends to rank (i + r) mod n. */
export function allToAllPairwise(group: readonly number[], bytes: TrafficMatrix, options: GroupOptions = {}): CollectivePlan {
  validateGroup(group, options);
  const read = trafficReader(group, bytes);
  const n = group.length;
  const phases: Flow[][] = [];
  for (let r = 1; r < n; r++) {
    const flows: Flow[] = [];
    for (let i = 0; i < n; i++) {
      const j = (i + r) % n;
      flows.push({ src: rankDevice(group, i), dst: rankDevice(group, j), bytes: read(i, j) });
    }
    phases.push(flows);
  }
  return { op: 'alltoall', algo: 'pairwise', group: [...group], phases };
}

export interface HierarchicalAllToAllOptions extends HierarchyOptions {
  /**
   * Which rail carries data from rank (s, l) to rank (s', k) between servers.
   * `destination` (default, HCCL's staged all-to-all-v): gather to local rank k, then (s, k) → (s', k).
   * `source`: (s, l) → (s', l) first, then scatter inside s' to local rank k.
   */
  readonly rail?: 'destination' | 'source';
  /** How the servers exchange: `pairwise` (default, S−1 rounds, as HCCL's level-1 pairwise) or `direct` (one phase). */
  readonly interServer?: 'pairwise' | 'direct';
}

/**
 * All-to-all-v in two levels. With S servers of L group members each, rank (s, l) is the member with local
 * index l in server s. Traffic inside a server goes directly in the intra-server phase. Traffic between
 * servers is aggregated per (server pair, rail): one flow (s, k) → (s', k) carries everything server s sends
 * to local index k of server s' (rail `destination`), so S(S−1)L inter-server flows replace direct's S(S−1)L²,
 * with exactly the same bytes per server pair. Phases: intra-server gather, then the inter-server exchange
 * (rail `destination`); or the exchange, then the intra-server scatter (rail `source`). Empty phases are dropped.
 */
export function hierarchicalAllToAllV(group: readonly number[], bytes: TrafficMatrix, options: HierarchicalAllToAllOptions): CollectivePlan {
  const layout = serverLayout(group, options, 'hierarchical all-to-all');
  const rail = options.rail ?? 'destination';
  const interServer = options.interServer ?? 'pairwise';
  if (rail !== 'destination' && rail !== 'source') {
    throw new InputError(`${describeGroup(group)}: hierarchical all-to-all rail is "${String(rail)}"; accepted: destination, source`);
  }
  if (interServer !== 'pairwise' && interServer !== 'direct') {
    throw new InputError(`${describeGroup(group)}: hierarchical all-to-all interServer is "${String(interServer)}"; accepted: pairwise, direct`);
  }
  const read = trafficReader(group, bytes);
  const rankOf = new Map(group.map((device, rank) => [device, rank]));
  const { servers: S, perServer: L } = layout;
  const rankAt = Int32Array.from(layout.devices.flat(), (device) => rankOf.get(device) as number); // index s·L + l
  const rank = (s: number, l: number): number => rankAt[s * L + l] as number;
  const dev = (s: number, l: number): number => group[rank(s, l)] as number;

  // Intra-server phase: own-server traffic plus the gather (destination rail) or the scatter (source rail).
  const intra: Flow[] = [];
  for (let s = 0; s < S; s++) {
    for (let l = 0; l < L; l++) {
      for (let k = 0; k < L; k++) {
        if (k === l) continue;
        let b = read(rank(s, l), rank(s, k));
        for (let t = 0; t < S; t++) {
          if (t === s) continue;
          // destination rail: (s,l) forwards to (s,k) what it has for local index k elsewhere;
          // source rail: (s,l) passes on to (s,k) what arrived from other servers' local index l for (s,k).
          b += rail === 'destination' ? read(rank(s, l), rank(t, k)) : read(rank(t, l), rank(s, k));
        }
        if (b > 0) intra.push({ src: dev(s, l), dst: dev(s, k), bytes: b });
      }
    }
  }

  // Inter-server exchange on each rail: (s, x) → (t, x), aggregated over the other local index.
  const exchange = (s: number, t: number, x: number): Flow | undefined => {
    let b = 0;
    for (let y = 0; y < L; y++) b += rail === 'destination' ? read(rank(s, y), rank(t, x)) : read(rank(s, x), rank(t, y));
    return b > 0 ? { src: dev(s, x), dst: dev(t, x), bytes: b } : undefined;
  };
  const interPhases: Flow[][] = [];
  const rounds = interServer === 'pairwise' ? S - 1 : Math.min(1, S - 1);
  for (let r = 1; r <= rounds; r++) {
    const flows: Flow[] = [];
    for (let s = 0; s < S; s++) {
      const targets = interServer === 'pairwise' ? [(s + r) % S] : [...Array(S).keys()].filter((t) => t !== s);
      for (const t of targets) {
        for (let x = 0; x < L; x++) {
          const flow = exchange(s, t, x);
          if (flow) flows.push(flow);
        }
      }
    }
    interPhases.push(flows);
  }

  const ordered = rail === 'destination' ? [intra, ...interPhases] : [...interPhases, intra];
  return { op: 'alltoall', algo: 'hierarchical', group: [...group], phases: ordered.filter((phase) => phase.length > 0) };
}
