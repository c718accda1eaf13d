// Validation cases that need no step run: MEO's FLOPs on BERT-base-MoE (exact arithmetic, so 2% where the paper
// gives a number) and HCCL's bus bandwidth on one Atlas 800T A2 server (the calibration cases of the HCCS link
// efficiency). Each tolerance is stated here and must equal the registry's.
import { describe } from 'vitest';
import type { CompareResult } from '../../src/studies/index.ts';
import { validationCase } from './validation-helpers.ts';

const none = (): Map<string, CompareResult> => new Map<string, CompareResult>();

describe('MEO FLOPs (arXiv 2310.09832)', () => {
  validationCase('meo-vanilla-moe-flops', { kind: 'relative', value: 0.02 }, none);
  validationCase('meo-merged-flops', { kind: 'relative', value: 0.02 }, none);
  validationCase('meo-moe-flops-k1', { kind: 'relative', value: 0.02 }, none);
  validationCase('meo-moe-flops-k32', { kind: 'relative', value: 0.02 }, none);
  validationCase('meo-merged-flops-k32', { kind: 'relative', value: 0.1 }, none);
});

describe('HCCL bus bandwidth on one Atlas 800T A2 (calibration cases)', () => {
  validationCase('hccl-a2-allreduce-busbw', { kind: 'relative', value: 0.1 }, none);
  validationCase('hccl-a2-allgather-busbw', { kind: 'relative', value: 0.1 }, none);
});
