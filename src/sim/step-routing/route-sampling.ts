// Which routing groups are routed for real when a step is too big to route whole, which DP rank each sampled group
// stands for, and the placement seen by locality-aware routers. A routing group is one DP rank's micro-batch; its
// server is that of the rank's first-stage, TP-rank-0 device. Classes are the server positions inside an EP group:
// every real group is resampled from a sampled group of its own class (routing-resample.ts).
import type { RoutingPlacement } from '../../routing/index.ts';
import type { Cluster } from '../../topology/index.ts';
import type { Layout, ModelSpec, ResampleClasses, ResamplePlan } from '../../workloads/index.ts';
import { deviceOf, expertDpRank, planResampling } from '../../workloads/index.ts';

export interface SamplingLayout {
  plan: ResamplePlan;
  /** Real group size (tokens per DP rank per micro-batch). */
  groupSize: number;
  /** DP rank each sampled group stands for. */
  sampleRank: (sample: number) => number;
  classes: ResampleClasses;
  sampled: boolean;
  /** Sampled groups are smaller than real ones (the budget could not hold one whole group per class). */
  shrunk: boolean;
}

/**
 * Placement classes of a layout: the server positions inside an EP group (1 when an EP group fits in a server).
 * Routing one whole group per class needs a budget of classes × microBatchSize × seqLength tokens.
 */
export function placementClassCount(ep: number, tp: number, devicesPerServer: number): number {
  // DP ranks per server on one stage (a TP group fills tp devices of a server).
  const perServer = Math.max(1, Math.floor(devicesPerServer / tp));
  return ep > perServer ? Math.ceil(ep / perServer) : 1;
}

export function samplingLayout(model: ModelSpec, layout: Layout, cluster: Cluster, tokenBudget: number): SamplingLayout {
  const groupSize = layout.microBatchSize * model.seqLength;
  const perServer = Math.max(1, Math.floor(cluster.system.devicesPerServer / layout.tp));
  const classCount = placementClassCount(layout.ep, layout.tp, cluster.system.devicesPerServer);
  const classOfRank = (r: number): number => (layout.ep > perServer ? Math.floor((r % layout.ep) / perServer) : 0);
  let plan = planResampling(groupSize, layout.dp, tokenBudget, classCount);
  // Sequence-level routers need whole sequences in a sampled group.
  if (plan.sampledGroupSize < groupSize && plan.sampledGroupSize >= model.seqLength) {
    plan = { ...plan, sampledGroupSize: Math.floor(plan.sampledGroupSize / model.seqLength) * model.seqLength };
  }
  const sampled = plan.sampledGroups !== layout.dp || plan.sampledGroupSize !== groupSize;
  const slotsPerClass = Math.min(perServer, layout.ep);
  const sampleRank = (s: number): number => {
    if (!sampled) return s;
    const c = s % classCount;
    return Math.min(layout.ep - 1, c * perServer + (Math.floor(s / classCount) % slotsPerClass));
  };
  return {
    plan,
    groupSize,
    sampleRank,
    classes: { ofTarget: classOfRank, ofSample: (s) => classOfRank(sampleRank(s)) },
    sampled,
    shrunk: plan.sampledGroupSize < groupSize,
  };
}

/** Nodes of tokens and experts as the routers see them: a sampled group sits where its stand-in DP rank is. */
export function routingPlacement(layout: Layout, cluster: Cluster, sampleRank: (s: number) => number): RoutingPlacement {
  const serverOfRank = (r: number): number => cluster.serverOf(deviceOf(layout, 0, r, 0));
  return {
    nodes: cluster.servers,
    groupNode: (g) => serverOfRank(sampleRank(g)),
    expertNode: (g, e) => serverOfRank(expertDpRank(layout, Math.floor(sampleRank(g) / layout.ep), e)),
  };
}
