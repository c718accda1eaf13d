// Types of the built cluster: nodes (devices, NICs, switches, bridges), named directed links, the fabric's
// layout, and routes between devices (deterministic ECMP where a fabric offers several equal-cost paths).
import type { TimeNs } from '../../engine/index.ts';
import type { Catalog } from '../catalog/loader.ts';
import type { ChipSpec, FabricTopology, SystemSpec } from '../catalog/schema.ts';
import type { FabricSettings } from '../catalog/fabric-settings.ts';
import type { LinkFault } from './link-fault-schema.ts';
import type { ChipOverrides, SystemOverrides } from '../catalog/overrides.ts';

/**
 * `switch-port`: a trunk between two fabric switches (leaf↔spine, leaf↔aggregation, aggregation↔core).
 * `nic-attach`: a device's attachment to a NIC it shares with other devices (only when nicsPerServer < devicesPerServer).
 */
export type LinkKind = 'hccs' | 'pcie' | 'nvlink' | 'ub' | 'roce' | 'ib' | 'switch-port' | 'nic-attach';

/** One direction of a physical link. Each physical link is two Links with consecutive ids (2k: a→b, 2k+1: b→a). */
export interface Link {
  readonly id: number;
  /**
   * Stable human name, unique in the cluster: `d2→d5` (device to device), `d2↑s0.pcie0`, `s0.pcie0→s0.pcie1`,
   * `d2↑s0.switch`, `s3.nic5↑leaf0` (NIC port to its leaf), `leaf0↑spine1`, `spine1↓leaf0`, `pod0.agg2↑plane2.core0`.
   * ↑ goes towards the higher tier, ↓ away from it, → between peers.
   */
  readonly name: string;
  readonly from: number;
  readonly to: number;
  readonly kind: LinkKind;
  /** Bytes per second in this direction (line rate × efficiency × any fault's bandwidthFactor). */
  readonly bandwidth: number;
  readonly latencyNs: TimeNs;
  /** False when a fault took the link down: no route uses it. */
  readonly up: boolean;
  /** The product of the bandwidth factors of the faults on this link; 1 when healthy. */
  readonly bandwidthFactor: number;
}

/**
 * What a node is. Devices are nodes 0..devices-1; the others follow in build order: intra-server switches
 * and PCIe bridges server by server, then the fabric switches tier by tier, then shared NIC nodes (if any).
 */
export type NodeKind = 'device' | 'intra-switch' | 'pcie-bridge' | 'nic' | 'fabric-switch';

export interface NodeInfo {
  readonly id: number;
  readonly kind: NodeKind;
  /** Stable name: `d5`, `s0.pcie1`, `s0.switch`, `s0.ub`, `s0.nic3`, `switch`, `leaf4`, `spine0`, `su1.rail3`, `pod2.agg0`, `plane0.core3`. */
  readonly name: string;
  /** The server the node sits in, or -1 for fabric nodes shared by all servers. */
  readonly server: number;
  /** Latency added when a route passes through this node (not charged at the route's ends). */
  readonly traversalLatencyNs: TimeNs;
}

/** One tier of fabric switches, bottom (leaf or the single switch) first. */
export interface FabricTierLayout {
  readonly tier: 'switch' | 'leaf' | 'spine' | 'aggregation' | 'core';
  readonly switches: number;
  /** Trunks from one switch of this tier to the tier above (0 for the top tier). */
  readonly uplinksPerSwitch: number;
  /** Bytes/s of each such trunk per direction (0 for the top tier). */
  readonly uplinkBandwidth: number;
  /** Downlink capacity of one full switch of this tier, bytes/s per direction. */
  readonly downlinkCapacity: number;
}

export interface FabricLayout {
  readonly topology: FabricTopology;
  readonly nicsPerServer: number;
  readonly tiers: readonly FabricTierLayout[];
}

export interface Cluster {
  /** The system spec after fabric settings and overrides. */
  readonly system: SystemSpec;
  /** The chip spec after overrides. */
  readonly chip: ChipSpec;
  readonly servers: number;
  readonly devices: number;
  serverOf(device: number): number;
  /** Total node count: devices first (0..devices-1), then switches, bridges and NICs. */
  readonly nodes: number;
  nodeInfo(node: number): NodeInfo;
  /** Directed links; links[i].id === i. Down links stay in the list (ids are stable) with `up: false`. */
  readonly links: readonly Link[];
  /** The link with this exact name, or undefined. */
  linkByName(name: string): Link | undefined;
  /** Switch tiers of the fabric between servers. */
  readonly fabric: FabricLayout;
  /** The server-local NIC index device `device` uses: floor(local index × nicsPerServer / devicesPerServer). */
  nicOf(device: number): number;
  /** Node id of the fabric switch the device's NIC attaches to (its leaf, rail leaf, or the single switch). */
  leafOf(device: number): number;
  /**
   * Link ids from device src to device dst: deterministic and cached; empty when src === dst. Where several
   * equal-cost paths exist, one is picked by a hash of (src, dst): the same as routeForFlow(src, dst, 0).
   */
  route(src: number, dst: number): readonly number[];
  /**
   * Like route, with the ECMP hash also over `flowKey` (a safe integer), so parallel flows of one pair may take
   * different paths. Never cached (also the way to walk many routes without keeping them): flowKey 0 gives the
   * same links as route(src, dst).
   */
  routeForFlow(src: number, dst: number, flowKey: number): readonly number[];
  /** Sum of link latencies plus traversal latencies of the intermediate nodes of route(src, dst). */
  pathLatencyNs(src: number, dst: number): TimeNs;
  isIntraServer(src: number, dst: number): boolean;
}

export interface ClusterOverrides {
  readonly system?: SystemOverrides;
  readonly chip?: ChipOverrides;
}

export interface BuildClusterOptions {
  /** A system preset name from the catalog (see listPresets()). */
  readonly preset: string;
  /** Number of servers (for a supernode preset: number of supernodes). */
  readonly servers: number;
  /** Fabric settings laid over the preset's fabric (may change its topology); applied before `overrides`. */
  readonly fabric?: FabricSettings;
  readonly overrides?: ClusterOverrides;
  /** Links to take down or degrade, by name or glob (see findLinks). */
  readonly faults?: readonly LinkFault[];
  /** Catalog to take the preset from; default: the repository catalog. */
  readonly catalog?: Catalog;
}
