// Device memory at its peak: weights, gradients and Adam states (mixed precision, fp32 master weights; ZeRO-1
// shards the optimizer states and ZeRO-2 also the gradients over the DP group), the activations the pipeline keeps
// in flight (Korthikanti et al. 2022 byte counts with flash attention, divided by TP where Megatron shards them, by
// sequence parallelism where it applies, and reduced to the layer inputs under full recomputation), and the
// all-to-all capacity buffers of an MoE layer.
import type { ModelSpec } from './model-spec.ts';
import { denseFfnWidth, isMoeLayer } from './model-spec.ts';
import { ffnMatrices } from './model-size.ts';
import { layerParams, optimizerShard, stageParams } from './param-sharding.ts';
import type { Layout } from './parallelism.ts';
import { chunkLayers, slotEnds } from './parallelism.ts';
import { pipelineScheduleFor } from './pipeline-schedules/registry.ts';
import type { LayerRouting } from './routing-summary.ts';
import { rankExpertTokens } from './routing-summary.ts';

export interface MemoryBreakdown {
  weights: number;
  gradients: number;
  optimizerStates: number;
  activations: number;
  expertBuffers: number;
  total: number;
  /** Bytes kept in host memory instead (offloaded optimizer states); not in total. */
  hostBytes: number;
}

/** Bytes per parameter: bf16 weights (2) and gradients (2, or 4 in fp32: gradientBytes); fp32 master weights, Adam m and v (4 + 4 + 4). */
const WEIGHT_BYTES = 2;
export const OPTIMIZER_BYTES = 12;
const MEMORY_TERMS = ['weights', 'gradients', 'optimizerStates', 'activations', 'expertBuffers'] as const;

/** Bytes per gradient element: 4 with fp32 gradient accumulation and reduction, else bf16's 2. */
export function gradientBytes(layout: Pick<Layout, 'gradientsInFp32'>): number {
  return layout.gradientsInFp32 ? 4 : 2;
}

/** Chunk-units (a micro-batch's pass through one model chunk) whose activations a stage holds at its peak. */
export function inFlightUnits(layout: Layout, stage: number): number {
  const units = pipelineScheduleFor(layout).units(stage, layout.pp, layout.vpp, layout.microBatches);
  let live = 0;
  let peak = 0;
  for (const u of units) {
    if (u.pass !== 'weight') live += u.pass === 'forward' ? 1 : -1; // a backward frees its activations; W keeps only its inputs' gradients
    peak = Math.max(peak, live);
  }
  return peak;
}

export interface MemoryOptions {
  /**
   * FP8 linear layers (precision.linear: fp8), as Transformer Engine keeps them: an FP8 copy of every layer weight
   * beside the BF16 one (+1 byte per parameter) and the linear layers' saved inputs in FP8 (1 byte per element
   * instead of 2: the QKV and FFN inputs, the O projection's and fc2's inputs).
   */
  fp8Linear?: boolean;
}

/** Per-device memory at its peak, for every device (TP ranks of a (stage, DP rank) are identical). */
export function estimateMemory(model: ModelSpec, layout: Layout, routing: (LayerRouting | undefined)[][], options: MemoryOptions = {}): MemoryBreakdown[] {
  const { tp, dp } = layout;
  const tokens = layout.microBatchSize * model.seqLength;
  const h = model.hidden;
  const sp = layout.sequenceParallel ? tp : 1;
  const c = ffnMatrices(model) === 3 ? 6 : 4; // bytes per token per FFN width unit kept for backward (SwiGLU 3f, GELU 2f)
  // Per-token bytes of one layer. Attention block (Korthikanti: 11h + two norm inputs 4h): the QKV input 2h,
  // dropout mask h and norm inputs 4h are replicated over TP unless SP; Q, K, V and the projection input 8h are
  // sharded. An FFN of width f: input and dropout mask 3h, intermediates c·f sharded over TP.
  // Selective recompute drops what its parts rerun: core attention's output (the O projection's input, 2h/tp per
  // token), and an activation function's output (2 bytes per FFN width unit per token); the permute keeps no buffer
  // the model counts, so recomputing it saves nothing here.
  // FP8 linear layers keep each GEMM's saved input at 1 byte instead of 2 (unless recompute already dropped it).
  const fp8 = options.fp8Linear === true;
  const attentionPerToken = h * ((fp8 ? 6 : 7) / sp + (layout.recomputed.includes('attention') ? 6 : fp8 ? 7 : 8) / tp);
  const kept = c - (layout.recomputed.includes('activation') ? 2 : fp8 ? 1 : 0);
  const inputBytes = fp8 ? 2 : 3; // an FFN's input (2, or 1 in FP8) and its dropout mask (1), times h
  const ffnPerToken = (f: number, inputSplit = sp): number => (inputBytes * h) / inputSplit + (kept * f) / tp;
  const layerInput = (2 * tokens * h) / sp;
  const result: MemoryBreakdown[] = new Array(layout.devices);
  for (let s = 0; s < layout.pp; s++) {
    const params = stageParams(model, layout, s);
    const shard = optimizerShard(layout, params);
    const stateBytes = shard * OPTIMIZER_BYTES;
    const hostBytes = layout.offloadOptimizer ? stateBytes : 0; // offloaded states live in host memory
    const weights = (params.dense + params.expert) * WEIGHT_BYTES + (fp8 ? layerWeights(model, layout, s) : 0); // + FP8 copies
    const gradients = (layout.zero >= 2 ? shard : params.dense + params.expert) * gradientBytes(layout);
    const optimizerStates = layout.offloadOptimizer ? 0 : stateBytes;
    const chunks = Array.from({ length: layout.vpp }, (_, v) => chunkLayers(layout, s, v));
    const units = inFlightUnits(layout, s);
    const lastStage = Array.from({ length: layout.vpp }, (_, v) => slotEnds(layout, layout.chunkIndex[s * layout.vpp + v]!).last).includes(true); // holds an LM head
    for (let d = 0; d < dp; d++) {
      // The heaviest micro-batch (MoE layers' received tokens vary) stands for every micro-batch in flight.
      let worstUnit = 0;
      let biggestLayer = 0;
      let expertBuffers = 0;
      for (const perLayer of routing.length > 0 ? routing : [[]]) {
        for (const layers of chunks) {
          let unit = 0;
          for (const l of layers) {
            let bytes = tokens * attentionPerToken;
            const r = perLayer[l];
            if (isMoeLayer(model, l) && r) {
              const received = receivedByBusiestRank(r, layout, d);
              // Routed experts keep their received tokens whole (SP all-gathers them over TP before the experts; with
              // expertTp = 1 each TP rank its slice's tokens at the full width); shared experts keep the layer's input
              // once and S·f intermediates per token.
              const expertPerToken = inputBytes * h + (kept * model.ffnHidden) / layout.expertTp;
              bytes += received * expertPerToken + (model.sharedExperts > 0 ? tokens * ffnPerToken(model.sharedExperts * model.ffnHidden) : 0) + 4 * tokens * model.experts;
              let sent = 0;
              for (let j = 0; j < dp; j++) sent += r.dispatchTokens[d * dp + j]!;
              const slots = Number.isFinite(r.capacity) ? r.capacity * model.experts : Math.max(sent, received);
              expertBuffers = Math.max(expertBuffers, (2 * slots * h * WEIGHT_BYTES) / sp);
            } else if (!isMoeLayer(model, l)) {
              bytes += tokens * ffnPerToken(denseFfnWidth(model));
            }
            biggestLayer = Math.max(biggestLayer, bytes);
            unit += layout.recompute === 'full' ? layerInput : bytes;
          }
          // A unit in flight is one chunk; the heaviest chunk stands for each (chunks of a stage may differ in layers).
          worstUnit = Math.max(worstUnit, unit);
        }
      }
      let activations = units * worstUnit + (layout.recompute === 'full' ? biggestLayer : 0);
      if (lastStage) activations += (4 * tokens * model.vocab) / tp; // fp32 logits of the LM head
      const total = weights + gradients + optimizerStates + activations + expertBuffers;
      const m: MemoryBreakdown = { weights, gradients, optimizerStates, activations, expertBuffers, total, hostBytes };
      for (let t = 0; t < tp; t++) result[(s * dp + d) * tp + t] = m;
    }
  }
  return result;
}

/** Parameters of stage s's layers on one device (its FP8 weight copies, a byte each; norms and gates included). */
function layerWeights(model: ModelSpec, layout: Layout, s: number): number {
  let n = 0;
  for (let v = 0; v < layout.vpp; v++) {
    for (const l of chunkLayers(layout, s, v)) {
      const p = layerParams(model, layout, l);
      n += p.dense + p.expert;
    }
  }
  return n;
}

/** Tokens DP rank d's experts receive, or with expertTp = 1 its most loaded TP rank's slice of them. */
function receivedByBusiestRank(r: LayerRouting, layout: Layout, d: number): number {
  let most = 0;
  for (let t = 0; t < layout.expertSlices; t++) most = Math.max(most, rankExpertTokens(r, layout.expertsPerDevice, d, t, layout.expertSlices));
  return most;
}

const GIB = 2 ** 30;

/** "needs X GiB, has Y GiB" with the biggest terms named, or undefined when it fits. */
export function memoryVerdict(m: MemoryBreakdown, hbmBytes: number, reserveBytes = 0): string | undefined {
  const usable = hbmBytes - reserveBytes;
  if (m.total <= usable) return undefined;
  const terms = MEMORY_TERMS.map((k) => [k, m[k]] as const).sort((a, b) => b[1] - a[1]).slice(0, 3)
    .map(([k, v]) => `${k} ${(v / GIB).toFixed(1)} GiB`).join(', ');
  const has = reserveBytes > 0 ? `${(usable / GIB).toFixed(1)} GiB of ${(hbmBytes / GIB).toFixed(1)} after the framework's ${(reserveBytes / GIB).toFixed(1)} GiB` : `${(hbmBytes / GIB).toFixed(1)} GiB`;
  return `does not fit: needs ${(m.total / GIB).toFixed(1)} GiB, has ${has} (short by ${((m.total - usable) / GIB).toFixed(1)} GiB); biggest terms: ${terms}`;
}
