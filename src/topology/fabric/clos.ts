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
  const { leaves, leavesPerPod, pods, coresPerPlane } = plan;
  const second = plan.secondTierPerPod;
  const threeTier = plan.spec.topology === 'fat-tree-3';
  const switchNs = secondsToNs(plan.spec.switchLatency.value);
  const trunkKind = 'switch-port';

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

  const attachment = new NicAttachment(graph, system, servers, leaves, (server, nic) => {
    const index = Math.floor(server / plan.serversPerLeaf) * plan.railsPerGroup + (plan.railsPerGroup > 1 ? nic : 0);
    return { node: leafNode[index]!, index };
  });

  // Trunk ids: the up direction; the down direction is id + 1.
  const leafTrunk = new Int32Array(leaves * second);
  for (let i = 0; i < leaves; i++) {
    const pod = Math.floor(i / leavesPerPod);
    for (let j = 0; j < second; j++) {
      const upper = secondNode[pod * second + j]!;
      leafTrunk[i * second + j] = graph.addDuplexLink(leafNode[i]!, upper, trunkKind, plan.leafTrunkBandwidth, plan.leafTrunkLatencyNs);
    }
  }
  const coreTrunk = new Int32Array(pods * second * coresPerPlane);
  for (let p = 0; p < pods; p++) {
    for (let j = 0; j < second; j++) {
      for (let c = 0; c < coresPerPlane; c++) {
        const from = secondNode[p * second + j]!;
        const to = coreNode[j * coresPerPlane + c]!;
        coreTrunk[(p * second + j) * coresPerPlane + c] = graph.addDuplexLink(from, to, trunkKind, plan.coreTrunkBandwidth, plan.coreTrunkLatencyNs);
      }
    }
  }

  const secondChoices = new Int32Array(second);
  const coreChoices = new Int32Array(Math.max(1, coresPerPlane));
  const upAt = (id: number, down: Uint8Array): boolean => down[id] === 0;
  const leafUp = (leaf: number, j: number): number => leafTrunk[leaf * second + j]!;
  const coreUp = (pod: number, j: number, c: number): number => coreTrunk[(pod * second + j) * coresPerPlane + c]!;

  /** Fills coreChoices with the cores of plane j reachable from pod ps's and into pod pd's aggregation j. */
  const collectCores = (ps: number, pd: number, j: number, down: Uint8Array): number => {
    let n = 0;
    for (let c = 0; c < coresPerPlane; c++) {
      if (upAt(coreUp(ps, j, c), down) && upAt(coreUp(pd, j, c) + 1, down)) coreChoices[n++] = c;
    }
    return n;
  };

  /** Fills secondChoices with the second-tier indexes j that still give a path from leaf ls to leaf ld. */
  const collectSecond = (ls: number, ld: number, down: Uint8Array): number => {
    const ps = Math.floor(ls / leavesPerPod);
    const pd = Math.floor(ld / leavesPerPod);
    let n = 0;
    for (let j = 0; j < second; j++) {
      if (!upAt(leafUp(ls, j), down) || !upAt(leafUp(ld, j) + 1, down)) continue;
      if (ps !== pd && collectCores(ps, pd, j, down) === 0) continue;
      secondChoices[n++] = j;
    }
    return n;
  };

  // Whether the down mask (one per cluster) has any link down: without faults every index is a choice.
  let knownMask: Uint8Array | undefined;
  let maskHealthy = true;
  const isHealthy = (down: Uint8Array): boolean => {
    if (down !== knownMask) {
      knownMask = down;
      maskHealthy = !down.includes(1);
    }
    return maskHealthy;
  };

  const appendTrunks = (ls: number, ld: number, src: number, dst: number, flowKey: number, down: Uint8Array, out: number[]): boolean => {
    const healthy = isHealthy(down);
    const n = healthy ? second : collectSecond(ls, ld, down);
    if (n === 0) return false;
    const pick = ecmpPick(n, src, dst, flowKey, 0);
    const j = healthy ? pick : secondChoices[pick]!;
    const ps = Math.floor(ls / leavesPerPod);
    const pd = Math.floor(ld / leavesPerPod);
    out.push(leafUp(ls, j));
    if (ps !== pd) {
      const cores = healthy ? coresPerPlane : collectCores(ps, pd, j, down);
      const pickCore = ecmpPick(cores, src, dst, flowKey, 1);
      const c = healthy ? pickCore : coreChoices[pickCore]!;
      out.push(coreUp(ps, j, c), coreUp(pd, j, c) + 1);
    }
    out.push(leafUp(ld, j) + 1);
    return true;
  };

  return {
    layout: plan.layout,
    nicOf: (device) => attachment.nicOf(device),
    leafOf: (device) => attachment.leafNodeOf[device]!,
    route(src, dst, flowKey, down) {
      const out: number[] = [];
      if (!attachment.appendUp(src, out, down)) return undefined;
      const ls = attachment.leafIndexOf[src]!;
      const ld = attachment.leafIndexOf[dst]!;
      if (ls !== ld && !appendTrunks(ls, ld, src, dst, flowKey, down, out)) return undefined;
      return attachment.appendDown(dst, out, down) ? out : undefined;
    },
    findCut(down) {
      const cut = attachment.findCut(servers, down);
      if (cut !== undefined) return cut;
      for (let a = 0; a < leaves; a++) {
        for (let b = 0; b < leaves; b++) {
          if (a === b || collectSecond(a, b, down) > 0) continue;
          const pair = attachment.interServerPair(a, b);
          if (pair !== undefined) return pair;
        }
      }
      return undefined;
    },
  };
}
