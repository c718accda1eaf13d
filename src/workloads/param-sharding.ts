// How many parameters one device holds: per model chunk (the unit of pipeline placement and of gradient
// reduction), split into the dense part (reduced over all DP ranks) and the routed-expert part (reduced over the
// DP ranks that hold the same experts: one per EP group). TP shards everything except norms and the router gate.
import type { ModelSpec } from './model-spec.ts';
import { denseFfnWidth, isMoeLayer } from './model-spec.ts';
import { attentionParams, ffnMatrices, ffnParams } from './model-size.ts';
import type { Layout } from './parallelism.ts';
import { chunkLayers } from './parallelism.ts';

export interface DeviceParams {
  /** Parameters replicated over the whole DP group (attention, norms, dense FFNs, gates, shared experts, embeddings). */
  dense: number;
  /** Routed-expert parameters of this device's experts. */
  expert: number;
}

/** Parameters of chunk (stage, virtualStage) held by one of its devices. */
export function chunkParams(model: ModelSpec, layout: Layout, stage: number, virtualStage: number): DeviceParams {
  const tp = layout.tp;
  const h = model.hidden;
  const chunk = virtualStage * layout.pp + stage;
  const lastChunk = layout.pp * layout.vpp - 1;
  let dense = 0;
  let expert = 0;
  for (const l of chunkLayers(layout, stage, virtualStage)) {
    dense += attentionParams(model) / tp + 2 * h; // projections sharded, two norms replicated
    if (isMoeLayer(model, l)) {
      dense += h * model.experts + (model.sharedExperts * ffnParams(model)) / tp;
      expert += (layout.expertsPerDevice * ffnParams(model)) / tp;
    } else {
      dense += (ffnMatrices(model) * h * denseFfnWidth(model)) / tp;
    }
  }
  if (chunk === 0) dense += (model.vocab * h) / tp; // input embedding (vocab-parallel)
  if (chunk === lastChunk) dense += (model.tiedEmbeddings && lastChunk === 0 ? 0 : (model.vocab * h) / tp) + h; // LM head, final norm
  return { dense, expert };
}

/** Parameters of every chunk a device of `stage` holds, summed. */
export function stageParams(model: ModelSpec, layout: Layout, stage: number): DeviceParams {
  const total: DeviceParams = { dense: 0, expert: 0 };
  for (let v = 0; v < layout.vpp; v++) {
    const p = chunkParams(model, layout, stage, v);
    total.dense += p.dense;
    total.expert += p.expert;
  }
  return total;
}
