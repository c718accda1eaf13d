// The published runs added in issue 17 (docs/VALIDATION.md, "Published runs added in issue 17"): Megatron-LM's
// weak-scaling table on A100, Llama 3 405B, MT-NLG 530B and Nemotron-4 340B on GPUs, eight more MindSpeed-LLM runs on
// 910B and Vidur's all-reduce on 2, 4 and 16 GPUs. Each tolerance, and each known gap's band, is stated here and must
// equal the registry's.
import { describe } from 'vitest';
import { experimentsBeforeAll, validationCase } from './validation-helpers.ts';
import { GPU_CLUSTER_EXPERIMENTS } from '../../src/studies/validate/cases-gpu-clusters.ts';
import { ASCEND_MINDSPEED_EXPERIMENTS } from '../../src/studies/validate/cases-ascend-mindspeed.ts';
import { GPU_PUBLISHED_RUN_EXPERIMENTS } from '../../src/studies/validate/cases-gpu-published-runs.ts';

const tol = { kind: 'relative', value: 0.1 } as const;
const gap = (band: readonly [number, number]): { tolerance: typeof tol; band: readonly [number, number] } => ({ tolerance: tol, band });

describe('Megatron-LM 2021 and Llama 3 405B on GPU clusters', () => {
  const get = experimentsBeforeAll(GPU_CLUSTER_EXPERIMENTS.map((e) => e.id));
  validationCase('megatron-gpt-1.7b-a100-32-tflops', gap([0.18, 0.28]), get);
  validationCase('megatron-gpt-3.6b-a100-64-tflops', tol, get);
  validationCase('megatron-gpt-7.5b-a100-128-tflops', gap([-0.25, -0.15]), get);
  for (const id of ['18.4b-a100-256', '39.1b-a100-512', '76.1b-a100-1024', '145.6b-a100-1536', '310.1b-a100-1920', '529.6b-a100-2520', '1t-a100-3072']) {
    validationCase(`megatron-gpt-${id}-tflops`, tol, get);
  }
  validationCase('llama3-405b-h100-8192-mfu', gap([0.1, 0.2]), get);
  validationCase('llama3-405b-h100-16384-mfu', tol, get);
});

describe('MT-NLG 530B on 2,240-3,360 A100s and Nemotron-4 340B on 1,536 and 6,144 H100s', () => {
  const get = experimentsBeforeAll(GPU_PUBLISHED_RUN_EXPERIMENTS.map((e) => e.id));
  validationCase('mt-nlg-530b-a100-2240-tflops', gap([0.21, 0.31]), get);
  validationCase('mt-nlg-530b-a100-2800-tflops', gap([0.22, 0.32]), get);
  validationCase('mt-nlg-530b-a100-3360-tflops', gap([0.27, 0.37]), get);
  validationCase('nemotron-4-340b-h100-1536-mfu', gap([0.1, 0.2]), get);
  validationCase('nemotron-4-340b-h100-6144-mfu', gap([0.12, 0.22]), get);
});

describe('MindSpeed-LLM dense runs on 910B (README table)', () => {
  const get = experimentsBeforeAll(ASCEND_MINDSPEED_EXPERIMENTS.map((e) => e.id));
  validationCase('mindspeed-llama-7b-tokens-per-npu', tol, get);
  validationCase('mindspeed-llama-13b-tokens-per-npu', gap([0.08, 0.18]), get);
  // With MC2 modelled as tpCommOverlap these are too fast (cases-ascend-mindspeed.ts, mc2Gap).
  validationCase('mindspeed-llama-33b-tokens-per-npu', gap([0.2, 0.3]), get);
  validationCase('mindspeed-llama-65b-tokens-per-npu', gap([0.26, 0.36]), get);
  validationCase('mindspeed-llama2-34b-tokens-per-npu', gap([0.14, 0.24]), get);
  validationCase('mindspeed-llama3-8b-tokens-per-npu', gap([0.24, 0.34]), get);
  validationCase('mindspeed-llama3-70b-tokens-per-npu', gap([0.29, 0.39]), get);
  validationCase('mindspeed-qwen-7b-tokens-per-npu', gap([0.31, 0.41]), get);
});

describe('Vidur NCCL all-reduce on 2, 4 and 16 GPUs', () => {
  const none = experimentsBeforeAll([]);
  validationCase('vidur-h100-allreduce-2ranks-1node-64mib', gap([-0.35, -0.25]), none);
  validationCase('vidur-h100-allreduce-4ranks-1node-64mib', gap([-0.22, -0.12]), none);
  validationCase('vidur-a100-allreduce-2ranks-1node-64mib', gap([-0.19, -0.09]), none);
  validationCase('vidur-a100-allreduce-4ranks-1node-64mib', tol, none);
  validationCase('vidur-a100-allreduce-16ranks-2nodes-64mib', gap([-0.33, -0.23]), none);
});
