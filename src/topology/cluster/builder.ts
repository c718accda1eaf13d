// Builds a Cluster from a catalog preset, a server count, fabric settings, overrides and link faults: named
// nodes and directed links, then lazily computed, cached routes between devices (intra-server per the system
// kind, else through the fabric with deterministic ECMP). Faults are applied to the built links; when a link
// is down the builder checks once that no pair of devices is cut off and fails naming a cut pair otherwise.
import { InputError } from '../../engine/index.ts';
import type { TimeNs } from '../../engine/index.ts';
import { getChip, getDefaultCatalog, getSystem } from '../catalog/loader.ts';
import type { BuildClusterOptions, Cluster, Link, NodeInfo } from './types.ts';
import type { ChipSpec, SystemSpec } from '../catalog/schema.ts';
import { applyFabricSettings } from '../catalog/fabric-settings.ts';
import type { FabricRouter } from '../fabric/router.ts';
import { wireFabric } from '../fabric/wiring.ts';
import { LinkGraph, NodeLevel } from './link-graph.ts';
import type { NodePathRouter } from './link-graph.ts';
import { applyLinkFaults } from './link-faults.ts';
import type { LinkFault } from './link-fault-schema.ts';
import { applyChipOverrides, applyOverrides } from '../catalog/overrides.ts';
import { checkNoCut, cutError } from './route-cuts.ts';
import type { CutContext } from './route-cuts.ts';
import { wireServer } from './server-wiring.ts';

/** Largest device count we build (keeps route-cache keys exact and memory bounded). */
const MAX_DEVICES = 1 << 20;

export function buildCluster(options: BuildClusterOptions): Cluster {
  const { system, chip, servers, devices } = resolveHardware(options);
  const { devicesPerServer } = system;
  const wired = wireCluster(system, servers, devices, options.faults ?? []);
  const { graph, links, nodeInfos, fabric } = wired;
  const linkByName = (name: string): Link | undefined => {
    const id = graph.linkByName.get(name);
    return id === undefined ? undefined : links[id];
  };
  const checkDevice = deviceChecker(devices);
  const serverOf = (device: number): number => {
    checkDevice(device, 'device');
    return Math.floor(device / devicesPerServer);
  };
  const isIntraServer = (src: number, dst: number): boolean => serverOf(src) === serverOf(dst);
  const { route, routeForFlow, pathLatencyNs } = clusterRoutes(wired, devices, devicesPerServer, checkDevice);
  const nodeInfo = (node: number): NodeInfo => {
    const info = nodeInfos[node];
    if (info === undefined) throw new RangeError(`node ${node} does not exist (nodes are 0..${nodeInfos.length - 1})`);
    return info;
  };

  return Object.freeze({
    system,
    chip,
    servers,
    devices,
    nodes: nodeInfos.length,
    links,
    linkByName,
    fabric: fabric.layout,
    nicOf: (device: number) => {
      checkDevice(device, 'device');
      return fabric.nicOf(device);
    },
    leafOf: (device: number) => {
      checkDevice(device, 'device');
      return fabric.leafOf(device);
    },
    serverOf,
    nodeInfo,
    route,
    routeForFlow,
    pathLatencyNs,
    isIntraServer,
  });
}

/** The system (preset, fabric settings, overrides) and chip of a cluster, and its checked server and device counts. */
function resolveHardware(options: BuildClusterOptions): { system: SystemSpec; chip: ChipSpec; servers: number; devices: number } {
  const catalog = options.catalog ?? getDefaultCatalog();
  const preset = getSystem(options.preset, catalog);
  const { servers } = options;
  if (!Number.isInteger(servers) || servers < 1) {
    throw new InputError(`servers: expected a positive integer, got ${String(servers)}`, 'servers');
  }
  const withFabric = options.fabric ? applyFabricSettings(preset, options.fabric, 'cluster.fabric') : preset;
  const system = options.overrides?.system ? applyOverrides(withFabric, options.overrides.system, 'overrides.system') : withFabric;
  const baseChip = getChip(system.chip, catalog);
  const chip = options.overrides?.chip ? applyChipOverrides(baseChip, options.overrides.chip, 'overrides.chip') : baseChip;
  const { devicesPerServer } = system;
  const devices = servers * devicesPerServer;
  if (devices > MAX_DEVICES) {
    throw new InputError(`servers: ${servers} servers × ${devicesPerServer} devices exceeds ${MAX_DEVICES} devices`, 'servers');
  }
  return { system, chip, servers, devices };
}

/** A cluster's nodes and links before routing: the link graph, each server's router, the fabric's, and the faults. */
interface WiredCluster {
  readonly graph: LinkGraph;
  readonly serverRouters: readonly NodePathRouter[];
  readonly fabric: FabricRouter;
  /** The built links with the faults applied (frozen). */
  readonly links: readonly Link[];
  readonly nodeInfos: readonly NodeInfo[];
  /** down[id] === 1 for links a fault took down. */
  readonly down: Uint8Array;
  readonly anyDown: boolean;
  readonly cutContext: CutContext;
}

/** Wires the devices, every server and the fabric, applies the faults and, when a link is down, checks for cuts. */
function wireCluster(system: SystemSpec, servers: number, devices: number, faults: readonly LinkFault[]): WiredCluster {
  const { devicesPerServer } = system;
  const graph = new LinkGraph();
  for (let d = 0; d < devices; d++) graph.addNode('device', Math.floor(d / devicesPerServer), 0, `d${d}`, NodeLevel.device);
  const serverRouters: NodePathRouter[] = [];
  for (let s = 0; s < servers; s++) {
    serverRouters.push(wireServer(graph, s, s * devicesPerServer, devicesPerServer, system.intraServer));
  }
  const fabric = wireFabric(graph, system, servers);
  const builtLinkByName = (name: string): Link | undefined => {
    const id = graph.linkByName.get(name);
    return id === undefined ? undefined : graph.links[id];
  };
  const faulted = applyLinkFaults({ links: graph.links, linkByName: builtLinkByName }, faults);
  const links: readonly Link[] = Object.freeze(faulted.links.slice());
  const { down, anyDown } = faulted;
  const nodeInfos: readonly NodeInfo[] = Object.freeze(graph.nodes.slice());
  const cutContext: CutContext = { links, nodes: nodeInfos, down, devicesPerServer, fabric };
  if (anyDown) checkNoCut(cutContext, graph, serverRouters);
  return { graph, serverRouters, fabric, links, nodeInfos, down, anyDown, cutContext };
}

/** Throws a RangeError naming `role` unless `device` is one of the cluster's devices. */
function deviceChecker(devices: number): (device: number, role: string) => void {
  return (device: number, role: string): void => {
    if (!Number.isInteger(device) || device < 0 || device >= devices) {
      throw new RangeError(`${role} ${String(device)} is not a device of this cluster (devices are 0..${devices - 1})`);
    }
  };
}

/** The cluster's route, routeForFlow and pathLatencyNs, over lazily filled caches. */
function clusterRoutes(
  wired: WiredCluster,
  devices: number,
  devicesPerServer: number,
  checkDevice: (device: number, role: string) => void,
): Pick<Cluster, 'route' | 'routeForFlow' | 'pathLatencyNs'> {
  const { graph, serverRouters, fabric, links, nodeInfos, down, anyDown, cutContext } = wired;
  /** Link ids src → dst for a flow key; src and dst are valid devices. */
  const computeRoute = (src: number, dst: number, flowKey: number): readonly number[] => {
    if (src === dst) return Object.freeze([]);
    const server = Math.floor(src / devicesPerServer);
    let ids: number[] | undefined;
    if (server === Math.floor(dst / devicesPerServer)) {
      ids = graph.pathToLinks((serverRouters[server] as NodePathRouter)(src, dst));
      if (anyDown && ids.some((id) => down[id] === 1)) ids = undefined;
    } else {
      ids = fabric.route(src, dst, flowKey, down);
    }
    if (ids === undefined) throw cutError(cutContext, src, dst);
    return Object.freeze(ids);
  };

  // Lazily filled caches, one sparse row per source device (allocated on its first route): no all-pairs
  // precomputation, and no dense device-wide rows (at 4,096 devices those held 270 MB, mostly empty).
  const routeRows: (Map<number, readonly number[]> | undefined)[] = new Array<undefined>(devices).fill(undefined);
  const latencyRows: (Map<number, number> | undefined)[] = new Array<undefined>(devices).fill(undefined);
  const route = (src: number, dst: number): readonly number[] => {
    checkDevice(src, 'route source');
    checkDevice(dst, 'route destination');
    let row = routeRows[src];
    if (row === undefined) {
      row = new Map();
      routeRows[src] = row;
    }
    let ids = row.get(dst);
    if (ids === undefined) {
      ids = computeRoute(src, dst, 0);
      row.set(dst, ids);
    }
    return ids;
  };
  const routeForFlow = (src: number, dst: number, flowKey: number): readonly number[] => {
    if (!Number.isSafeInteger(flowKey)) throw new RangeError(`flowKey must be a safe integer, got ${String(flowKey)}`);
    checkDevice(src, 'route source');
    checkDevice(dst, 'route destination');
    return computeRoute(src, dst, flowKey);
  };
  const pathLatencyNs = (src: number, dst: number): TimeNs => {
    const ids = route(src, dst);
    let row = latencyRows[src];
    if (row === undefined) {
      row = new Map();
      latencyRows[src] = row;
    }
    const cached = row.get(dst);
    if (cached !== undefined) return cached;
    let total = 0;
    for (let i = 0; i < ids.length; i++) {
      const link = links[ids[i]!];
      if (link === undefined) throw new Error(`internal: route uses unknown link ${String(ids[i])}`);
      total += link.latencyNs;
      if (i > 0) total += (nodeInfos[link.from] as NodeInfo).traversalLatencyNs;
    }
    row.set(dst, total);
    return total;
  };
  return { route, routeForFlow, pathLatencyNs };
}
