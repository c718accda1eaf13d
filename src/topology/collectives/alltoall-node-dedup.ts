// DeepEP's expert dispatch (its "normal" kernels) as a compiled all-to-all: a token crosses the network between
// servers once per destination server, not once per destination rank or expert, on its own rail (rank (s, l) sends to
// rank (t, l) of server t), and that rank forwards it inside server t over NVLink or HCCS to every rank there that holds
// one of its experts, once per rank. The two stages form two phases; pipelineInChunks overlaps them as DeepEP's
// forwarders do, and reverseCompiled gives the combine (ranks send each token's partial sum to the forwarder, which
// reduces it and sends one copy back between servers).
//
// Its bytes are not a rank × rank matrix: the terms index a value array of two parts,
//   [0, n²):        distinct tokens from group rank i that have an expert on rank j, at i · n + j;
//   [n², n² + n·S): distinct tokens from group rank i that have an expert in server slot t, at n² + i · S + t;
// where servers are numbered by first appearance in the group (serverLayout), as `slotOfRank` gives them.
import type { Cluster } from '../cluster/types.ts';
import type { CompiledAllToAll } from './alltoall-staged.ts';
import { compileRoutes } from './alltoall-staged.ts';
import { serverLayout } from './hierarchy.ts';

export interface CompiledNodeDedupAllToAll extends CompiledAllToAll {
  /** Server slot of each group rank (the numbering of the value array's second part). */
  readonly slotOfRank: Int32Array;
  readonly servers: number;
}

/** The dispatch direction: between servers on each rail, then forwarding inside each server. */
export function compileNodeDedupAllToAll(group: readonly number[], cluster: Cluster): CompiledNodeDedupAllToAll {
  const layout = serverLayout(group, cluster, 'node-deduplicated all-to-all');
  const { servers: S, perServer: L } = layout;
  const n = group.length;
  const rankOf = new Map(group.map((device, rank) => [device, rank]));
  const rankAt = (s: number, l: number): number => rankOf.get(layout.devices[s]![l]!)!;
  const slotOfRank = new Int32Array(n);
  for (let s = 0; s < S; s++) for (let l = 0; l < L; l++) slotOfRank[rankAt(s, l)] = s;
  const src: number[] = [];
  const dst: number[] = [];
  const termStart: number[] = [0];
  const terms: number[] = [];
  const slot = (from: number, to: number, ...entries: number[]): void => {
    src.push(group[from]!);
    dst.push(group[to]!);
    terms.push(...entries);
    termStart.push(terms.length);
  };
  // Phase 0, between servers: (s, l) → (t, l), its tokens with an expert in server t.
  for (let s = 0; s < S; s++) {
    for (let t = 0; t < S; t++) {
      if (t === s) continue;
      for (let l = 0; l < L; l++) slot(rankAt(s, l), rankAt(t, l), n * n + rankAt(s, l) * S + t);
    }
  }
  const interEnd = src.length;
  // Phase 1, inside each server: (t, l) → (t, k), its own tokens for k and those it received on rail l for k.
  for (let t = 0; t < S; t++) {
    for (let l = 0; l < L; l++) {
      for (let k = 0; k < L; k++) {
        if (k === l) continue;
        const to = rankAt(t, k);
        const entries = [rankAt(t, l) * n + to];
        for (let s = 0; s < S; s++) if (s !== t) entries.push(rankAt(s, l) * n + to);
        slot(rankAt(t, l), to, ...entries);
      }
    }
  }
  return {
    group: [...group], phaseStart: Int32Array.from([0, interEnd, src.length]), src: Int32Array.from(src), dst: Int32Array.from(dst),
    termStart: Int32Array.from(termStart), terms: Int32Array.from(terms), routes: compileRoutes(cluster, src, dst),
    algo: 'node-dedup', slotOfRank, servers: S,
  };
}
