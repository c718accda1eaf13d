// Wires the inside of one server into the link graph, per the system's intra-server kind, and returns
// the router for device pairs inside that server. Kinds: full-mesh, mesh-groups-pcie, switch, supernode.
// Node names: PCIe bridges `s<server>.pcie<group>`, the intra-server switch `s<server>.switch` (`s<server>.ub`).
import { secondsToNs } from '../../engine/index.ts';
import type { IntraServerLinkSpec, IntraServerSpec } from '../catalog/schema.ts';
import { effectiveBandwidth } from '../catalog/schema.ts';
import { NodeLevel } from './link-graph.ts';
import type { LinkGraph, NodePathRouter } from './link-graph.ts';

function addLink(graph: LinkGraph, a: number, b: number, link: IntraServerLinkSpec): void {
  graph.addDuplexLink(a, b, link.kind, effectiveBandwidth(link), secondsToNs(link.latency.value));
}

/** A direct link between every pair of `devices`. Link ids follow (a, b) in lexicographic order, a < b. */
function wireFullMesh(graph: LinkGraph, devices: readonly number[], link: IntraServerLinkSpec): void {
  for (let i = 0; i < devices.length; i++) {
    for (let j = i + 1; j < devices.length; j++) addLink(graph, devices[i]!, devices[j]!, link);
  }
}

/**
 * Wires server `server`, whose devices are firstDevice..firstDevice+devicesPerServer-1, and returns the
 * node-path router for pairs of devices both inside it.
 */
export function wireServer(
  graph: LinkGraph,
  server: number,
  firstDevice: number,
  devicesPerServer: number,
  spec: IntraServerSpec,
): NodePathRouter {
  const devices = Array.from({ length: devicesPerServer }, (_, i) => firstDevice + i);
  switch (spec.kind) {
    case 'full-mesh': {
      wireFullMesh(graph, devices, spec.link);
      return (src, dst) => [src, dst];
    }
    case 'mesh-groups-pcie': {
      // Each group is a full mesh; each group has a PCIe bridge (the host root complex) that every
      // device of the group reaches over PCIe; bridges are joined pairwise over PCIe. Cross-group
      // traffic goes device → own bridge → other bridge → device, so it shares the inter-group link.
      const groups = devicesPerServer / spec.groupSize;
      const bridges: number[] = [];
      for (let g = 0; g < groups; g++) {
        wireFullMesh(graph, devices.slice(g * spec.groupSize, (g + 1) * spec.groupSize), spec.link);
      }
      for (let g = 0; g < groups; g++) bridges.push(graph.addNode('pcie-bridge', server, 0, `s${server}.pcie${g}`, NodeLevel.attachment));
      for (let g = 0; g < groups; g++) {
        for (let k = 0; k < spec.groupSize; k++) {
          addLink(graph, devices[g * spec.groupSize + k]!, bridges[g]!, spec.pcieLink);
        }
      }
      for (let g = 0; g < groups; g++) {
        for (let h = g + 1; h < groups; h++) addLink(graph, bridges[g]!, bridges[h]!, spec.pcieLink);
      }
      const groupOf = (device: number) => Math.floor((device - firstDevice) / spec.groupSize);
      return (src, dst) => {
        const gs = groupOf(src);
        const gd = groupOf(dst);
        return gs === gd ? [src, dst] : [src, bridges[gs]!, bridges[gd]!, dst];
      };
    }
    case 'switch':
    case 'supernode': {
      const name = `s${server}.${spec.kind === 'supernode' ? 'ub' : 'switch'}`;
      const hub = graph.addNode('intra-switch', server, secondsToNs(spec.switchLatency.value), name, NodeLevel.attachment);
      for (const device of devices) addLink(graph, device, hub, spec.link);
      return (src, dst) => [src, hub, dst];
    }
  }
}
