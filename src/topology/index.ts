// Public door of src/topology: the hardware catalog, the cluster builder, network models and collectives.
// Other modules import from here only.
export {
  chipSpecSchema,
  systemSpecSchema,
  intraServerLinkKinds,
  nicKinds,
  effectiveBandwidth,
} from './catalog-schema.ts';
export type {
  Figure,
  Money,
  ChipSpec,
  SystemSpec,
  IntraServerSpec,
  IntraServerKind,
  IntraServerLinkSpec,
  FabricSpec,
  NicSpec,
} from './catalog-schema.ts';
export {
  loadCatalog,
  defaultCatalogDirectory,
  getDefaultCatalog,
  getChip,
  getSystem,
  listPresets,
  listChips,
} from './catalog-loader.ts';
export type { Catalog } from './catalog-loader.ts';
export { applyOverrides, applyChipOverrides } from './overrides.ts';
export type { NumericOverrides, SystemOverrides, ChipOverrides } from './overrides.ts';
export { buildCluster } from './cluster-builder.ts';
export type {
  Link,
  LinkKind,
  NodeKind,
  NodeInfo,
  Cluster,
  ClusterOverrides,
  BuildClusterOptions,
} from './cluster-types.ts';
export type { Flow, NetworkModel } from './network-types.ts';
export { createAnalyticalNetwork } from './network-analytical.ts';
export type { NetworkBuildOptions, NetworkModelEntry, NetworkModelName } from './network-registry.ts';
export { NETWORK_MODELS, networkModel } from './network-registry.ts';
export { ceilSecondsToNs } from '../engine/index.ts';
export type { AnalyticalNetworkOptions } from './network-analytical.ts';
export { validateGroup, describeGroup } from './collectives.ts';
export type { CollectiveOp, CollectiveAlgorithm, CollectivePlan, GroupOptions, TrafficMatrix } from './collectives.ts';
export { allToAllV, allToAllPairwise, hierarchicalAllToAllV, hierarchicalAllToAllVPacked } from './collective-alltoall.ts';
export { packedPhaseCount, unpackPhase, unpackPlan } from './packed-plan.ts';
export type { PackedPlan, PackedRoutes } from './network-types.ts';
export type { HierarchicalAllToAllOptions, CompiledAllToAll } from './collective-alltoall-staged.ts';
export { compileHierarchicalAllToAll, fillHierarchicalAllToAll } from './collective-alltoall-staged.ts';
export { ringAllReduce, halvingDoublingAllReduce, meshAllReduce, hierarchicalAllReduce } from './collective-allreduce.ts';
export type { HierarchicalAllReduceOptions } from './collective-allreduce.ts';
export {
  ringAllGather,
  ringReduceScatter,
  meshAllGather,
  meshReduceScatter,
  hierarchicalAllGather,
  hierarchicalReduceScatter,
} from './collective-gather.ts';
export { ringBroadcast, treeBroadcast, sendRecv, ringSendRecv, DEFAULT_BROADCAST_CHUNK_BYTES } from './collective-broadcast.ts';
export type { BroadcastOptions, RingBroadcastOptions } from './collective-broadcast.ts';
export { serverLayout } from './collective-hierarchy.ts';
export type { HierarchyOptions, ServerLayout } from './collective-hierarchy.ts';
export {
  collectiveOps,
  collectiveAlgorithms,
  parseCollectiveOp,
  checkCollectiveAlgorithm,
  planCollective,
  defaultCollectiveAlgorithm,
} from './collective-registry.ts';
export type { CollectiveTopology } from './collective-registry.ts';
export { checkCollectivePlan, planRankBytes } from './collective-semantics.ts';
export type { PlanRankBytes } from './collective-semantics.ts';
export { runCollective, runPackedCollective, simulateCollective } from './collective-runner.ts';
export { algBandwidth, busBandwidth, busBandwidthFactor } from './collective-bandwidth.ts';
export { fabricTopologies } from './catalog-schema.ts';
export type { FabricTopology, FabricUplinkSpec } from './catalog-schema.ts';
export type { FabricLayout, FabricTierLayout } from './cluster-types.ts';
export { fabricSettingsSchema, applyFabricSettings } from './fabric-settings.ts';
export type { FabricSettings } from './fabric-settings.ts';
export { findLinks, closeLinkNames } from './link-faults.ts';
export type { NamedLinks } from './link-faults.ts';
export { linkFaultSchema } from './link-fault-schema.ts';
export type { LinkFault } from './link-fault-schema.ts';
export { ecmpHash } from './ecmp-hash.ts';
// Flow-level network model and link activity (both models).
export { createFlowNetwork } from './network-flow.ts';
export type { FlowNetworkOptions } from './network-flow.ts';
export type { FlowAllocation } from './network-types.ts';
export { maxMinFairRates } from './network-flow-solver.ts';
export { LinkActivityRecorder } from './link-activity.ts';
export type { LinkActivity, LinkRateInterval, LinkActivityRecorderOptions } from './link-activity.ts';
export { linkUtilisation, busiestLinks } from './link-activity-analysis.ts';
export type { BusyLink } from './link-activity-analysis.ts';
