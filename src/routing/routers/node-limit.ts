// Node-limited routing (DeepSeek-V3): rank nodes by the sum of their experts' top `perNode` scores and allow
// only the experts on the best `maxNodes` nodes (ties: lower node id). Nodes holding no expert are never chosen.
import { topKIndices } from './pair-decision.ts';

/**
 * The experts a token may use: those on its `maxNodes` best nodes, as a predicate over expert ids, or undefined
 * when the experts span at most `maxNodes` nodes anyway. `nodeOf[e]` is the node of expert e (< `nodes`).
 */
export function nodeLimitedChoice(
  experts: number, nodeOf: Int32Array, nodes: number, maxNodes: number, perNode: number, score: (e: number) => number,
): ((e: number) => boolean) | undefined {
  const top = new Float64Array(nodes * perNode).fill(-Infinity); // per node, its best perNode scores, descending
  const has = new Uint8Array(nodes);
  let used = 0;
  for (let e = 0; e < experts; e++) {
    const node = nodeOf[e]!;
    if (has[node] === 0) used++;
    has[node] = 1;
    let v = score(e);
    for (let j = node * perNode; j < (node + 1) * perNode; j++) {
      if (v > top[j]!) [v, top[j]] = [top[j]!, v];
    }
  }
  if (used <= maxNodes) return undefined;
  const nodeScore = (node: number): number => {
    let sum = 0;
    for (let j = node * perNode; j < (node + 1) * perNode; j++) if (top[j]! > -Infinity) sum += top[j]!;
    return sum;
  };
  const chosen = new Uint8Array(nodes);
  for (const node of topKIndices(nodes, maxNodes, nodeScore, (node) => has[node] === 1)) chosen[node] = 1;
  return (e) => chosen[nodeOf[e]!] === 1;
}
