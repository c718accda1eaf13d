// Turn the step program's collective specs into topology collective plans with the algorithm the vendor library
// would pick for that group (topology's defaultCollectiveAlgorithm), and count the bytes they move. A hierarchical
// all-to-all-v comes packed (topology's PackedPlan: typed arrays, no object per flow), from a plan compiled once per
// group (flow slots, the matrix entries each sums, routes) and filled from the routing's token matrix; the rest plain.
import type { Cluster, CollectivePlan, CompiledAllToAll, PackedPlan } from '../topology/index.ts';
import { allToAllV, compileHierarchicalAllToAll, defaultCollectiveAlgorithm, fillHierarchicalAllToAll, planCollective as planTopologyCollective, sendRecv } from '../topology/index.ts';
import type { CollectiveSpec, RoutedTraffic } from '../workloads/index.ts';
import { allToAllBytesMatrix } from '../workloads/index.ts';
import type { CommBytes } from './execution-types.ts';
import { RoutedAllToAllVariants, matrixTerms } from './routed-alltoall-variants.ts';

/** One group's all-to-all algorithm, its compiled plan when hierarchical, and its terms mapped into token matrices. */
interface GroupPlan {
  algo: string;
  compiled: CompiledAllToAll | undefined;
  /** Per ranks array: [dp, terms of the dispatch direction, terms of the transpose]. */
  tokenTerms: Map<readonly number[], [number, Int32Array | undefined, Int32Array | undefined]>;
}

/** Plans a collective; `release` says a run of a plan it returned has finished (its arrays may then be reused). */
export interface CollectivePlanner {
  (spec: CollectiveSpec): CollectivePlan | PackedPlan;
  release(plan: CollectivePlan | PackedPlan): void;
}

/** Uses of each (routing, group of devices) per direction, [same as dispatch, transposed], in the run's collectives. */
function countRoutedUses(collectives: readonly CollectiveSpec[]): WeakMap<Float64Array, Map<readonly number[], Int32Array>> {
  const uses = new WeakMap<Float64Array, Map<readonly number[], Int32Array>>();
  for (const c of collectives) {
    const t = c.traffic;
    if (c.op !== 'all-to-all-v' || t === undefined || c.bytesMatrix !== undefined || t.slices !== undefined || t.algorithm !== undefined) continue;
    let byRanks = uses.get(t.routing.dispatchTokens);
    if (byRanks === undefined) uses.set(t.routing.dispatchTokens, (byRanks = new Map()));
    let count = byRanks.get(c.group);
    if (count === undefined) byRanks.set(c.group, (count = new Int32Array(2)));
    const side = t.transpose ? 1 : 0;
    count[side] = count[side]! + 1;
  }
  return uses;
}

/**
 * The byte arrays of routed plans whose uses are counted: runs started and not yet released, whether all uses have
 * started, and the free arrays (by length) of plans whose last use has been released.
 */
class PlanArrayPool {
  private readonly running = new Map<PackedPlan, number>();
  private readonly lastUseStarted = new WeakSet<PackedPlan>();
  private readonly free = new Map<number, Float64Array[]>();

  started(plan: PackedPlan, remaining: number): PackedPlan {
    this.running.set(plan, (this.running.get(plan) ?? 0) + 1);
    if (remaining <= 0) this.lastUseStarted.add(plan);
    return plan;
  }

  release(plan: CollectivePlan | PackedPlan): void {
    if ('phases' in plan) return;
    const runs = this.running.get(plan);
    if (runs === undefined) return;
    if (runs > 1) {
      this.running.set(plan, runs - 1);
      return;
    }
    this.running.delete(plan);
    if (!this.lastUseStarted.has(plan)) return;
    let free = this.free.get(plan.bytes.length);
    if (free === undefined) this.free.set(plan.bytes.length, (free = []));
    free.push(plan.bytes);
  }

  take(length: number): Float64Array | undefined {
    return this.free.get(length)?.pop();
  }
}

/** The state of one run's planner: compiled groups, plain plans by key, filled routed plans and their uses. */
class RunPlanner {
  private readonly byArray = new WeakMap<readonly number[], GroupPlan>();
  private readonly byDevices = new Map<string, GroupPlan>();
  /** Plans of collectives without routing, by op, bytes and group. */
  private readonly plainPlans = new Map<string, CollectivePlan>();
  /** Direct all-to-all matrices up to 64 ranks are built here. */
  private readonly matrixScratch = new Float64Array(64 * 64);
  /**
   * A routed all-to-all's filled plan, kept for its repeat: the backward combine-gradient moves the forward
   * dispatch's bytes (same routing, entries and scale) and the backward dispatch-gradient the forward combine's. The
   * last repeat takes the plan (plans are never changed once filled) and forgets it, so only plans awaiting a later
   * pass are held.
   */
  private readonly filled = new WeakMap<Float64Array, Map<Int32Array, [number, PackedPlan]>>();
  readonly arrays = new PlanArrayPool();
  private readonly variants: RoutedAllToAllVariants;

  constructor(private readonly cluster: Cluster, private readonly uses: WeakMap<Float64Array, Map<readonly number[], Int32Array>>) {
    this.variants = new RoutedAllToAllVariants(cluster);
  }

  plan(spec: CollectiveSpec): CollectivePlan | PackedPlan {
    if (spec.op === 'all-to-all-v') {
      if (spec.traffic?.algorithm !== undefined) return this.variants.plan(spec, spec.traffic as Parameters<RoutedAllToAllVariants['plan']>[1]);
      const g = this.groupPlan(spec.group);
      if (g.compiled === undefined) return allToAllV(spec.group, allToAllBytesMatrix(spec, this.matrixScratch));
      // Sliced traffic (expertTp below tp: group rank ≠ DP rank) takes the general matrix, not the routed DP × DP terms.
      if (spec.bytesMatrix !== undefined || spec.traffic === undefined || spec.traffic.slices !== undefined) return fillHierarchicalAllToAll(g.compiled, allToAllBytesMatrix(spec), 1);
      return this.routedPlan(spec, g, g.compiled, spec.traffic);
    }
    if (spec.bytes === undefined) throw new Error(`collective "${spec.name}" has no size`);
    if (spec.op === 'send') return sendRecv(spec.group[0]!, spec.group[1]!, spec.bytes, this.cluster);
    // The same collective over the same devices and bytes (a gradient reduction per layer, a parameter all-gather per
    // chunk) has the same plan: built once. Plans are never changed by their users.
    const key = `${spec.op}|${spec.bytes}|${spec.group.join(',')}`;
    let plain = this.plainPlans.get(key);
    if (plain === undefined) {
      plain = planTopologyCollective(spec.op, defaultCollectiveAlgorithm(spec.op, spec.group, this.cluster), spec.group, spec.bytes, this.cluster);
      this.plainPlans.set(key, plain);
    }
    return plain;
  }

  private groupPlan(group: readonly number[]): GroupPlan {
    let known = this.byArray.get(group);
    if (known !== undefined) return known;
    const key = group.join(',');
    known = this.byDevices.get(key);
    if (known === undefined) {
      const algo = defaultCollectiveAlgorithm('alltoall', group, this.cluster);
      known = { algo, compiled: algo === 'hierarchical' ? compileHierarchicalAllToAll(group, this.cluster, this.cluster) : undefined, tokenTerms: new Map() };
      this.byDevices.set(key, known);
    }
    this.byArray.set(group, known);
    return known;
  }

  /** A hierarchical all-to-all filled from the routing's token matrix, reused by its repeat when already filled. */
  private routedPlan(spec: CollectiveSpec, g: GroupPlan, compiled: CompiledAllToAll, t: RoutedTraffic): PackedPlan {
    const terms = tokenTerms(g, compiled, t);
    const count = this.uses.get(t.routing.dispatchTokens)?.get(spec.group);
    const side = t.transpose ? 1 : 0;
    // Uses still to come after this one (undefined: unknown, keep for one repeat).
    const remaining = count === undefined ? undefined : (count[side] = count[side]! - 1);
    let plans = this.filled.get(t.routing.dispatchTokens);
    const known = plans?.get(terms);
    if (known !== undefined && known[0] === t.bytesPerToken) {
      if (remaining === undefined || remaining <= 0) plans?.delete(terms);
      return remaining === undefined ? known[1] : this.arrays.started(known[1], remaining);
    }
    const into = remaining === undefined ? undefined : this.arrays.take(compiled.src.length);
    const filledPlan = fillHierarchicalAllToAll(compiled, t.routing.dispatchTokens, t.bytesPerToken, terms, into);
    if (remaining === undefined || remaining > 0) {
      if (plans === undefined) this.filled.set(t.routing.dispatchTokens, (plans = new Map()));
      plans.set(terms, [t.bytesPerToken, filledPlan]);
    }
    return remaining === undefined ? filledPlan : this.arrays.started(filledPlan, remaining);
  }
}

/**
 * Plans collectives for one run; all-to-all groups are compiled once, found by their group array or its devices.
 * Given the run's collectives, a filled plan is kept exactly until its last use (the forward, a recompute, the
 * backward); without them, until its first repeat. Given them too, a filled plan's byte array goes back to a pool
 * once its last use has been released, and the next fill of that size overwrites it: a fresh array per fill cost
 * more than the fill (new memory, page by page).
 */
export function createCollectivePlanner(cluster: Cluster, collectives?: readonly CollectiveSpec[]): CollectivePlanner {
  const planner = new RunPlanner(cluster, countRoutedUses(collectives ?? []));
  return Object.assign((spec: CollectiveSpec) => planner.plan(spec), { release: (plan: CollectivePlan | PackedPlan) => planner.arrays.release(plan) });
}

/** The compiled plan's matrix entries as indices into the routing's DP × DP token matrix (allToAllBytesMatrix's entries). */
function tokenTerms(g: GroupPlan, compiled: CompiledAllToAll, t: RoutedTraffic): Int32Array {
  const dp = Math.round(Math.sqrt(t.routing.dispatchTokens.length));
  let entry = g.tokenTerms.get(t.ranks);
  if (entry === undefined || entry[0] !== dp) {
    entry = [dp, undefined, undefined];
    g.tokenTerms.set(t.ranks, entry);
  }
  const side = t.transpose ? 2 : 1;
  return (entry[side] ??= matrixTerms(compiled, t));
}

export function emptyCommBytes(): CommBytes {
  return { total: 0, intraServer: 0, interServer: 0 };
}

/** A packed plan's bytes [total, intra-server, inter-server], when every flow's bytes is a whole number (else NaN). */
const packedSums = new WeakMap<PackedPlan, Float64Array>();

/** Below this every sum of whole numbers is exact in any order (2^53). */
const EXACT = Number.MAX_SAFE_INTEGER;

/**
 * Add the bytes a collective's plan moves to `into`: every transfer of the algorithm, staging hops of a hierarchical
 * algorithm included (what the collective really puts on the network), split by whether each transfer stays in its server.
 * A packed plan of whole-number flows is summed once (plans are reused) and added as three sums: exact, so the same
 * totals as adding flow by flow; otherwise, and near 2^53, flow by flow.
 */
export function addPlanBytes(cluster: Cluster, plan: CollectivePlan | PackedPlan, a: CommBytes, b: CommBytes): void {
  if ('phases' in plan) {
    for (const phase of plan.phases) for (const flow of phase) addFlowBytes(cluster, flow.src, flow.dst, flow.bytes, a, b);
    return;
  }
  let sums = packedSums.get(plan);
  if (sums === undefined) packedSums.set(plan, (sums = sumPackedBytes(cluster, plan)));
  const [total, intra, inter] = sums as unknown as [number, number, number];
  if (total === total && wholeBelow(a, total) && wholeBelow(b, total)) {
    if (total === 0) return;
    a.total += total;
    b.total += total;
    a.intraServer += intra;
    b.intraServer += intra;
    a.interServer += inter;
    b.interServer += inter;
    return;
  }
  const end = plan.phaseStart[plan.phaseStart.length - 1]!;
  const routesIntra = plan.routes?.intraServer;
  for (let f = plan.phaseStart[0]!; f < end; f++) {
    addFlowBytes(cluster, plan.src[f]!, plan.dst[f]!, plan.bytes[f]!, a, b, routesIntra === undefined ? undefined : routesIntra[f] === 1);
  }
}

/** True when `c` holds whole numbers and stays below 2^53 with `more` added (so the order of additions does not matter). */
function wholeBelow(c: CommBytes, more: number): boolean {
  return Number.isInteger(c.total) && Number.isInteger(c.intraServer) && Number.isInteger(c.interServer) && c.total + more < EXACT;
}

function sumPackedBytes(cluster: Cluster, plan: PackedPlan): Float64Array {
  const sums = new Float64Array(3);
  const end = plan.phaseStart[plan.phaseStart.length - 1]!;
  const routesIntra = plan.routes?.intraServer;
  for (let f = plan.phaseStart[0]!; f < end; f++) {
    const src = plan.src[f]!;
    const dst = plan.dst[f]!;
    const bytes = plan.bytes[f]!;
    if (src === dst || bytes === 0) continue;
    if (!(Number.isInteger(bytes) && bytes > 0)) return sums.fill(NaN);
    const intra = routesIntra === undefined ? cluster.isIntraServer(src, dst) : routesIntra[f] === 1;
    sums[0] = sums[0]! + bytes;
    sums[intra ? 1 : 2] = sums[intra ? 1 : 2]! + bytes;
  }
  if (!(sums[0]! < EXACT)) sums.fill(NaN);
  return sums;
}

export function addFlowBytes(cluster: Cluster, src: number, dst: number, bytes: number, a: CommBytes, b: CommBytes, intraServer?: boolean): void {
  if (src === dst || bytes === 0) return;
  const intra = intraServer ?? cluster.isIntraServer(src, dst);
  a.total += bytes;
  b.total += bytes;
  if (intra) {
    a.intraServer += bytes;
    b.intraServer += bytes;
  } else {
    a.interServer += bytes;
    b.interServer += bytes;
  }
}
