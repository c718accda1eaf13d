// All-to-all(-v) plans over an arbitrary traffic matrix (the MoE dispatch and combine case): direct (every
// flow at once), pairwise exchange (n−1 rounds) and hierarchical (HCCL's "staged" all-to-all-v: aggregate
// inside the server on the rail of the destination, then exchange between servers on each rail).
import { InputError } from '../engine/index.ts';
import { describeGroup, rankDevice, trafficReader, validateGroup } from './collectives.ts';
import type { CollectivePlan, GroupOptions, TrafficMatrix } from './collectives.ts';
import { serverLayout } from './collective-hierarchy.ts';
import type { HierarchyOptions } from './collective-hierarchy.ts';
import type { Flow } from './network-types.ts';
import { unpackPlan } from './packed-plan.ts';
import type { PackedPlan } from './network-types.ts';

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

/**
 * The matrix as a dense row-major Float64Array with every off-diagonal entry checked (finite, ≥ 0) up front, so
 * the planners can read it without a per-entry check; the diagonal (a rank's own data) is never read.
 */
function denseTraffic(group: readonly number[], bytes: TrafficMatrix): Float64Array {
  const read = trafficReader(group, bytes);
  const n = group.length;
  if (!(bytes instanceof Float64Array)) {
    const dense = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) dense[i * n + j] = read(i, j);
    return dense;
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = bytes[i * n + j] as number;
      if (i !== j && !(v >= 0 && v < Infinity)) read(i, j); // throws the reader's message
    }
  }
  return bytes;
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
  return unpackPlan(hierarchicalAllToAllVPacked(group, bytes, options));
}

/** hierarchicalAllToAllV with its flows packed in typed arrays (same flows, same order; see packed-plan.ts). */
export function hierarchicalAllToAllVPacked(group: readonly number[], bytes: TrafficMatrix, options: HierarchicalAllToAllOptions): PackedPlan {
  const layout = serverLayout(group, options, 'hierarchical all-to-all');
  const rail = options.rail ?? 'destination';
  const interServer = options.interServer ?? 'pairwise';
  if (rail !== 'destination' && rail !== 'source') {
    throw new InputError(`${describeGroup(group)}: hierarchical all-to-all rail is "${String(rail)}"; accepted: destination, source`);
  }
  if (interServer !== 'pairwise' && interServer !== 'direct') {
    throw new InputError(`${describeGroup(group)}: hierarchical all-to-all interServer is "${String(interServer)}"; accepted: pairwise, direct`);
  }
  const matrix = denseTraffic(group, bytes);
  const { servers: S, perServer: L } = layout;
  const rankOf = new Map(group.map((device, rank) => [device, rank]));
  const rankAt = Int32Array.from(layout.devices.flat(), (device) => rankOf.get(device) as number); // index s·L + l
  const at: Staging = { matrix, n: group.length, S, L, rankAt, devAt: Int32Array.from(rankAt, (rank) => group[rank] as number), destination: rail === 'destination' };
  const rounds = interServer === 'pairwise' ? S - 1 : Math.min(1, S - 1);
  const out = new PackedBuilder(S * L * (L - 1) + S * (S - 1) * L);
  if (!at.destination) for (let r = 1; r <= rounds; r++) writeExchange(out, at, r, interServer === 'pairwise');
  writeIntra(out, at);
  if (at.destination) for (let r = 1; r <= rounds; r++) writeExchange(out, at, r, interServer === 'pairwise');
  return { op: 'alltoall', algo: 'hierarchical', group: [...group], phaseStart: Int32Array.from(out.starts), src: out.src, dst: out.dst, bytes: out.bytes };
}

/** What the staged all-to-all reads: the dense matrix, and rank and device of (s, l) at index s·L + l. */
interface Staging {
  matrix: Float64Array;
  n: number;
  S: number;
  L: number;
  rankAt: Int32Array;
  devAt: Int32Array;
  destination: boolean;
}

/** Appends flows to typed arrays; endPhase closes a phase (an empty one is dropped). */
class PackedBuilder {
  readonly src: Int32Array;
  readonly dst: Int32Array;
  readonly bytes: Float64Array;
  readonly starts: number[] = [0];
  private count = 0;
  constructor(capacity: number) {
    this.src = new Int32Array(capacity);
    this.dst = new Int32Array(capacity);
    this.bytes = new Float64Array(capacity);
  }
  push(src: number, dst: number, bytes: number): void {
    this.src[this.count] = src;
    this.dst[this.count] = dst;
    this.bytes[this.count++] = bytes;
  }
  endPhase(): void {
    if (this.count > (this.starts[this.starts.length - 1] as number)) this.starts.push(this.count);
  }
}

/**
 * Intra-server phase: own-server traffic plus the gather (destination rail) or the scatter (source rail).
 * destination rail: (s,l) forwards to (s,k) what it has for local index k elsewhere;
 * source rail: (s,l) passes on to (s,k) what arrived from other servers' local index l for (s,k).
 */
function writeIntra(out: PackedBuilder, { matrix, n, S, L, rankAt, devAt, destination }: Staging): void {
  for (let s = 0; s < S; s++) {
    for (let l = 0; l < L; l++) {
      const from = rankAt[s * L + l] as number;
      for (let k = 0; k < L; k++) {
        if (k === l) continue;
        const to = rankAt[s * L + k] as number;
        let b = matrix[from * n + to] as number;
        for (let t = 0; t < S; t++) {
          if (t === s) continue;
          b += destination ? (matrix[from * n + (rankAt[t * L + k] as number)] as number) : (matrix[(rankAt[t * L + l] as number) * n + to] as number);
        }
        if (b > 0) out.push(devAt[s * L + l] as number, devAt[s * L + k] as number, b);
      }
    }
  }
  out.endPhase();
}

/** Inter-server exchange round r on each rail: (s, x) → (t, x), aggregated over the other local index. */
function writeExchange(out: PackedBuilder, { matrix, n, S, L, rankAt, devAt, destination }: Staging, r: number, pairwise: boolean): void {
  for (let s = 0; s < S; s++) {
    const first = pairwise ? (s + r) % S : 0;
    const last = pairwise ? first : S - 1;
    for (let t = first; t <= last; t++) {
      if (t === s) continue;
      for (let x = 0; x < L; x++) {
        let b = 0;
        for (let y = 0; y < L; y++) {
          b += destination
            ? (matrix[(rankAt[s * L + y] as number) * n + (rankAt[t * L + x] as number)] as number)
            : (matrix[(rankAt[s * L + x] as number) * n + (rankAt[t * L + y] as number)] as number);
        }
        if (b > 0) out.push(devAt[s * L + x] as number, devAt[t * L + x] as number, b);
      }
    }
  }
  out.endPhase();
}
