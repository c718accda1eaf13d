// Shared inputs for the LocMoE, LocMoE+ and MEO tests: seeded Gaussian features and a 4-node placement.
import { Rng } from '../../src/engine/index.ts';
import type { RouterInput, RoutingPlacement } from '../../src/routing/index.ts';

export function randomInput(seed: number, groups: number, groupSize: number, hidden = 64): RouterInput {
  const rng = new Rng(seed);
  const features = rng.fillNormal(new Float32Array(groups * groupSize * hidden));
  const tokenIds = Int32Array.from({ length: groups * groupSize }, () => rng.uniformInt(1000));
  return { features, tokenIds, groups, groupSize, hidden };
}

/** 4 nodes, group g on node g mod 4, experts placed contiguously: 2 of 8 experts on each node. */
export const fourNodes: RoutingPlacement = { nodes: 4, groupNode: (g) => g % 4, expertNode: (_g, e) => Math.floor(e / 2) };
