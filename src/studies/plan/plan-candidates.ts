// The layouts a plan tries for one system and cluster size: TP inside a server (1–8), PP over the layers, DP the
// rest, EP the largest that divides both DP and the experts, sequence parallel with TP, ZeRO-1, and full recompute
// only when the layout cannot fit without it. A layout whose lower-bound memory (everything but the routed
// experts' activations) already exceeds the device's HBM is never run; the rest are ranked by model-parallel size
// (smallest first: more data parallelism, less TP and pipeline overhead), then by fewer stages.
import { InputError } from '../../engine/index.ts';
import type { ModelSpec } from '../../workloads/index.ts';
import { estimateMemory, resolveLayout } from '../../workloads/index.ts';

export interface LayoutChoice {
  tp: number;
  pp: number;
  dp: number;
  ep: number;
  sequenceParallel: boolean;
  zero: 0 | 1 | 2;
  recompute: 'none' | 'full';
  microBatchSize: number;
  globalBatch: number;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Every valid layout of `devices` that may fit in `usableBytes` (HBM less the framework's reserve), best-ranked first. */
export function candidateLayouts(model: ModelSpec, devices: number, devicesPerServer: number, globalBatch: number, usableBytes: number): LayoutChoice[] {
  const out: { choice: LayoutChoice; rank: number[] }[] = [];
  for (const tp of [1, 2, 4, 8].filter((t) => t <= devicesPerServer)) {
    for (const pp of [1, 2, 4, 8, 16, 32]) {
      if (devices % (tp * pp) !== 0) continue;
      const dp = devices / (tp * pp);
      if (globalBatch % dp !== 0 || globalBatch / dp < pp) continue; // one sequence per micro-batch, at least pp micro-batches
      const ep = gcd(dp, model.experts);
      for (const recompute of ['none', 'full'] as const) {
        const choice: LayoutChoice = { tp, pp, dp, ep, sequenceParallel: tp > 1, zero: 1, recompute, microBatchSize: 1, globalBatch };
        let layout;
        try {
          layout = resolveLayout(choice, devices, model);
        } catch (err) {
          if (err instanceof InputError) break; // the model does not split this way
          throw err;
        }
        const lowerBound = Math.max(...estimateMemory(model, layout, []).map((m) => m.total));
        if (lowerBound <= usableBytes) {
          out.push({ choice, rank: [tp * pp, pp] });
          break; // the lightest recompute that may fit
        }
      }
    }
  }
  out.sort((a, b) => a.rank[0]! - b.rank[0]! || a.rank[1]! - b.rank[1]!);
  return out.map((o) => o.choice);
}
