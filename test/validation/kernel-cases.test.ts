// Component validation cases: CodeLlama-34B's kernels on H100 and A100 (a model the kernel tables were not fitted
// to) and the DGX all-reduce rows, against Vidur's measurements (src/studies/validate/cases-kernels.ts). Each tolerance,
// and each known gap's recorded error band, is stated here and must equal the registry's.
import { describe } from 'vitest';
import type { CompareResult, Tolerance } from '../../src/studies/index.ts';
import { validationCase } from './validation-helpers.ts';

const none = (): Map<string, CompareResult> => new Map<string, CompareResult>();
const TEN: Tolerance = { kind: 'relative', value: 0.1 };
const GAPS: Record<string, [number, number]> = {
  'vidur-h100-gemm-mlp_down_proj': [0.1, 0.15],
  'vidur-h100-memory-activation': [0.1, 0.13],
  'dgx-a100-allreduce-16mib': [-0.33, -0.26],
  'dgx-a100-allreduce-32mib': [-0.17, -0.11],
};
const stated = (id: string): Tolerance | { tolerance: Tolerance; band: [number, number] } => (GAPS[id] !== undefined ? { tolerance: TEN, band: GAPS[id] } : TEN);

describe.each(['h100', 'a100'])('Vidur kernels on %s (held-out model CodeLlama-34B)', (gpu) => {
  for (const op of ['attn_pre_proj', 'attn_post_proj', 'mlp_up_proj', 'mlp_down_proj']) validationCase(`vidur-${gpu}-gemm-${op}`, stated(`vidur-${gpu}-gemm-${op}`), none);
  for (const kind of ['norm', 'activation', 'rope', 'residual-add']) validationCase(`vidur-${gpu}-memory-${kind}`, stated(`vidur-${gpu}-memory-${kind}`), none);
  validationCase(`vidur-${gpu}-gemm-held-out-sum`, TEN, none);
});

describe.each(['h100', 'a100'])('NCCL all-reduce on one DGX %s (16 and 32 MiB held out; 64 MiB and small sizes calibrate)', (gpu) => {
  for (const size of ['16mib', '32mib', '64mib', 'small']) validationCase(`dgx-${gpu}-allreduce-${size}`, stated(`dgx-${gpu}-allreduce-${size}`), none);
});
