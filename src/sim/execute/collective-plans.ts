// Turn the step program's collective specs into topology collective plans with the algorithm the vendor library
// would pick for that group (topology's defaultCollectiveAlgorithm), and count the bytes they move.
import type { Cluster, CollectivePlan } from '../../topology/index.ts';
import { allToAllV, defaultCollectiveAlgorithm, hierarchicalAllToAllV, planCollective as planTopologyCollective, sendRecv } from '../../topology/index.ts';
import type { CollectiveSpec } from '../../workloads/index.ts';
import { allToAllBytesMatrix } from '../../workloads/index.ts';
import type { CommBytes } from './execution-types.ts';

export function planCollective(spec: CollectiveSpec, cluster: Cluster): CollectivePlan {
  if (spec.op === 'all-to-all-v') {
    const matrix = allToAllBytesMatrix(spec);
    const algo = defaultCollectiveAlgorithm('alltoall', spec.group, cluster);
    return algo === 'hierarchical' ? hierarchicalAllToAllV(spec.group, matrix, cluster) : allToAllV(spec.group, matrix);
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
export function addPlanBytes(cluster: Cluster, plan: CollectivePlan, ...into: CommBytes[]): void {
  for (const phase of plan.phases) {
    for (const flow of phase) {
      if (flow.src === flow.dst || flow.bytes === 0) continue;
      const intra = cluster.isIntraServer(flow.src, flow.dst);
      for (const acc of into) {
        acc.total += flow.bytes;
        if (intra) acc.intraServer += flow.bytes;
        else acc.interServer += flow.bytes;
      }
    }
  }
}
