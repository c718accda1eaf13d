// The hierarchical (staged) all-to-all-v, compiled once per group: its flow slots in plan order (source,
// destination, and which matrix entries each slot sums, CSR style), and with a cluster each slot's route (link ids,
// CSR style), path latency and whether it stays in its server. Filling a compiled plan from a matrix is then one pass
// over those entries; the step executor keeps one compiled plan per EP group for the hundreds of all-to-alls it runs.
// A filled plan keeps every slot (zero-byte slots are no flow: every consumer skips them, unpackPhase drops them) and
// drops empty phases by folding their slots into the next phase, so it stands for exactly the plan that
// hierarchicalAllToAllVPacked builds (which is compactPlan of it: same flows, same bytes, same order).
import { InputError } from '../../engine/index.ts';
import type { Cluster } from '../cluster/types.ts';
import { describeGroup } from './plan.ts';
import { serverLayout } from './hierarchy.ts';
import type { HierarchyOptions } from './hierarchy.ts';
import type { PackedPlan, PackedRoutes } from '../network/types.ts';

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

/** The structure of a staged all-to-all-v over one group: everything but the bytes. */
export interface CompiledAllToAll {
  readonly group: readonly number[];
  /** Phase p holds slots phaseStart[p] … phaseStart[p+1]−1 (before empty phases are dropped). */
  readonly phaseStart: Int32Array;
  readonly src: Int32Array;
  readonly dst: Int32Array;
  /** Slot f's bytes are the sum, in order, of the matrix entries terms[termStart[f]] … (index i·n + j of ranks i → j). */
  readonly termStart: Int32Array;
  readonly terms: Int32Array;
  /** Per slot, its route on the cluster it was compiled with (absent without one). */
  readonly routes: PackedRoutes | undefined;
  /** The algorithm's name in filled plans and reports (default hierarchical). */
  readonly algo?: string;
  /** Per slot, 1 for a later chunk of a pipelined plan (PackedPlan.streamed). */
  readonly streamed?: Uint8Array;
}

/** Compiles the staged all-to-all-v of `group` (routes too when `cluster` is given). */
export function compileHierarchicalAllToAll(group: readonly number[], options: HierarchicalAllToAllOptions, cluster?: Cluster): CompiledAllToAll {
  const layout = serverLayout(group, options, 'hierarchical all-to-all');
  const rail = options.rail ?? 'destination';
  const interServer = options.interServer ?? 'pairwise';
  if (rail !== 'destination' && rail !== 'source') {
    throw new InputError(`${describeGroup(group)}: hierarchical all-to-all rail is "${String(rail)}"; accepted: destination, source`);
  }
  if (interServer !== 'pairwise' && interServer !== 'direct') {
    throw new InputError(`${describeGroup(group)}: hierarchical all-to-all interServer is "${String(interServer)}"; accepted: pairwise, direct`);
  }
  const { servers: S, perServer: L } = layout;
  const n = group.length;
  const rankOf = new Map(group.map((device, rank) => [device, rank]));
  const rankAt = Int32Array.from(layout.devices.flat(), (device) => rankOf.get(device) as number); // index s·L + l
  const devAt = Int32Array.from(rankAt, (rank) => group[rank]!);
  const destination = rail === 'destination';
  const pairwise = interServer === 'pairwise';
  const rounds = pairwise ? S - 1 : Math.min(1, S - 1);
  const phaseStart: number[] = [0];
  const src: number[] = [];
  const dst: number[] = [];
  const termStart: number[] = [0];
  const terms: number[] = [];
  const slot = (from: number, to: number): void => {
    src.push(from);
    dst.push(to);
    termStart.push(terms.length);
  };
  // Intra-server phase: own-server traffic plus the gather (destination rail: (s,l) forwards to (s,k) what it has
  // for local index k elsewhere) or the scatter (source rail: what arrived from other servers' local index l for (s,k)).
  const intra = (): void => {
    for (let s = 0; s < S; s++) {
      for (let l = 0; l < L; l++) {
        const from = rankAt[s * L + l]!;
        for (let k = 0; k < L; k++) {
          if (k === l) continue;
          const to = rankAt[s * L + k]!;
          terms.push(from * n + to);
          for (let t = 0; t < S; t++) {
            if (t !== s) terms.push(destination ? from * n + rankAt[t * L + k]! : rankAt[t * L + l]! * n + to);
          }
          slot(devAt[s * L + l]!, devAt[s * L + k]!);
        }
      }
    }
    phaseStart.push(src.length);
  };
  // Inter-server exchange round r on each rail: (s, x) → (t, x), aggregated over the other local index.
  const exchange = (r: number): void => {
    for (let s = 0; s < S; s++) {
      const first = pairwise ? (s + r) % S : 0;
      const last = pairwise ? first : S - 1;
      for (let t = first; t <= last; t++) {
        if (t === s) continue;
        for (let x = 0; x < L; x++) {
          for (let y = 0; y < L; y++) {
            terms.push(destination
              ? rankAt[s * L + y]! * n + rankAt[t * L + x]!
              : rankAt[s * L + x]! * n + rankAt[t * L + y]!);
          }
          slot(devAt[s * L + x]!, devAt[t * L + x]!);
        }
      }
    }
    phaseStart.push(src.length);
  };
  if (!destination) for (let r = 1; r <= rounds; r++) exchange(r);
  intra();
  if (destination) for (let r = 1; r <= rounds; r++) exchange(r);
  return {
    group: [...group], phaseStart: Int32Array.from(phaseStart), src: Int32Array.from(src), dst: Int32Array.from(dst),
    termStart: Int32Array.from(termStart), terms: Int32Array.from(terms), routes: cluster === undefined ? undefined : compileRoutes(cluster, src, dst),
  };
}

/** Each flow's route, path latency and whether it stays in its server, on `cluster`. */
export function compileRoutes(cluster: Cluster, src: readonly number[], dst: readonly number[]): PackedRoutes {
  const start = new Int32Array(src.length + 1);
  const links: number[] = [];
  const latency = new Float64Array(src.length);
  const intraServer = new Uint8Array(src.length);
  for (let f = 0; f < src.length; f++) {
    const a = src[f]!;
    const b = dst[f]!;
    for (const id of cluster.route(a, b)) links.push(id);
    start[f + 1] = links.length;
    latency[f] = cluster.pathLatencyNs(a, b);
    intraServer[f] = cluster.isIntraServer(a, b) ? 1 : 0;
  }
  return { start, links: Int32Array.from(links), latency, intraServer };
}

/**
 * The plan of `compiled` for the bytes given by `values`: term i of a slot is values[terms[i]] · scale (`terms`:
 * compiled.terms, or the same entries mapped to where `values` holds them). Every term must be finite and ≥ 0.
 * The bytes are written to `into` when given (an array of compiled.src.length no plan uses any more: every slot is
 * overwritten), else to a new array.
 */
export function fillHierarchicalAllToAll(compiled: CompiledAllToAll, values: ArrayLike<number>, scale: number, terms: Int32Array = compiled.terms, into?: Float64Array): PackedPlan {
  if (into !== undefined && into.length !== compiled.src.length) throw new RangeError(`fillHierarchicalAllToAll: into has ${into.length} slots, the plan ${compiled.src.length}`);
  const bytes = into ?? new Float64Array(compiled.src.length);
  const { termStart } = compiled;
  const phases = compiled.phaseStart.length - 1;
  // Phases that carry bytes; when every phase does (the usual case) the compiled phase starts are shared as they are.
  const active = new Uint8Array(phases);
  let activeCount = 0;
  for (let p = 0; p < phases; p++) {
    const phaseEnd = compiled.phaseStart[p + 1]!;
    let any = false;
    for (let f = compiled.phaseStart[p]!; f < phaseEnd; f++) {
      let k = termStart[f]!;
      const end = termStart[f + 1]!;
      let b = values[terms[k]!]! * scale;
      if (!(b >= 0 && b < Infinity)) badTerm(compiled, terms[k]!, b);
      for (k++; k < end; k++) {
        const v = values[terms[k]!]! * scale;
        if (!(v >= 0 && v < Infinity)) badTerm(compiled, terms[k]!, v);
        b += v;
      }
      bytes[f] = b;
      if (b > 0) any = true;
    }
    if (any) {
      active[p] = 1;
      activeCount++;
    }
  }
  let phaseStart = compiled.phaseStart;
  if (activeCount < phases) {
    // An empty phase is dropped: its zero slots join the next phase.
    phaseStart = new Int32Array(activeCount + 1);
    let q = 1;
    for (let p = 0; p < phases; p++) if (active[p] === 1) phaseStart[q++] = compiled.phaseStart[p + 1]!;
  }
  const { group, src, dst, routes, streamed } = compiled;
  return { op: 'alltoall', algo: compiled.algo ?? 'hierarchical', group, phaseStart, src, dst, bytes, routes, ...(streamed === undefined ? {} : { streamed }) };
}

function badTerm(compiled: CompiledAllToAll, term: number, value: number): never {
  throw new InputError(`${describeGroup(compiled.group)}: all-to-all traffic entry ${term} gives ${String(value)} bytes; expected a finite number ≥ 0`);
}

/** The plan without its zero-byte slots (what the plain planners build). */
export function compactPlan(plan: PackedPlan): PackedPlan {
  const keep: number[] = [];
  const phaseStart: number[] = [0];
  for (let p = 0; p + 1 < plan.phaseStart.length; p++) {
    for (let f = plan.phaseStart[p]!; f < plan.phaseStart[p + 1]!; f++) if (plan.bytes[f]! > 0) keep.push(f);
    phaseStart.push(keep.length);
  }
  return {
    op: plan.op, algo: plan.algo, group: [...plan.group], phaseStart: Int32Array.from(phaseStart),
    src: Int32Array.from(keep, (f) => plan.src[f]!), dst: Int32Array.from(keep, (f) => plan.dst[f]!), bytes: Float64Array.from(keep, (f) => plan.bytes[f]!),
  };
}
