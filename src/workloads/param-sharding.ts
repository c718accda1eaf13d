// How many parameters one device holds: per model chunk (the unit of pipeline placement and of gradient
// reduction), split into the dense part (reduced over all DP ranks) and the routed-expert part (reduced over the
// DP ranks that hold the same experts: one per EP group). TP shards everything except norms and the router gate.
import type { ModelSpec } from './model-spec.ts';
import { denseFfnWidth, isMoeLayer } from './model-spec.ts';
import { attentionProjections, ffnMatrices, ffnParams } from './model-size.ts';
import type { Layout } from './parallelism.ts';
import { chunkLayers, slotEnds } from './parallelism.ts';

export interface DeviceParams {
  /** Parameters replicated over the whole DP group (attention, norms, dense FFNs, gates, shared experts, embeddings). */
  dense: number;
  /** Routed-expert parameters of this device's experts. */
  expert: number;
}

/**
 * Over how many TP ranks an attention projection is split: tp, except GQA's K and V when tp exceeds the KV heads
 * (Megatron then replicates each KV head over tp / kvHeads ranks).
 */
export function projectionShards(model: ModelSpec, name: string, tp: number): number {
  return model.attention.kind === 'gqa' && (name === 'k' || name === 'v') ? Math.min(tp, model.kvHeads) : tp;
}

/** Attention parameters one TP rank holds: its share of each projection, plus MLA's low-rank norms (replicated). */
export function attentionParamsPerRank(model: ModelSpec, tp: number): number {
  const a = model.attention;
  const norms = a.kind === 'mla' ? a.qLoraRank + a.kvLoraRank : 0;
  return attentionProjections(model).reduce((sum, p) => sum + (p.n * p.k) / projectionShards(model, p.name, tp), 0) + norms;
}

/** Parameters of layer l held by one device of its stage. */
export function layerParams(model: ModelSpec, layout: Layout, l: number): DeviceParams {
  const tp = layout.tp;
  const h = model.hidden;
  const common = attentionParamsPerRank(model, tp) + 2 * h; // projections sharded, two norms replicated
  if (!isMoeLayer(model, l)) return { dense: common + (ffnMatrices(model) * h * denseFfnWidth(model)) / tp, expert: 0 };
  return {
    dense: common + h * model.experts + (model.sharedExperts * ffnParams(model)) / tp,
    expert: (layout.expertsPerDevice * ffnParams(model)) / tp,
  };
}

/** Parameters outside the layers held with slot `slot`: the input embedding (a path's first chunk), LM head and final norm (last). */
export function chunkExtraParams(model: ModelSpec, layout: Layout, slot: number): number {
  const ends = slotEnds(layout, slot);
  let dense = 0;
  if (ends.first) dense += (model.vocab * model.hidden) / layout.tp; // vocab-parallel input embedding
  if (ends.last) dense += (model.tiedEmbeddings && layout.modelChunks === 1 ? 0 : (model.vocab * model.hidden) / layout.tp) + model.hidden;
  return dense;
}

/** Parameters of chunk (stage, virtualStage) held by one of its devices. */
export function chunkParams(model: ModelSpec, layout: Layout, stage: number, virtualStage: number): DeviceParams {
  const total: DeviceParams = { dense: chunkExtraParams(model, layout, layout.chunkIndex[stage * layout.vpp + virtualStage]!), expert: 0 };
  for (const l of chunkLayers(layout, stage, virtualStage)) {
    const p = layerParams(model, layout, l);
    total.dense += p.dense;
    total.expert += p.expert;
  }
  return total;
}

/**
 * Parameters whose optimizer states a device keeps: all it holds, or with ZeRO ≥ 1 its share of them (dense ÷ dp,
 * experts ÷ the ranks holding the same experts; with DualPipe's two copies the ranks of both copies share them).
 */
export function optimizerShard(layout: Layout, params: DeviceParams): number {
  const copies = layout.parameterCopies;
  return layout.zero > 0 ? params.dense / (layout.dp * copies) + params.expert / (layout.epGroups * copies) : params.dense + params.expert;
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
