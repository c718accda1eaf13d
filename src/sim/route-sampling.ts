// Which routing groups are routed for real when a step is too big to route whole, which device each sampled group
// stands for, and the placement seen by locality-aware routers. Classes are the server positions inside an EP
// group: every real group is resampled from a sampled group of its own class (routing-resample.ts).
import type { RoutingPlacement } from '../routing/index.ts';
import type { Cluster } from '../topology/index.ts';
import type { Layout, ModelSpec, ResampleClasses, ResamplePlan } from '../workloads/index.ts';
import { expertDevice, planResampling } from '../workloads/index.ts';

export interface SamplingLayout {
  plan: ResamplePlan;
  /** Real group size (tokens per device per micro-batch). */
  groupSize: number;
  /** Device each sampled group stands for. */
  sampleDevice: (sample: number) => number;
  classes: ResampleClasses;
  sampled: boolean;
  /** Sampled groups are smaller than real ones (the budget could not hold one whole group per class). */
  shrunk: boolean;
}

export function samplingLayout(model: ModelSpec, layout: Layout, cluster: Cluster, tokenBudget: number): SamplingLayout {
  const groupSize = layout.microBatchSize * model.seqLength;
  const perServer = cluster.system.devicesPerServer;
  const classCount = layout.ep > perServer ? Math.ceil(layout.ep / perServer) : 1;
  const classOfDevice = (d: number): number => (layout.ep > perServer ? Math.floor((d % layout.ep) / perServer) : 0);
  let plan = planResampling(groupSize, layout.devices, tokenBudget, classCount);
  // Sequence-level routers need whole sequences in a sampled group.
  if (plan.sampledGroupSize < groupSize && plan.sampledGroupSize >= model.seqLength) {
    plan = { ...plan, sampledGroupSize: Math.floor(plan.sampledGroupSize / model.seqLength) * model.seqLength };
  }
  const sampled = plan.sampledGroups !== layout.devices || plan.sampledGroupSize !== groupSize;
  const slotsPerClass = Math.min(perServer, layout.ep);
  const sampleDevice = (s: number): number => {
    if (!sampled) return s;
    const c = s % classCount;
    return Math.min(layout.ep - 1, c * perServer + (Math.floor(s / classCount) % slotsPerClass));
  };
  return {
    plan,
    groupSize,
    sampleDevice,
    classes: { ofTarget: classOfDevice, ofSample: (s) => classOfDevice(sampleDevice(s)) },
    sampled,
    shrunk: plan.sampledGroupSize < groupSize,
  };
}

/** Nodes of tokens and experts as the routers see them: a sampled group sits where its stand-in device is. */
export function routingPlacement(layout: Layout, cluster: Cluster, sampleDevice: (s: number) => number): RoutingPlacement {
  return {
    nodes: cluster.servers,
    groupNode: (g) => cluster.serverOf(sampleDevice(g)),
    expertNode: (g, e) => cluster.serverOf(expertDevice(layout, Math.floor(sampleDevice(g) / layout.ep), e)),
  };
}
