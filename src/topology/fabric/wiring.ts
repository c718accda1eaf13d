// Wires the network between servers into the link graph and returns its FabricRouter. `single-switch`: every
// NIC port on one non-blocking fabric switch named `switch`. The multi-tier kinds (fat-tree-2, fat-tree-3,
// rail-optimised) are in clos.ts; NIC ports and the device→NIC mapping in nic-attachment.ts.
import { secondsToNs } from '../../engine/index.ts';
import type { SystemSpec } from '../catalog/schema.ts';
import { effectiveBandwidth } from '../catalog/schema.ts';
import type { FabricTierLayout } from '../cluster/types.ts';
import { wireClosFabric } from './clos.ts';
import type { FabricRouter } from './router.ts';
import { NodeLevel } from '../cluster/link-graph.ts';
import type { LinkGraph } from '../cluster/link-graph.ts';
import { NicAttachment } from './nic-attachment.ts';

export function wireFabric(graph: LinkGraph, system: SystemSpec, servers: number): FabricRouter {
  const { fabric } = system;
  if (fabric.topology !== 'single-switch') return wireClosFabric(graph, { ...system, fabric }, servers);
  const fabricSwitch = graph.addNode('fabric-switch', -1, secondsToNs(fabric.switchLatency.value), 'switch', NodeLevel.leaf);
  const attachment = new NicAttachment(graph, system, servers, 1, () => ({ node: fabricSwitch, index: 0 }));
  const portCapacity = servers * fabric.nicsPerServer * effectiveBandwidth(fabric.nic);
  const tier: FabricTierLayout = { tier: 'switch', switches: 1, uplinksPerSwitch: 0, uplinkBandwidth: 0, downlinkCapacity: portCapacity };
  return {
    layout: Object.freeze({ topology: fabric.topology, nicsPerServer: fabric.nicsPerServer, tiers: Object.freeze([tier]) }),
    nicOf: (device) => attachment.nicOf(device),
    leafOf: () => fabricSwitch,
    route(src, dst, _flowKey, down) {
      const out: number[] = [];
      if (!attachment.appendUp(src, out, down)) return undefined;
      return attachment.appendDown(dst, out, down) ? out : undefined;
    },
    findCut: (down) => attachment.findCut(servers, down),
  };
}
