// Builds a Cluster from a catalog preset, a server count and scenario overrides: nodes, directed links,
// and cached deterministic routes between devices (intra-server per the system kind, else via the fabric).
import { InputError } from '../engine/index.ts';
import type { TimeNs } from '../engine/index.ts';
import { getChip, getDefaultCatalog, getSystem } from './catalog-loader.ts';
import type { BuildClusterOptions, Cluster, NodeInfo } from './cluster-types.ts';
import { wireFabric } from './fabric-wiring.ts';
import { LinkGraph } from './link-graph.ts';
import type { NodePathRouter } from './link-graph.ts';
import { applyChipOverrides, applyOverrides } from './overrides.ts';
import { wireServer } from './server-wiring.ts';

/** Largest device count we build (keeps route-cache keys exact and memory bounded). */
const MAX_DEVICES = 1 << 20;

export function buildCluster(options: BuildClusterOptions): Cluster {
  const catalog = options.catalog ?? getDefaultCatalog();
  const preset = getSystem(options.preset, catalog);
  const { servers } = options;
  if (!Number.isInteger(servers) || servers < 1) {
    throw new InputError(`servers: expected a positive integer, got ${String(servers)}`, 'servers');
  }
  const system = options.overrides?.system ? applyOverrides(preset, options.overrides.system, 'overrides.system') : preset;
  const baseChip = getChip(system.chip, catalog);
  const chip = options.overrides?.chip ? applyChipOverrides(baseChip, options.overrides.chip, 'overrides.chip') : baseChip;
  const { devicesPerServer } = system;
  const devices = servers * devicesPerServer;
  if (devices > MAX_DEVICES) {
    throw new InputError(`servers: ${servers} servers × ${devicesPerServer} devices exceeds ${MAX_DEVICES} devices`, 'servers');
  }

  const graph = new LinkGraph();
  for (let d = 0; d < devices; d++) graph.addNode('device', Math.floor(d / devicesPerServer), 0);
  const serverRouters: NodePathRouter[] = [];
  for (let s = 0; s < servers; s++) {
    serverRouters.push(wireServer(graph, s, s * devicesPerServer, devicesPerServer, system.intraServer));
  }
  const fabricRouter = wireFabric(graph, system, servers);
  const links = Object.freeze(graph.links.slice());
  const nodeInfos: readonly NodeInfo[] = Object.freeze(graph.nodes.slice());

  const checkDevice = (device: number, role: string): void => {
    if (!Number.isInteger(device) || device < 0 || device >= devices) {
      throw new RangeError(`${role} ${String(device)} is not a device of this cluster (devices are 0..${devices - 1})`);
    }
  };
  const serverOf = (device: number): number => {
    checkDevice(device, 'device');
    return Math.floor(device / devicesPerServer);
  };
  const isIntraServer = (src: number, dst: number): boolean => serverOf(src) === serverOf(dst);

  const routeCache = new Map<number, readonly number[]>();
  const latencyCache = new Map<number, TimeNs>();
  const route = (src: number, dst: number): readonly number[] => {
    checkDevice(src, 'route source');
    checkDevice(dst, 'route destination');
    const key = src * devices + dst;
    const cached = routeCache.get(key);
    if (cached !== undefined) return cached;
    let path: readonly number[] = [];
    if (src !== dst) {
      const server = Math.floor(src / devicesPerServer);
      path = server === Math.floor(dst / devicesPerServer) ? (serverRouters[server] as NodePathRouter)(src, dst) : fabricRouter(src, dst);
    }
    const ids = Object.freeze(graph.pathToLinks(path));
    routeCache.set(key, ids);
    return ids;
  };
  const pathLatencyNs = (src: number, dst: number): TimeNs => {
    const key = src * devices + dst;
    const cached = latencyCache.get(key);
    if (cached !== undefined) return cached;
    const ids = route(src, dst);
    let total = 0;
    for (let i = 0; i < ids.length; i++) {
      const link = links[ids[i] as number];
      if (link === undefined) throw new Error(`internal: route uses unknown link ${String(ids[i])}`);
      total += link.latencyNs;
      if (i > 0) total += (nodeInfos[link.from] as NodeInfo).traversalLatencyNs;
    }
    latencyCache.set(key, total);
    return total;
  };
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
    serverOf,
    nodeInfo,
    route,
    pathLatencyNs,
    isIntraServer,
  });
}
