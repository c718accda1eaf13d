// Wires and routes the multi-tier fabrics: fat-tree-2 (leaves under shared spines), rail-optimised (NIC i of
// every server in a group of serversPerLeaf on rail leaf i, rail leaves under shared spines) and fat-tree-3
// (pods of leaves under per-pod aggregation switches; aggregation j of every pod joins core plane j).
// Routing is up-down: same leaf → leaf only; else up to a second-tier switch common to both leaves (same pod),
// or up through aggregation j and a core of plane j and down through aggregation j of the other pod.
// Equal-cost choices are made by ecmpPick over the switches whose links on the way are all up: stage 0 picks
// the spine/aggregation index, stage 1 the core. Switch-to-switch trunks have kind `switch-port`.
import { secondsToNs } from '../../engine/index.ts';
import type { SystemSpec } from '../catalog/schema.ts';
import { ecmpPick } from './ecmp-hash.ts';
import { planClosFabric } from './clos-plan.ts';
import type { ClosFabricSpec, ClosPlan } from './clos-plan.ts';
import type { FabricRouter } from './router.ts';
import { NodeLevel } from '../cluster/link-graph.ts';
import type { LinkGraph } from '../cluster/link-graph.ts';
import { NicAttachment } from './nic-attachment.ts';

/** Whether link `id` is up in the down mask. */
const upAt = (id: number, down: Uint8Array): boolean => down[id] === 0;

function leafName(plan: ClosPlan, index: number): string {
  switch (plan.spec.topology) {
    case 'fat-tree-2':
      return `leaf${index}`;
    case 'rail-optimised':
      return `su${Math.floor(index / plan.railsPerGroup)}.rail${index % plan.railsPerGroup}`;
    case 'fat-tree-3':
      return `pod${Math.floor(index / plan.leavesPerPod)}.leaf${index % plan.leavesPerPod}`;
  }
}

export function wireClosFabric(graph: LinkGraph, system: SystemSpec & { fabric: ClosFabricSpec }, servers: number): FabricRouter {
  const plan = planClosFabric(system.fabric, servers);
  const { leaves } = plan;
  const switches = addSwitches(graph, plan);
  const { leafNode } = switches;
  const attachment = new NicAttachment(graph, system, servers, leaves, (server, nic) => {
    const index = Math.floor(server / plan.serversPerLeaf) * plan.railsPerGroup + (plan.railsPerGroup > 1 ? nic : 0);
    return { node: leafNode[index]!, index };
  });
  const trunks = new ClosTrunks(plan, graph, switches);

  return {
    layout: plan.layout,
    nicOf: (device) => attachment.nicOf(device),
    leafOf: (device) => attachment.leafNodeOf[device]!,
    route(src, dst, flowKey, down) {
      const out: number[] = [];
      if (!attachment.appendUp(src, out, down)) return undefined;
      const ls = attachment.leafIndexOf[src]!;
      const ld = attachment.leafIndexOf[dst]!;
      if (ls !== ld && !trunks.appendTrunks(ls, ld, src, dst, flowKey, down, out)) return undefined;
      return attachment.appendDown(dst, out, down) ? out : undefined;
    },
    findCut(down) {
      const cut = attachment.findCut(servers, down);
      if (cut !== undefined) return cut;
      for (let a = 0; a < leaves; a++) {
        for (let b = 0; b < leaves; b++) {
          if (a === b || trunks.collectSecond(a, b, down) > 0) continue;
          const pair = attachment.interServerPair(a, b);
          if (pair !== undefined) return pair;
        }
      }
      return undefined;
    },
  };
}

/** The node ids of a Clos fabric's switches: leaves, second tier (pod p's switch j at p · second + j), cores (plane j's core c at j · coresPerPlane + c). */
interface ClosSwitches {
  readonly leafNode: Int32Array;
  readonly secondNode: Int32Array;
  readonly coreNode: Int32Array;
}

/** Adds the fabric's switches to the graph: every leaf, then every second-tier switch, then every core. */
function addSwitches(graph: LinkGraph, plan: ClosPlan): ClosSwitches {
  const { leaves, pods, coresPerPlane } = plan;
  const second = plan.secondTierPerPod;
  const threeTier = plan.spec.topology === 'fat-tree-3';
  const switchNs = secondsToNs(plan.spec.switchLatency.value);
  const leafNode = new Int32Array(leaves);
  for (let i = 0; i < leaves; i++) leafNode[i] = graph.addNode('fabric-switch', -1, switchNs, leafName(plan, i), NodeLevel.leaf);
  const secondNode = new Int32Array(pods * second);
  for (let p = 0; p < pods; p++) {
    for (let j = 0; j < second; j++) {
      const name = threeTier ? `pod${p}.agg${j}` : `spine${j}`;
      secondNode[p * second + j] = graph.addNode('fabric-switch', -1, switchNs, name, NodeLevel.spine);
    }
  }
  const coreNode = new Int32Array(second * coresPerPlane);
  for (let j = 0; j < second; j++) {
    for (let c = 0; c < coresPerPlane; c++) {
      coreNode[j * coresPerPlane + c] = graph.addNode('fabric-switch', -1, switchNs, `plane${j}.core${c}`, NodeLevel.core);
    }
  }
  return { leafNode, secondNode, coreNode };
}

/**
 * The switch-to-switch trunks of a Clos fabric (wired by the constructor: every leaf to its pod's second tier, then
 * every second-tier switch to its plane's cores) and the up-down choice among them for a route between two leaves.
 */
class ClosTrunks {
  private readonly second: number;
  private readonly leavesPerPod: number;
  private readonly coresPerPlane: number;
  /** Trunk ids: the up direction; the down direction is id + 1. Leaf i to second-tier j at i · second + j. */
  private readonly leafTrunk: Int32Array;
  /** Pod p's second-tier j to core c of plane j at (p · second + j) · coresPerPlane + c. */
  private readonly coreTrunk: Int32Array;
  /** Scratch: the second-tier indexes (collectSecond) and cores (collectCores) that still give a path. */
  private readonly secondChoices: Int32Array;
  private readonly coreChoices: Int32Array;
  /** Whether the down mask (one per cluster) has any link down: without faults every index is a choice. */
  private knownMask: Uint8Array | undefined;
  private maskHealthy = true;

  constructor(plan: ClosPlan, graph: LinkGraph, switches: ClosSwitches) {
    const { leaves, leavesPerPod, pods, coresPerPlane } = plan;
    const second = plan.secondTierPerPod;
    const { leafNode, secondNode, coreNode } = switches;
    const trunkKind = 'switch-port';
    this.second = second;
    this.leavesPerPod = leavesPerPod;
    this.coresPerPlane = coresPerPlane;
    this.leafTrunk = new Int32Array(leaves * second);
    for (let i = 0; i < leaves; i++) {
      const pod = Math.floor(i / leavesPerPod);
      for (let j = 0; j < second; j++) {
        const upper = secondNode[pod * second + j]!;
        this.leafTrunk[i * second + j] = graph.addDuplexLink(leafNode[i]!, upper, trunkKind, plan.leafTrunkBandwidth, plan.leafTrunkLatencyNs);
      }
    }
    this.coreTrunk = new Int32Array(pods * second * coresPerPlane);
    for (let p = 0; p < pods; p++) {
      for (let j = 0; j < second; j++) {
        for (let c = 0; c < coresPerPlane; c++) {
          const from = secondNode[p * second + j]!;
          const to = coreNode[j * coresPerPlane + c]!;
          this.coreTrunk[(p * second + j) * coresPerPlane + c] = graph.addDuplexLink(from, to, trunkKind, plan.coreTrunkBandwidth, plan.coreTrunkLatencyNs);
        }
      }
    }
    this.secondChoices = new Int32Array(second);
    this.coreChoices = new Int32Array(Math.max(1, coresPerPlane));
  }

  /** Appends the trunks from leaf ls up and down to leaf ld (ECMP over the choices left up); false when there are none. */
  appendTrunks(ls: number, ld: number, src: number, dst: number, flowKey: number, down: Uint8Array, out: number[]): boolean {
    const { leavesPerPod } = this;
    const healthy = this.isHealthy(down);
    const n = healthy ? this.second : this.collectSecond(ls, ld, down);
    if (n === 0) return false;
    const pick = ecmpPick(n, src, dst, flowKey, 0);
    const j = healthy ? pick : this.secondChoices[pick]!;
    const ps = Math.floor(ls / leavesPerPod);
    const pd = Math.floor(ld / leavesPerPod);
    out.push(this.leafUp(ls, j));
    if (ps !== pd) {
      const cores = healthy ? this.coresPerPlane : this.collectCores(ps, pd, j, down);
      const pickCore = ecmpPick(cores, src, dst, flowKey, 1);
      const c = healthy ? pickCore : this.coreChoices[pickCore]!;
      out.push(this.coreUp(ps, j, c), this.coreUp(pd, j, c) + 1);
    }
    out.push(this.leafUp(ld, j) + 1);
    return true;
  }

  /** Fills secondChoices with the second-tier indexes j that still give a path from leaf ls to leaf ld. */
  collectSecond(ls: number, ld: number, down: Uint8Array): number {
    const ps = Math.floor(ls / this.leavesPerPod);
    const pd = Math.floor(ld / this.leavesPerPod);
    let n = 0;
    for (let j = 0; j < this.second; j++) {
      if (!upAt(this.leafUp(ls, j), down) || !upAt(this.leafUp(ld, j) + 1, down)) continue;
      if (ps !== pd && this.collectCores(ps, pd, j, down) === 0) continue;
      this.secondChoices[n++] = j;
    }
    return n;
  }

  /** Fills coreChoices with the cores of plane j reachable from pod ps's and into pod pd's aggregation j. */
  private collectCores(ps: number, pd: number, j: number, down: Uint8Array): number {
    let n = 0;
    for (let c = 0; c < this.coresPerPlane; c++) {
      if (upAt(this.coreUp(ps, j, c), down) && upAt(this.coreUp(pd, j, c) + 1, down)) this.coreChoices[n++] = c;
    }
    return n;
  }

  private isHealthy(down: Uint8Array): boolean {
    if (down !== this.knownMask) {
      this.knownMask = down;
      this.maskHealthy = !down.includes(1);
    }
    return this.maskHealthy;
  }

  private leafUp(leaf: number, j: number): number {
    return this.leafTrunk[leaf * this.second + j]!;
  }

  private coreUp(pod: number, j: number, c: number): number {
    return this.coreTrunk[(pod * this.second + j) * this.coresPerPlane + c]!;
  }
}
