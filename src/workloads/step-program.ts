// Build one training step as per-device task lists: forward and backward of every layer for every micro-batch,
// the EP dispatch/combine all-to-all-v carrying the routing traffic, and the gradient allreduces. (tp = pp = 1.)
import type { KernelChip, KernelCost } from '../kernels/index.ts';
import { addCosts, adamOptimizerCost, flashAttentionCost, gemmCost, groupedExpertFfnCost, memoryBoundCost, scaleCost } from '../kernels/index.ts';
import type { ModelSpec } from './model-spec.ts';
import { isMoeLayer } from './model-spec.ts';
import { countParams, ffnMatrices } from './model-size.ts';
import type { Layout } from './parallelism.ts';
import { epGroupDevices } from './parallelism.ts';
import type { LayerRouting } from './routing-summary.ts';
import type { CollectiveSpec, CommCategory, ComputeCategory, StepProgram, Task } from './step-program-types.ts';

const BYTES_PER_ELEMENT = 2; // bf16 activations and gradients
const BACKWARD_FACTOR = 2; // input gradient + weight gradient

export interface StepProgramInput {
  model: ModelSpec;
  layout: Layout;
  chip: KernelChip;
  /** routing[microBatch][layer] for MoE layers (undefined for dense layers). */
  routing: (LayerRouting | undefined)[][];
}

export function buildStepProgram(input: StepProgramInput): StepProgram {
  const { model, layout, chip, routing } = input;
  const devices = layout.devices;
  const tokens = layout.microBatchSize * model.seqLength; // tokens per device per micro-batch
  const h = model.hidden;
  const tasks: Task[][] = Array.from({ length: devices }, () => []);
  const collectives: CollectiveSpec[] = [];

  const compute = (d: number, name: string, category: ComputeCategory, cost: KernelCost): void => {
    tasks[d]?.push({ kind: 'compute', name, category, durationNs: cost.timeNs, flops: cost.flops });
  };
  const collective = (spec: Omit<CollectiveSpec, 'id'>): void => {
    const id = collectives.length;
    collectives.push({ ...spec, id });
    for (const d of spec.group) tasks[d]?.push({ kind: 'collective', collective: id });
  };
  const allToAll = (name: string, category: CommCategory, r: LayerRouting, transpose: boolean): void => {
    for (let g = 0; g < layout.epGroups; g++) {
      const group = epGroupDevices(layout, g);
      const n = group.length;
      const m = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const [src, dst] = transpose ? [group[j] as number, group[i] as number] : [group[i] as number, group[j] as number];
          m[i * n + j] = (r.dispatchTokens[src * devices + dst] as number) * h * BYTES_PER_ELEMENT;
        }
      }
      collective({ name: `${name} ep${g}`, category, group, op: 'all-to-all-v', bytesMatrix: m });
    }
  };

  const kvDim = (h / model.heads) * model.kvHeads;
  const attentionFwd = addCosts(
    memoryBoundCost(chip, 2 * tokens * h * BYTES_PER_ELEMENT), // input norm
    gemmCost(chip, tokens, h + 2 * kvDim, h), // Q, K, V projections
    flashAttentionCost(chip, { sequences: layout.microBatchSize, seqLength: model.seqLength, heads: model.heads, kvHeads: model.kvHeads, headDim: h / model.heads, causal: true }),
    gemmCost(chip, tokens, h, h), // output projection
    memoryBoundCost(chip, 3 * tokens * h * BYTES_PER_ELEMENT), // residual add
  );
  const mats = ffnMatrices(model);
  const denseFfnFwd = addCosts(gemmCost(chip, tokens, model.ffnHidden * (mats - 1), h), gemmCost(chip, tokens, h, model.ffnHidden));
  const gateFwd = addCosts(memoryBoundCost(chip, 2 * tokens * h * BYTES_PER_ELEMENT), gemmCost(chip, tokens, model.experts, h));
  const sharedFwd = scaleCost(denseFfnFwd, model.sharedExperts);
  const lmHeadFwd = addCosts(gemmCost(chip, tokens, model.vocab, h), memoryBoundCost(chip, 2 * tokens * model.vocab * BYTES_PER_ELEMENT));
  const embeddingFwd = memoryBoundCost(chip, 2 * tokens * h * BYTES_PER_ELEMENT);
  const expertCost = (d: number, r: LayerRouting): KernelCost => {
    const per = layout.expertsPerDevice;
    return groupedExpertFfnCost(chip, r.tokensPerDeviceExpert.subarray(d * per, (d + 1) * per), h, model.ffnHidden, mats);
  };
  const layerRouting = (mb: number, l: number): LayerRouting => {
    const r = routing[mb]?.[l];
    if (!r) throw new Error(`no routing for micro-batch ${mb}, layer ${l}`);
    return r;
  };

  for (let mb = 0; mb < layout.microBatches; mb++) {
    // Forward.
    for (let d = 0; d < devices; d++) compute(d, `embedding mb${mb}`, 'embedding', embeddingFwd);
    for (let l = 0; l < model.layers; l++) {
      for (let d = 0; d < devices; d++) compute(d, `attention L${l} mb${mb}`, 'attention', attentionFwd);
      if (!isMoeLayer(model, l)) {
        for (let d = 0; d < devices; d++) compute(d, `ffn L${l} mb${mb}`, 'dense-ffn', denseFfnFwd);
        continue;
      }
      const r = layerRouting(mb, l);
      for (let d = 0; d < devices; d++) compute(d, `gate L${l} mb${mb}`, 'gate', addCosts(gateFwd, sharedFwd));
      allToAll(`dispatch L${l} mb${mb}`, 'ep-dispatch', r, false);
      for (let d = 0; d < devices; d++) compute(d, `experts L${l} mb${mb}`, 'expert', expertCost(d, r));
      allToAll(`combine L${l} mb${mb}`, 'ep-combine', r, true);
    }
    for (let d = 0; d < devices; d++) compute(d, `lm-head mb${mb}`, 'lm-head', lmHeadFwd);
    // Backward, layers in reverse.
    for (let d = 0; d < devices; d++) compute(d, `lm-head bwd mb${mb}`, 'lm-head', scaleCost(lmHeadFwd, BACKWARD_FACTOR));
    for (let l = model.layers - 1; l >= 0; l--) {
      if (isMoeLayer(model, l)) {
        const r = layerRouting(mb, l);
        allToAll(`combine bwd L${l} mb${mb}`, 'ep-combine', r, false);
        for (let d = 0; d < devices; d++) compute(d, `experts bwd L${l} mb${mb}`, 'expert', scaleCost(expertCost(d, r), BACKWARD_FACTOR));
        allToAll(`dispatch bwd L${l} mb${mb}`, 'ep-dispatch', r, true);
        for (let d = 0; d < devices; d++) compute(d, `gate bwd L${l} mb${mb}`, 'gate', scaleCost(addCosts(gateFwd, sharedFwd), BACKWARD_FACTOR));
      } else {
        for (let d = 0; d < devices; d++) compute(d, `ffn bwd L${l} mb${mb}`, 'dense-ffn', scaleCost(denseFfnFwd, BACKWARD_FACTOR));
      }
      for (let d = 0; d < devices; d++) compute(d, `attention bwd L${l} mb${mb}`, 'attention', scaleCost(attentionFwd, BACKWARD_FACTOR));
    }
  }

  // Gradient reduction: dense parameters over all data-parallel ranks; each expert over the EP groups holding a copy.
  const params = countParams(model);
  const allDevices = Array.from({ length: devices }, (_, d) => d);
  if (devices > 1) collective({ name: 'dp allreduce (dense grads)', category: 'dp-allreduce', group: allDevices, op: 'allreduce', bytesPerRank: params.dense * BYTES_PER_ELEMENT });
  if (layout.epGroups > 1) {
    for (let r = 0; r < layout.ep; r++) {
      const group = Array.from({ length: layout.epGroups }, (_, g) => g * layout.ep + r);
      collective({ name: `expert grad allreduce rank${r}`, category: 'expert-grad-allreduce', group, op: 'allreduce', bytesPerRank: params.perExpert * layout.expertsPerDevice * BYTES_PER_ELEMENT });
    }
  }
  const localParams = params.dense + params.perExpert * layout.expertsPerDevice;
  for (let d = 0; d < devices; d++) compute(d, 'optimizer', 'optimizer', adamOptimizerCost(chip, localParams));
  return { devices, tasks, collectives };
}
