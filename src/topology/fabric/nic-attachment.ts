// Attaches every server's NIC ports to their fabric switches and maps devices to NICs. Device local index k of
// a server with n NICs and m devices uses NIC floor(k·n/m): contiguous blocks as even as possible (8 devices on
// 4 NICs: devices 0–1 → nic0, 2–3 → nic1, …). With one NIC per device the NIC is folded into the device↔switch
// link (named after the NIC: `s3.nic5↑leaf0`); with shared NICs each NIC is a node `s3.nic1` that its devices
// reach over a `nic-attach` link of NIC bandwidth and no latency, so the NIC port is the shared bottleneck.
// A device never uses another device's NIC (traffic through a NIC not its own is not modelled).
import { secondsToNs } from '../../engine/index.ts';
import type { SystemSpec } from '../catalog/schema.ts';
import { effectiveBandwidth } from '../catalog/schema.ts';
import { NodeLevel } from '../cluster/link-graph.ts';
import type { LinkGraph } from '../cluster/link-graph.ts';

/** The switch a NIC port plugs into: its node id and its index among the fabric's leaves. */
export interface LeafPort {
  readonly node: number;
  readonly index: number;
}

export class NicAttachment {
  /** Per device: the first link up (device→leaf, or device→NIC when shared). */
  private readonly firstUp: Int32Array;
  /** Per device: NIC→leaf when the NIC is shared, else -1. */
  private readonly secondUp: Int32Array;
  /** Per device: index of its leaf; and the leaf's node id. */
  readonly leafIndexOf: Int32Array;
  readonly leafNodeOf: Int32Array;
  /** Per leaf index: the lowest device attached to it (-1 if none). */
  readonly firstDeviceOfLeaf: Int32Array;
  /** Per leaf index: the lowest device attached to it on another server than firstDeviceOfLeaf's (-1 if none). */
  readonly otherServerDeviceOfLeaf: Int32Array;
  private readonly devicesPerServer: number;
  private readonly nics: number;

  constructor(graph: LinkGraph, system: SystemSpec, servers: number, leaves: number, leafFor: (server: number, nic: number) => LeafPort) {
    const { fabric, devicesPerServer } = system;
    const nics = fabric.nicsPerServer;
    const devices = servers * devicesPerServer;
    this.devicesPerServer = devicesPerServer;
    this.nics = nics;
    this.firstUp = new Int32Array(devices);
    this.secondUp = new Int32Array(devices).fill(-1);
    this.leafIndexOf = new Int32Array(devices);
    this.leafNodeOf = new Int32Array(devices);
    this.firstDeviceOfLeaf = new Int32Array(leaves).fill(-1);
    this.otherServerDeviceOfLeaf = new Int32Array(leaves).fill(-1);
    const bandwidth = effectiveBandwidth(fabric.nic);
    const latencyNs = secondsToNs(fabric.nic.latency.value);
    const shared = nics < devicesPerServer;
    for (let s = 0; s < servers; s++) {
      for (let r = 0; r < nics; r++) {
        const leaf = leafFor(s, r);
        const label = `s${s}.nic${r}`;
        const firstLocal = Math.ceil((r * devicesPerServer) / nics);
        const endLocal = Math.ceil(((r + 1) * devicesPerServer) / nics);
        let nicToLeaf = -1;
        let nicNode = -1;
        if (shared) {
          nicNode = graph.addNode('nic', s, 0, label, NodeLevel.attachment);
          nicToLeaf = graph.addDuplexLink(nicNode, leaf.node, fabric.nic.kind, bandwidth, latencyNs);
        }
        for (let k = firstLocal; k < endLocal; k++) {
          const device = s * devicesPerServer + k;
          this.firstUp[device] = shared
            ? graph.addDuplexLink(device, nicNode, 'nic-attach', bandwidth, 0)
            : graph.addDuplexLink(device, leaf.node, fabric.nic.kind, bandwidth, latencyNs, label);
          this.secondUp[device] = nicToLeaf;
          this.leafIndexOf[device] = leaf.index;
          this.leafNodeOf[device] = leaf.node;
          const first = this.firstDeviceOfLeaf[leaf.index]!;
          if (first < 0) this.firstDeviceOfLeaf[leaf.index] = device;
          else if (this.otherServerDeviceOfLeaf[leaf.index]! < 0 && Math.floor(first / devicesPerServer) !== s) {
            this.otherServerDeviceOfLeaf[leaf.index] = device;
          }
        }
      }
    }
  }

  /** The server-local NIC index of a device: floor(local index × nics / devicesPerServer). */
  nicOf(device: number): number {
    return Math.floor(((device % this.devicesPerServer) * this.nics) / this.devicesPerServer);
  }

  /** Appends the links from `device` up to its leaf; false when one of them is down. */
  appendUp(device: number, out: number[], down: Uint8Array): boolean {
    const first = this.firstUp[device]!;
    const second = this.secondUp[device]!;
    out.push(first);
    if (second >= 0) out.push(second);
    return down[first] === 0 && (second < 0 || down[second] === 0);
  }

  /** Appends the links from the device's leaf down to `device`; false when one of them is down. */
  appendDown(device: number, out: number[], down: Uint8Array): boolean {
    const first = this.firstUp[device]! + 1;
    const second = this.secondUp[device]!;
    if (second >= 0) out.push(second + 1);
    out.push(first);
    return down[first] === 0 && (second < 0 || down[second + 1] === 0);
  }

  /**
   * Two devices on different servers attached to leaves a and b (a ≠ b), or undefined when no such pair exists
   * (rail leaves of a group with a single server carry no inter-server traffic between them).
   */
  interServerPair(a: number, b: number): [number, number] | undefined {
    const server = (device: number): number => Math.floor(device / this.devicesPerServer);
    const firstA = this.firstDeviceOfLeaf[a]!;
    const firstB = this.firstDeviceOfLeaf[b]!;
    if (firstA < 0 || firstB < 0) return undefined;
    if (server(firstA) !== server(firstB)) return [firstA, firstB];
    const otherB = this.otherServerDeviceOfLeaf[b]!;
    if (otherB >= 0) return [firstA, otherB];
    const otherA = this.otherServerDeviceOfLeaf[a]!;
    return otherA >= 0 ? [otherA, firstB] : undefined;
  }

  /** A device whose way up (or down) to its leaf has a down link, paired with a device on another server. */
  findCut(servers: number, down: Uint8Array): [number, number] | undefined {
    if (servers < 2) return undefined;
    const scratch: number[] = [];
    for (let device = 0; device < this.firstUp.length; device++) {
      const other = device < this.devicesPerServer ? this.devicesPerServer : 0;
      scratch.length = 0;
      if (!this.appendUp(device, scratch, down)) return [device, other];
      scratch.length = 0;
      if (!this.appendDown(device, scratch, down)) return [other, device];
    }
    return undefined;
  }
}
