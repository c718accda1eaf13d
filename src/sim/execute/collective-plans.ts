// Turn the step program's collective specs into topology collective plans with the algorithm the vendor library
// would pick for that group (topology's defaultCollectiveAlgorithm), and count the bytes they move. A hierarchical
// all-to-all-v comes packed (topology's PackedPlan: typed arrays, no object per flow); everything else plain.
import type { Cluster, CollectivePlan, PackedPlan } from '../../topology/index.ts';
import { allToAllV, defaultCollectiveAlgorithm, hierarchicalAllToAllVPacked, planCollective as planTopologyCollective, sendRecv } from '../../topology/index.ts';
import type { CollectiveSpec } from '../../workloads/index.ts';
import { allToAllBytesMatrix } from '../../workloads/index.ts';
import type { CommBytes } from './execution-types.ts';

/** The all-to-all matrix is built in `scratch` when it is large enough (the plan does not keep the matrix). */
export function planCollective(spec: CollectiveSpec, cluster: Cluster, scratch?: Float64Array): CollectivePlan | PackedPlan {
  if (spec.op === 'all-to-all-v') {
    const matrix = allToAllBytesMatrix(spec, scratch);
    const algo = defaultCollectiveAlgorithm('alltoall', spec.group, cluster);
    return algo === 'hierarchical' ? hierarchicalAllToAllVPacked(spec.group, matrix, cluster) : allToAllV(spec.group, matrix);
  }
  if (spec.bytes === undefined) throw new Error(`collective "${spec.name}" has no size`);
  if (spec.op === 'send') return sendRecv(spec.group[0] as number, spec.group[1] as number, spec.bytes, cluster);
  return planTopologyCollective(spec.op, defaultCollectiveAlgorithm(spec.op, spec.group, cluster), spec.group, spec.bytes, cluster);
}

export function emptyCommBytes(): CommBytes {
  return { total: 0, intraServer: 0, interServer: 0 };
}

/**
 * Add the bytes a collective's plan moves to `into`: every transfer of the algorithm, staging hops of a hierarchical
 * algorithm included (what the collective really puts on the network), split by whether each transfer stays in its server.
 */
export function addPlanBytes(cluster: Cluster, plan: CollectivePlan | PackedPlan, a: CommBytes, b: CommBytes): void {
  if ('phases' in plan) {
    for (const phase of plan.phases) for (const flow of phase) addFlowBytes(cluster, flow.src, flow.dst, flow.bytes, a, b);
    return;
  }
  const end = plan.phaseStart[plan.phaseStart.length - 1] as number;
  for (let f = plan.phaseStart[0] as number; f < end; f++) addFlowBytes(cluster, plan.src[f] as number, plan.dst[f] as number, plan.bytes[f] as number, a, b);
}

function addFlowBytes(cluster: Cluster, src: number, dst: number, bytes: number, a: CommBytes, b: CommBytes): void {
  if (src === dst || bytes === 0) return;
  const intra = cluster.isIntraServer(src, dst);
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
