// Parameter counts and model FLOPs of a ModelSpec: the arithmetic behind MFU and the memory model.
import type { ModelSpec } from './model-spec.ts';
import { denseFfnWidth, isMoeLayer } from './model-spec.ts';

/** Weight matrices in one FFN (expert or dense): SwiGLU has gate, up and down; GELU and ReLU have up and down. */
export function ffnMatrices(model: ModelSpec): number {
  return model.activation === 'swiglu' ? 3 : 2;
}

/** Parameters of one FFN (one expert). */
export function ffnParams(model: ModelSpec): number {
  return ffnMatrices(model) * model.hidden * model.ffnHidden;
}

/** A weight matrix applied to every token: output width n, input width k (a GEMM of [tokens, k] × [k, n]). */
export interface ProjectionShape {
  name: string;
  n: number;
  k: number;
}

/** The attention block's projections, in order (GQA: Q, K, V, O; MLA: the low-rank down and up projections, O). */
export function attentionProjections(model: ModelSpec): ProjectionShape[] {
  const h = model.hidden;
  const a = model.attention;
  if (a.kind === 'mla') {
    const qk = a.qkNopeHeadDim + a.qkRopeHeadDim;
    return [
      { name: 'q-down', n: a.qLoraRank, k: h },
      { name: 'q-up', n: model.heads * qk, k: a.qLoraRank },
      { name: 'kv-down', n: a.kvLoraRank + a.qkRopeHeadDim, k: h },
      { name: 'kv-up', n: model.heads * (a.qkNopeHeadDim + a.vHeadDim), k: a.kvLoraRank },
      { name: 'o', n: h, k: model.heads * a.vHeadDim },
    ];
  }
  const kvDim = (h / model.heads) * model.kvHeads;
  return [
    { name: 'q', n: h, k: h },
    { name: 'k', n: kvDim, k: h },
    { name: 'v', n: kvDim, k: h },
    { name: 'o', n: h, k: h },
  ];
}

/** The attention core's dimensions: scores use qkHeadDim per head, values vHeadDim; kvHeads K/V heads are stored. */
export function attentionCoreDims(model: ModelSpec): { heads: number; kvHeads: number; qkHeadDim: number; vHeadDim: number } {
  const a = model.attention;
  if (a.kind === 'mla') return { heads: model.heads, kvHeads: model.heads, qkHeadDim: a.qkNopeHeadDim + a.qkRopeHeadDim, vHeadDim: a.vHeadDim };
  const d = model.hidden / model.heads;
  return { heads: model.heads, kvHeads: model.kvHeads, qkHeadDim: d, vHeadDim: d };
}

/** Attention parameters of one layer: its projections, plus MLA's two low-rank norms. */
export function attentionParams(model: ModelSpec): number {
  const a = model.attention;
  const norms = a.kind === 'mla' ? a.qLoraRank + a.kvLoraRank : 0;
  return attentionProjections(model).reduce((sum, p) => sum + p.n * p.k, 0) + norms;
}

/**
 * Forward FLOPs of the attention core for one token: QKᵀ and AV, over on average half the sequence when causal,
 * over all of it when bidirectional (model.causal false).
 */
export function attentionCoreFlopsPerToken(model: ModelSpec): number {
  const c = attentionCoreDims(model);
  return (model.causal ? 1 : 2) * model.seqLength * c.heads * (c.qkHeadDim + c.vHeadDim);
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
  const denseFfn = ffnMatrices(model) * h * denseFfnWidth(model);
  const embeddings = (model.tiedEmbeddings ? 1 : 2) * model.vocab * h + h; // input embedding, LM head (unless tied), final norm
  const dense = model.layers * perLayerCommon + denseLayers * denseFfn + moeLayers * (gate + shared) + embeddings;
  const perExpert = moeLayers * ffnParams(model);
  const experts = perExpert * model.experts;
  const activeRouted = moeLayers * model.topK * ffnParams(model);
  // The input embedding is a lookup, not a matmul; a tied matrix still runs once as the LM head.
  const activePerToken = dense - (model.tiedEmbeddings ? 0 : model.vocab * h) + activeRouted;
  return { dense, experts, perExpert, total: dense + experts, activePerToken };
}

export function moeLayerCount(model: ModelSpec): number {
  let n = 0;
  for (let l = 0; l < model.layers; l++) if (isMoeLayer(model, l)) n++;
  return n;
}

/**
 * Model FLOPs of training on one token (forward + backward = 3 × forward): 6 × active matmul parameters
 * plus 3 × the attention core (attentionCoreFlopsPerToken; causal GQA: 2·s·h forward, so 6·s·h per layer).
 * `expertsPerToken` is the routed experts a token really uses (a router's k may differ from the model's
 * topK: Switch uses 1, Expert Choice a variable number); it defaults to the model's topK.
 */
export function trainingFlopsPerToken(model: ModelSpec, expertsPerToken: number = model.topK): number {
  const routedCorrection = moeLayerCount(model) * (expertsPerToken - model.topK) * ffnParams(model);
  return 6 * (countParams(model).activePerToken + routedCorrection) + 3 * model.layers * attentionCoreFlopsPerToken(model);
}

/**
 * Forward FLOPs of one sequence (2 per multiply-add): every matmul a token passes through, with `expertsPerToken`
 * routed experts per MoE layer (the LM head included, the embedding lookup not), plus the attention core.
 */
export function forwardFlopsPerSequence(model: ModelSpec, expertsPerToken: number = model.topK): number {
  const routedCorrection = moeLayerCount(model) * (expertsPerToken - model.topK) * ffnParams(model);
  return model.seqLength * (2 * (countParams(model).activePerToken + routedCorrection) + model.layers * attentionCoreFlopsPerToken(model));
}

/** MEO's merge for one sequence: Ŵ = Σ G_i W_i over k experts in every MoE layer, 2 FLOPs per weight element per expert. */
export function meoMergeFlopsPerSequence(model: ModelSpec, k: number): number {
  return 2 * k * ffnParams(model) * moeLayerCount(model);
}

/** MEO forward FLOPs of one sequence: the merge, then one (merged) expert per token. */
export function meoForwardFlopsPerSequence(model: ModelSpec, k: number): number {
  return forwardFlopsPerSequence(model, 1) + meoMergeFlopsPerSequence(model, k);
}
