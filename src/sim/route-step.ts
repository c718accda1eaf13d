// Compute the routing decisions of one training step with tfjs: every MoE layer of every micro-batch,
// on features from the scenario's token source, condensed into what the step model needs.
import { Rng } from '../engine/index.ts';
import type { BackendInfo } from '../routing/index.ts';
import { createRouter, initTfBackend } from '../routing/index.ts';
import type { LayerRouting, TokenSource } from '../workloads/index.ts';
import { assertFiniteFeatures, createSyntheticTokenSource, isMoeLayer, summariseRouting } from '../workloads/index.ts';
import type { ResolvedScenario } from './scenario/resolve-scenario.ts';

export interface StepRouting {
  /** routing[microBatch][layer]; undefined for dense layers. */
  routing: (LayerRouting | undefined)[][];
  backend: BackendInfo;
  tokenSource: string;
  /** (token, expert) proposals computed by the router with tfjs. */
  decisionsComputed: number;
  /** Decisions extended to the full batch by resampling (0 while every token is routed for real). */
  decisionsResampled: number;
}

export type ProgressCallback = (done: number, total: number) => void;

function tokenSourceFor(resolved: ResolvedScenario, rng: Rng): TokenSource {
  const { scenario, model, layout } = resolved;
  const shape = { groups: layout.devices, groupSize: layout.microBatchSize * model.seqLength, hidden: model.hidden, vocab: model.vocab };
  return createSyntheticTokenSource(scenario.tokens, shape, rng);
}

export async function routeStep(resolved: ResolvedScenario, onProgress?: ProgressCallback): Promise<StepRouting> {
  const { scenario, model, layout } = resolved;
  const backend = await initTfBackend(scenario.backend);
  const rng = new Rng(scenario.seed);
  const source = tokenSourceFor(resolved, rng.derive('tokens'));
  const router = createRouter(resolved.router.name, resolved.router.params, {
    numExperts: model.experts, topK: model.topK, hidden: model.hidden, rng: rng.derive(`router/${resolved.router.name}`),
  });
  const moeLayers = Array.from({ length: model.layers }, (_, l) => l).filter((l) => isMoeLayer(model, l));
  const total = layout.microBatches * moeLayers.length;
  const routing: (LayerRouting | undefined)[][] = [];
  let decisionsComputed = 0;
  for (let mb = 0; mb < layout.microBatches; mb++) {
    const perLayer: (LayerRouting | undefined)[] = new Array<LayerRouting | undefined>(model.layers).fill(undefined);
    for (const l of moeLayers) {
      const batch = source.batch(l, mb);
      assertFiniteFeatures(batch, `tokens (layer ${l}, micro-batch ${mb})`);
      const decision = router.route(batch, l, mb);
      decisionsComputed += decision.pairKept.length;
      perLayer[l] = summariseRouting(decision, layout);
      onProgress?.(mb * moeLayers.length + moeLayers.indexOf(l) + 1, total);
    }
    routing.push(perLayer);
  }
  return { routing, backend, tokenSource: source.description, decisionsComputed, decisionsResampled: 0 };
}
