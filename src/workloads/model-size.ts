// Parameter counts and model FLOPs of a ModelSpec: the arithmetic behind MFU and the memory model.
import type { ModelSpec } from './model-spec.ts';
import { isMoeLayer } from './model-spec.ts';

/** Weight matrices in one FFN (expert or dense): SwiGLU has gate, up and down; GELU has up and down. */
export function ffnMatrices(model: ModelSpec): number {
  return model.activation === 'swiglu' ? 3 : 2;
}

/** Parameters of one FFN (one expert). */
export function ffnParams(model: ModelSpec): number {
  return ffnMatrices(model) * model.hidden * model.ffnHidden;
}

/** Attention projection parameters of one layer (Q, K, V, O with grouped-query K/V). */
export function attentionParams(model: ModelSpec): number {
  const kvDim = (model.hidden / model.heads) * model.kvHeads;
  return 2 * model.hidden * model.hidden + 2 * model.hidden * kvDim;
}

export interface ParamBreakdown {
  /** Parameters every device of a DP replica holds whole (attention, norms, dense FFNs, gates, shared experts, embeddings). */
  dense: number;
  /** Routed-expert parameters over all MoE layers and all experts. */
  experts: number;
  /** Routed-expert parameters of one expert summed over MoE layers. */
  perExpert: number;
  total: number;
  /** Parameters a token passes through (topK routed experts), excluding the embedding lookup. */
  activePerToken: number;
}

export function countParams(model: ModelSpec): ParamBreakdown {
  const h = model.hidden;
  const moeLayers = moeLayerCount(model);
  const denseLayers = model.layers - moeLayers;
  const perLayerCommon = attentionParams(model) + 2 * h;
  const gate = h * model.experts;
  const shared = model.sharedExperts * ffnParams(model);
  const embeddings = 2 * model.vocab * h + h; // input embedding, untied LM head, final norm
  const dense = model.layers * perLayerCommon + denseLayers * ffnParams(model) + moeLayers * (gate + shared) + embeddings;
  const perExpert = moeLayers * ffnParams(model);
  const experts = perExpert * model.experts;
  const activeRouted = moeLayers * model.topK * ffnParams(model);
  const activePerToken = dense - model.vocab * h + activeRouted; // the input embedding is a lookup, not a matmul
  return { dense, experts, perExpert, total: dense + experts, activePerToken };
}

export function moeLayerCount(model: ModelSpec): number {
  let n = 0;
  for (let l = 0; l < model.layers; l++) if (isMoeLayer(model, l)) n++;
  return n;
}

/**
 * Model FLOPs of training on one token (forward + backward = 3 × forward): 6 × active matmul parameters
 * plus causal attention scores, 6 · seqLength · hidden per layer (half of the non-causal 12·s·h).
 * `expertsPerToken` is the routed experts a token really uses (a router's k may differ from the model's
 * topK: Switch uses 1, Expert Choice a variable number); it defaults to the model's topK.
 */
export function trainingFlopsPerToken(model: ModelSpec, expertsPerToken: number = model.topK): number {
  const routedCorrection = moeLayerCount(model) * (expertsPerToken - model.topK) * ffnParams(model);
  return 6 * (countParams(model).activePerToken + routedCorrection) + 6 * model.layers * model.seqLength * model.hidden;
}
