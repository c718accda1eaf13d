// Turn the step program's collective specs into topology collective plans, and count the bytes they move.
import type { Cluster, CollectivePlan } from '../../topology/index.ts';
import { allToAllV, ringAllReduce } from '../../topology/index.ts';
import type { CollectiveSpec } from '../../workloads/index.ts';
import type { CommBytes } from './execution-types.ts';

export function planCollective(spec: CollectiveSpec): CollectivePlan {
  if (spec.op === 'all-to-all-v') {
    if (!spec.bytesMatrix) throw new Error(`collective "${spec.name}" has no traffic matrix`);
    return allToAllV(spec.group, spec.bytesMatrix);
  }
  if (spec.bytesPerRank === undefined) throw new Error(`collective "${spec.name}" has no size`);
  return ringAllReduce(spec.group, spec.bytesPerRank);
}

export function emptyCommBytes(): CommBytes {
  return { total: 0, intraServer: 0, interServer: 0 };
}

/** Add the bytes of every flow of a plan that leaves its device to `into`, split by whether it stays in its server. */
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
