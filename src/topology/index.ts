// Public door of src/topology: the hardware catalog, the cluster builder, network models and collectives.
// Other modules import from here only. Inside, one folder per concern:
//   catalog/              the hardware catalog (schema, loader) and the scenario's overrides and fabric settings
//   cluster/              building a Cluster: types, link graph, server wiring, link faults, cut checks
//   fabric/               the network between servers: single switch and Clos fabrics, NIC attachment, ECMP
//   network/              the NetworkModel interface, the registry of models, link activity, flow checks
//   network/analytical/   the analytical model (a phase costs its busiest link)
//   network/flow/         the flow-level model (max-min fair sharing, fluid state, solver and its heaps)
//   collectives/          collective plans and their algorithms, packed plans, the registry and the runner
export {
  chipSpecSchema,
  systemSpecSchema,
  intraServerLinkKinds,
  nicKinds,
  effectiveBandwidth,
  DEFAULT_MEMORY_RESERVE,
  DEFAULT_OVERLAP_SLOWDOWN,
  overlapSlowdownFactor,
  memoryReserveBytes,
} from './catalog/schema.ts';
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
} from './catalog/schema.ts';
export {
  loadCatalog,
  defaultCatalogDirectory,
  getDefaultCatalog,
  getChip,
  getSystem,
  listPresets,
  listChips,
} from './catalog/loader.ts';
export type { Catalog } from './catalog/loader.ts';
export { applyOverrides, applyChipOverrides } from './catalog/overrides.ts';
export type { NumericOverrides, SystemOverrides, ChipOverrides } from './catalog/overrides.ts';
export { buildCluster } from './cluster/builder.ts';
export type {
  Link,
  LinkKind,
  NodeKind,
  NodeInfo,
  Cluster,
  ClusterOverrides,
  BuildClusterOptions,
} from './cluster/types.ts';
export type { Flow, NetworkModel } from './network/types.ts';
export { createAnalyticalNetwork } from './network/analytical/model.ts';
export type { NetworkBuildOptions, NetworkCapabilities, NetworkModelEntry, NetworkModelName } from './network/registry.ts';
export { NETWORK_MODELS, networkModel, networkModelNames, registerNetworkModel, unregisterNetworkModel } from './network/registry.ts';
export type { NetworkContractOptions, NetworkContractProperty } from './network/contract/network-contract.ts';
export { checkNetworkModelContract, networkContractProperties } from './network/contract/network-contract.ts';
export { ceilSecondsToNs } from '../engine/index.ts';
export type { AnalyticalNetworkOptions } from './network/analytical/model.ts';
export { validateGroup, describeGroup } from './collectives/plan.ts';
export type { CollectiveOp, CollectiveAlgorithm, CollectivePlan, GroupOptions, TrafficMatrix } from './collectives/plan.ts';
export { allToAllV, allToAllPairwise, hierarchicalAllToAllV, hierarchicalAllToAllVPacked } from './collectives/alltoall.ts';
export { packedPhaseCount, unpackPhase, unpackPlan } from './collectives/packed-plan.ts';
export type { PackedPlan, PackedRoutes } from './network/types.ts';
export type { HierarchicalAllToAllOptions, CompiledAllToAll } from './collectives/alltoall-staged.ts';
export { compileHierarchicalAllToAll, fillHierarchicalAllToAll } from './collectives/alltoall-staged.ts';
export { pipelineInChunks, reverseCompiled } from './collectives/alltoall-chunked.ts';
export { compileNodeDedupAllToAll } from './collectives/alltoall-node-dedup.ts';
export type { CompiledNodeDedupAllToAll } from './collectives/alltoall-node-dedup.ts';
export { ringAllReduce, halvingDoublingAllReduce, meshAllReduce, hierarchicalAllReduce } from './collectives/allreduce.ts';
export type { HierarchicalAllReduceOptions } from './collectives/allreduce.ts';
export {
  ringAllGather,
  ringReduceScatter,
  meshAllGather,
  meshReduceScatter,
  hierarchicalAllGather,
  hierarchicalReduceScatter,
} from './collectives/gather.ts';
export { ringBroadcast, treeBroadcast, sendRecv, ringSendRecv, DEFAULT_BROADCAST_CHUNK_BYTES } from './collectives/broadcast.ts';
export type { BroadcastOptions, RingBroadcastOptions } from './collectives/broadcast.ts';
export { serverLayout } from './collectives/hierarchy.ts';
export type { HierarchyOptions, ServerLayout } from './collectives/hierarchy.ts';
export {
  collectiveOps,
  collectiveAlgorithms,
  parseCollectiveOp,
  checkCollectiveAlgorithm,
  planCollective,
  defaultCollectiveAlgorithm,
} from './collectives/registry.ts';
export type { CollectiveTopology } from './collectives/registry.ts';
export { checkCollectivePlan, planRankBytes } from './collectives/semantics.ts';
export type { PlanRankBytes } from './collectives/semantics.ts';
export { runCollective, runPackedCollective, simulateCollective } from './collectives/runner.ts';
export { algBandwidth, busBandwidth, busBandwidthFactor } from './collectives/bandwidth.ts';
export { fabricTopologies } from './catalog/schema.ts';
export type { FabricTopology, FabricUplinkSpec } from './catalog/schema.ts';
export type { FabricLayout, FabricTierLayout } from './cluster/types.ts';
export { fabricSettingsSchema, applyFabricSettings } from './catalog/fabric-settings.ts';
export type { FabricSettings } from './catalog/fabric-settings.ts';
export { findLinks, closeLinkNames } from './cluster/link-faults.ts';
export type { NamedLinks } from './cluster/link-faults.ts';
export { linkFaultSchema } from './cluster/link-fault-schema.ts';
export type { LinkFault } from './cluster/link-fault-schema.ts';
export { ecmpHash } from './fabric/ecmp-hash.ts';
// Flow-level network model and link activity (both models).
export { createFlowNetwork } from './network/flow/model.ts';
export type { FlowNetworkOptions } from './network/flow/model.ts';
export type { FlowAllocation } from './network/types.ts';
export { maxMinFairRates } from './network/flow/solver.ts';
export { LinkActivityRecorder } from './network/link-activity.ts';
export type { LinkActivity, LinkRateInterval, LinkActivityRecorderOptions } from './network/link-activity.ts';
export { linkUtilisation, busiestLinks } from './network/link-activity-analysis.ts';
export type { BusyLink } from './network/link-activity-analysis.ts';
