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
export { createAnalyticalNetwork, ceilSecondsToNs } from './network-analytical.ts';
export type { AnalyticalNetworkOptions } from './network-analytical.ts';
export {
  allToAllV,
  allToAllPairwise,
  ringAllReduce,
  ringAllGather,
  ringReduceScatter,
  validateGroup,
} from './collectives.ts';
export type { CollectiveOp, CollectivePlan, GroupOptions, TrafficMatrix } from './collectives.ts';
export { runCollective } from './collective-runner.ts';
export { algBandwidth, busBandwidth, busBandwidthFactor } from './collective-bandwidth.ts';
