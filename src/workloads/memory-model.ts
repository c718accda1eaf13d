// Device memory: weights, gradients and Adam states (mixed precision), activations of one micro-batch in flight
// (Korthikanti et al. 2022 byte counts, flash attention), and the all-to-all buffers of an MoE layer.
import type { ModelSpec } from './model-spec.ts';
import { isMoeLayer } from './model-spec.ts';
import { countParams, ffnMatrices } from './model-size.ts';
import type { Layout } from './parallelism.ts';
import type { LayerRouting } from './routing-summary.ts';

export interface MemoryBreakdown {
  weights: number;
  gradients: number;
  optimizerStates: number;
  activations: number;
  expertBuffers: number;
  total: number;
}

/** Bytes per parameter: bf16 weights (2) and gradients (2); fp32 master weights, Adam m and v (4 + 4 + 4). */
const WEIGHT_BYTES = 2;
const GRADIENT_BYTES = 2;
const OPTIMIZER_BYTES = 12;

/** Per-device memory at its peak (the end of a micro-batch's forward pass), for every device. */
export function estimateMemory(model: ModelSpec, layout: Layout, routing: (LayerRouting | undefined)[][]): MemoryBreakdown[] {
  const params = countParams(model);
  const localParams = params.dense + params.perExpert * layout.expertsPerDevice;
  const tokens = layout.microBatchSize * model.seqLength;
  const h = model.hidden;
  const f = model.ffnHidden;
  // FFN activations per token: input 2h, dropout mask h, and 2 bytes per intermediate (2f GELU, 3f SwiGLU).
  const perTokenExpertBytes = 3 * h + (ffnMatrices(model) === 3 ? 6 : 4) * f;
  const result: MemoryBreakdown[] = [];
  for (let d = 0; d < layout.devices; d++) {
    let activations = 0;
    let expertBuffers = 0;
    for (const perLayer of routing) {
      let mbActivations = 4 * tokens * model.vocab; // fp32 logits of the LM head
      for (let l = 0; l < model.layers; l++) {
        mbActivations += 15 * tokens * h; // attention block 11·s·b·h + two norms 4·s·b·h (bytes)
        const r = perLayer[l];
        if (!isMoeLayer(model, l) || !r) {
          mbActivations += tokens * perTokenExpertBytes; // dense FFN: 19·s·b·h when f = 4h (GELU)
          continue;
        }
        const per = layout.expertsPerDevice;
        let received = 0;
        for (let i = d * per; i < (d + 1) * per; i++) received += r.tokensPerDeviceExpert[i] as number;
        // Routed experts (tokens this device's experts received), shared experts (every local token), fp32 router scores.
        mbActivations += (received + model.sharedExperts * tokens) * perTokenExpertBytes + 4 * tokens * model.experts;
        let sent = 0;
        for (let j = 0; j < layout.devices; j++) sent += r.dispatchTokens[d * layout.devices + j] as number;
        const slots = Number.isFinite(r.capacity) ? r.capacity * model.experts : Math.max(sent, received);
        expertBuffers = Math.max(expertBuffers, 2 * slots * h * WEIGHT_BYTES);
      }
      activations = Math.max(activations, mbActivations);
    }
    const weights = localParams * WEIGHT_BYTES;
    const gradients = localParams * GRADIENT_BYTES;
    const optimizerStates = localParams * OPTIMIZER_BYTES;
    result.push({ weights, gradients, optimizerStates, activations, expertBuffers, total: weights + gradients + optimizerStates + activations + expertBuffers });
  }
  return result;
}
