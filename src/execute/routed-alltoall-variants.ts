// The expert all-to-alls a scenario asks for instead of the library's (parallelism.epAllToAll): the staged
// all-to-all pipelined in chunks, and DeepEP's node-deduplicated dispatch. Each is compiled once per (group,
// direction, chunks) (topology's pipelineInChunks, compileNodeDedupAllToAll, reverseCompiled), its terms mapped once
// per EP group's DP ranks into the routing's values, and filled per collective with each chunk's share of the bytes.
import { InputError } from '../engine/index.ts';
import type { Cluster, CompiledAllToAll, PackedPlan } from '../topology/index.ts';
import { compileHierarchicalAllToAll, compileNodeDedupAllToAll, fillHierarchicalAllToAll, pipelineInChunks, reverseCompiled } from '../topology/index.ts';
import type { CollectiveSpec, RoutedTraffic } from '../workloads/index.ts';

interface VariantPlan {
  compiled: CompiledAllToAll;
  /** Server slot of each group rank (DeepEP only). */
  slotOfRank?: Int32Array;
  /** Terms mapped into the routing's values, per ranks array. */
  terms: Map<readonly number[], Int32Array>;
}

export class RoutedAllToAllVariants {
  private readonly compiled = new Map<string, VariantPlan>();

  constructor(private readonly cluster: Cluster) {}

  plan(spec: CollectiveSpec, t: RoutedTraffic & { algorithm: NonNullable<RoutedTraffic['algorithm']> }): PackedPlan {
    const { name, chunks } = t.algorithm;
    const v = this.variant(spec.group, name, chunks, t.transpose);
    let terms = v.terms.get(t.ranks);
    if (terms === undefined) v.terms.set(t.ranks, (terms = name === 'deepep' ? dedupTerms(v, t) : matrixTerms(v.compiled, t)));
    const values = name === 'deepep' ? t.routing.distinct?.values : t.routing.dispatchTokens;
    if (values === undefined) throw new Error(`collective "${spec.name}": DeepEP's dispatch needs the routing's distinct token counts`);
    return fillHierarchicalAllToAll(v.compiled, values, t.bytesPerToken / chunks, terms);
  }

  private variant(group: readonly number[], name: 'hierarchical-pipelined' | 'deepep', chunks: number, transpose: boolean): VariantPlan {
    // The staged all-to-all's combine is the same algorithm on the transposed matrix (its own terms); DeepEP's is its
    // dispatch turned round. Either way each direction has its own entry.
    const key = `${name}|${chunks}|${transpose ? 'combine' : 'dispatch'}|${group.join(',')}`;
    let known = this.compiled.get(key);
    if (known !== undefined) return known;
    if (name === 'hierarchical-pipelined') {
      known = { compiled: pipelineInChunks(compileHierarchicalAllToAll(group, this.cluster, this.cluster), chunks, name), terms: new Map() };
    } else {
      const dispatch = compileNodeDedupAllToAll(group, this.cluster);
      const direction = transpose ? reverseCompiled(dispatch, this.cluster) : dispatch;
      known = { compiled: pipelineInChunks(direction, chunks, name), slotOfRank: dispatch.slotOfRank, terms: new Map() };
    }
    this.compiled.set(key, known);
    return known;
  }
}

/**
 * A compiled plan's rank × rank terms (i · n + j over the group's ranks) as indices into the routing's DP × DP token
 * matrix, transposed for a combine.
 */
export function matrixTerms(compiled: CompiledAllToAll, t: RoutedTraffic): Int32Array {
  const dp = Math.round(Math.sqrt(t.routing.dispatchTokens.length));
  const n = t.ranks.length;
  const terms = new Int32Array(compiled.terms.length);
  for (let k = 0; k < terms.length; k++) {
    const term = compiled.terms[k]!;
    const ri = t.ranks[Math.floor(term / n)]!;
    const rj = t.ranks[term % n]!;
    terms[k] = t.transpose ? rj * dp + ri : ri * dp + rj;
  }
  return terms;
}

/** DeepEP's terms (rank pairs, then (rank, server slot) pairs) as indices into routing.distinct.values (DistinctTokens' layout). */
function dedupTerms(v: VariantPlan, t: RoutedTraffic): Int32Array {
  const distinct = t.routing.distinct;
  if (distinct === undefined) throw new Error('DeepEP dispatch: the routing has no distinct token counts');
  const n = t.ranks.length;
  const slots = distinct.servers;
  const mine = v.slotOfRank!;
  if (mine.length !== distinct.slotOfEpRank.length || mine.some((s, i) => s !== distinct.slotOfEpRank[i])) {
    throw new InputError(
      `parallelism.epAllToAll: deepep needs every EP group laid over servers alike (EP ranks per server: [${[...distinct.slotOfEpRank].join(',')}] in the first group, [${[...mine].join(',')}] in another); choose ep and tp so that an EP group fills whole servers or fits in one`,
      'parallelism.epAllToAll',
    );
  }
  const dp = Math.round(Math.sqrt(t.routing.dispatchTokens.length));
  const ep = distinct.slotOfEpRank.length;
  return v.compiled.terms.map((term) => {
    if (term < n * n) return t.ranks[Math.floor(term / n)]! * ep + (t.ranks[term % n]! % ep);
    const rest = term - n * n;
    return dp * ep + t.ranks[Math.floor(rest / slots)]! * slots + (rest % slots);
  });
}
