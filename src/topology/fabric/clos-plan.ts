// Sizes a multi-tier fabric from its spec and the server count: leaves, pods, switches per tier, and the
// bandwidth of each trunk. A tier's uplink capacity is exactly its downlink capacity / oversubscription, split
// evenly over the trunks to the switches above (one trunk per upper switch; parallel ports are aggregated).
// The uplink port line rate only sets the default number of upper switches (uplink line capacity / port rate,
// rounded up). A partial last leaf or pod keeps the uplinks of a full one (a switch not fully populated).
import { InputError, secondsToNs } from '../../engine/index.ts';
import type { TimeNs } from '../../engine/index.ts';
import type { FabricSpec } from '../catalog/schema.ts';
import { effectiveBandwidth } from '../catalog/schema.ts';
import type { FabricLayout, FabricTierLayout } from '../cluster/types.ts';

/** Fabric specs with a leaf tier. */
export type ClosFabricSpec = Exclude<FabricSpec, { topology: 'single-switch' }>;

export interface ClosPlan {
  readonly spec: ClosFabricSpec;
  readonly serversPerLeaf: number;
  /** Rail leaves per group of servers: nicsPerServer for rail-optimised, else 1. */
  readonly railsPerGroup: number;
  readonly leaves: number;
  /** Leaves sharing one set of second-tier switches (all leaves in the 2-tier kinds). */
  readonly leavesPerPod: number;
  readonly pods: number;
  /** Second-tier switches per pod: spines (2-tier) or aggregation switches (fat-tree-3). */
  readonly secondTierPerPod: number;
  /** Core switches per plane (fat-tree-3), else 0. */
  readonly coresPerPlane: number;
  readonly leafTrunkBandwidth: number;
  readonly leafTrunkLatencyNs: TimeNs;
  readonly coreTrunkBandwidth: number;
  readonly coreTrunkLatencyNs: TimeNs;
  readonly layout: FabricLayout;
}

/** Largest number of switch-to-switch trunks we build (memory and build time stay bounded). */
const MAX_TRUNKS = 1 << 22;

/** Upper switches one switch needs for `lineCapacity` bytes/s of uplinks at `portRate` each (rounded up). */
function portsFor(lineCapacity: number, portRate: number): number {
  return Math.max(1, Math.ceil(lineCapacity / portRate - 1e-9));
}

export function planClosFabric(spec: ClosFabricSpec, servers: number): ClosPlan {
  const nics = spec.nicsPerServer;
  const serversPerLeaf = spec.serversPerLeaf.value;
  const railsPerGroup = spec.topology === 'rail-optimised' ? nics : 1;
  const portsDown = serversPerLeaf * (spec.topology === 'rail-optimised' ? 1 : nics);
  const leafDown = portsDown * effectiveBandwidth(spec.nic);
  const ratio = spec.leafOversubscription.value;
  const leafUpLine = (portsDown * spec.nic.bandwidth.value) / ratio;
  const leaves = Math.ceil(servers / serversPerLeaf) * railsPerGroup;
  const explicitSecond = spec.topology === 'fat-tree-3' ? spec.aggregationsPerPod : spec.spines;
  const secondTierPerPod = explicitSecond?.value ?? portsFor(leafUpLine, spec.leafUplink.portBandwidth.value);
  const leafTrunkBandwidth = leafDown / ratio / secondTierPerPod;
  const leafTrunkLatencyNs = secondsToNs(spec.leafUplink.latency.value);

  let leavesPerPod = leaves;
  let pods = 1;
  let coresPerPlane = 0;
  let coreTrunkBandwidth = 0;
  let coreTrunkLatencyNs = 0;
  const secondName = spec.topology === 'fat-tree-3' ? 'aggregation' : 'spine';
  const tiers: FabricTierLayout[] = [
    { tier: 'leaf', switches: leaves, uplinksPerSwitch: secondTierPerPod, uplinkBandwidth: leafTrunkBandwidth, downlinkCapacity: leafDown },
  ];
  if (spec.topology === 'fat-tree-3') {
    leavesPerPod = spec.leavesPerPod.value;
    pods = Math.ceil(leaves / leavesPerPod);
    const aggDown = leavesPerPod * leafTrunkBandwidth;
    const aggRatio = spec.aggregationOversubscription.value;
    const aggUpLine = (leavesPerPod * (leafUpLine / secondTierPerPod)) / aggRatio;
    coresPerPlane = spec.coresPerPlane?.value ?? portsFor(aggUpLine, spec.aggregationUplink.portBandwidth.value);
    coreTrunkBandwidth = aggDown / aggRatio / coresPerPlane;
    coreTrunkLatencyNs = secondsToNs(spec.aggregationUplink.latency.value);
    tiers.push(
      { tier: 'aggregation', switches: pods * secondTierPerPod, uplinksPerSwitch: coresPerPlane, uplinkBandwidth: coreTrunkBandwidth, downlinkCapacity: aggDown },
      { tier: 'core', switches: secondTierPerPod * coresPerPlane, uplinksPerSwitch: 0, uplinkBandwidth: 0, downlinkCapacity: pods * coreTrunkBandwidth },
    );
  } else {
    tiers.push({ tier: 'spine', switches: secondTierPerPod, uplinksPerSwitch: 0, uplinkBandwidth: 0, downlinkCapacity: leaves * leafTrunkBandwidth });
  }
  const trunks = leaves * secondTierPerPod + pods * secondTierPerPod * coresPerPlane;
  if (trunks > MAX_TRUNKS) {
    throw new InputError(
      `fabric: ${leaves} leaves × ${secondTierPerPod} ${secondName} switches gives ${trunks} switch-to-switch trunks, ` +
        `more than the ${MAX_TRUNKS} moesim builds; use fewer switches (fabric.spines / aggregationsPerPod / coresPerPlane) or more servers per leaf`,
      'fabric',
    );
  }
  return {
    spec,
    serversPerLeaf,
    railsPerGroup,
    leaves,
    leavesPerPod,
    pods,
    secondTierPerPod,
    coresPerPlane,
    leafTrunkBandwidth,
    leafTrunkLatencyNs,
    coreTrunkBandwidth,
    coreTrunkLatencyNs,
    layout: Object.freeze({ topology: spec.topology, nicsPerServer: nics, tiers: Object.freeze(tiers) }),
  };
}
