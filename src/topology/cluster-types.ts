// Types of the built cluster: nodes (devices, switches, bridges), directed links, routes between devices.
import type { TimeNs } from '../engine/index.ts';
import type { Catalog } from './catalog-loader.ts';
import type { ChipSpec, SystemSpec } from './catalog-schema.ts';
import type { ChipOverrides, SystemOverrides } from './overrides.ts';

export type LinkKind = 'hccs' | 'pcie' | 'nvlink' | 'ub' | 'roce' | 'ib' | 'switch-port';

/** One direction of a physical link. Each physical link is two Links with consecutive ids (2k: a→b, 2k+1: b→a). */
export interface Link {
  readonly id: number;
  readonly from: number;
  readonly to: number;
  readonly kind: LinkKind;
  /** Bytes per second in this direction. */
  readonly bandwidth: number;
  readonly latencyNs: TimeNs;
}

/**
 * What a node is. Devices are nodes 0..devices-1; the others follow in build order:
 * intra-server switches and PCIe bridges server by server, then the fabric switches.
 */
export type NodeKind = 'device' | 'intra-switch' | 'pcie-bridge' | 'fabric-switch';

export interface NodeInfo {
  readonly id: number;
  readonly kind: NodeKind;
  /** The server the node sits in, or -1 for fabric nodes shared by all servers. */
  readonly server: number;
  /** Latency added when a route passes through this node (not charged at the route's ends). */
  readonly traversalLatencyNs: TimeNs;
}

export interface Cluster {
  /** The system spec after overrides. */
  readonly system: SystemSpec;
  /** The chip spec after overrides. */
  readonly chip: ChipSpec;
  readonly servers: number;
  readonly devices: number;
  serverOf(device: number): number;
  /** Total node count: devices first (0..devices-1), then switches and bridges. */
  readonly nodes: number;
  nodeInfo(node: number): NodeInfo;
  /** Directed links; links[i].id === i. */
  readonly links: readonly Link[];
  /** Link ids from device src to device dst: deterministic, cached; empty when src === dst. */
  route(src: number, dst: number): readonly number[];
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
  readonly overrides?: ClusterOverrides;
  /** Catalog to take the preset from; default: the repository catalog. */
  readonly catalog?: Catalog;
}
