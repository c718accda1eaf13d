// Wires the network between servers into the link graph and returns the router for inter-server pairs.
// First cut: one NIC per device (device i ↔ NIC i, as on Atlas 800T A2 and DGX), each NIC an up/down link
// to a single non-blocking fabric switch. Fat-tree tiers will be further cases of `fabric.topology`.
import { InputError, secondsToNs } from '../engine/index.ts';
import type { SystemSpec } from './catalog-schema.ts';
import { effectiveBandwidth } from './catalog-schema.ts';
import type { LinkGraph, NodePathRouter } from './link-graph.ts';

export function wireFabric(graph: LinkGraph, system: SystemSpec, servers: number): NodePathRouter {
  const { fabric, devicesPerServer } = system;
  if (fabric.nicsPerServer !== devicesPerServer) {
    throw new InputError(
      `system "${system.name}": fabric.nicsPerServer (${fabric.nicsPerServer}) must equal devicesPerServer ` +
        `(${devicesPerServer}) for now: the builder gives each device its own NIC`,
      'fabric.nicsPerServer',
    );
  }
  switch (fabric.topology) {
    case 'single-switch': {
      const fabricSwitch = graph.addNode('fabric-switch', -1, secondsToNs(fabric.switchLatency.value));
      const latencyNs = secondsToNs(fabric.nic.latency.value);
      const devices = servers * devicesPerServer;
      // The NIC is folded into the device↔switch link: its latency is charged on the uplink and on the downlink.
      for (let device = 0; device < devices; device++) {
        graph.addDuplexLink(device, fabricSwitch, fabric.nic.kind, effectiveBandwidth(fabric.nic), latencyNs);
      }
      return (src, dst) => [src, fabricSwitch, dst];
    }
  }
}
