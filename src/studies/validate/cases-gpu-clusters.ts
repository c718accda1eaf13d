// Published whole-step throughput of large GPU runs (issue 17): Megatron-LM's weak-scaling table (Narayanan et al.
// 2021, GPT 1.7B–1T on 32–3,072 A100s, per-GPU teraFLOP/s by the paper's own FLOP count) and Llama 3 405B on 8,192
// and 16,384 H100s (BF16 MFU, PaLM's count). Scenario headers (scenarios/papers/megatron-gpt-*.yaml,
// llama3-405b-h100-*.yaml) hold each configuration as published and every assumption; runs of 1,024 GPUs or more
// are simulated on two of their identical data-parallel replicas (the headers say why and what that changes).
import { attentionCoreFlopsPerToken, loadModelPreset, trainingFlopsPerToken } from '../../workloads/index.ts';
import { rowOf } from './case-measures.ts';
import type { Experiment, KnownGap, Measurements, ValidationCase } from './validation-types.ts';

/** One row of Table 1: model preset suffix, heads, hidden, layers, TP, PP, GPUs, batch, published TFLOPS per GPU. */
interface MegatronRow { name: string; params: string; l: number; h: number; tp: number; pp: number; gpus: number; batch: number; tflops: number; percent: number }

const ROWS: MegatronRow[] = [
  { name: '1.7b', params: '1.7B', l: 24, h: 2304, tp: 1, pp: 1, gpus: 32, batch: 512, tflops: 137, percent: 44 },
  { name: '3.6b', params: '3.6B', l: 30, h: 3072, tp: 2, pp: 1, gpus: 64, batch: 512, tflops: 138, percent: 44 },
  { name: '7.5b', params: '7.5B', l: 36, h: 4096, tp: 4, pp: 1, gpus: 128, batch: 512, tflops: 142, percent: 46 },
  { name: '18.4b', params: '18.4B', l: 40, h: 6144, tp: 8, pp: 1, gpus: 256, batch: 1024, tflops: 135, percent: 43 },
  { name: '39.1b', params: '39.1B', l: 48, h: 8192, tp: 8, pp: 2, gpus: 512, batch: 1536, tflops: 138, percent: 44 },
  { name: '76.1b', params: '76.1B', l: 60, h: 10240, tp: 8, pp: 4, gpus: 1024, batch: 1792, tflops: 140, percent: 45 },
  { name: '145.6b', params: '145.6B', l: 80, h: 12288, tp: 8, pp: 8, gpus: 1536, batch: 2304, tflops: 148, percent: 47 },
  { name: '310.1b', params: '310.1B', l: 96, h: 16384, tp: 8, pp: 16, gpus: 1920, batch: 2160, tflops: 155, percent: 50 },
  { name: '529.6b', params: '529.6B', l: 105, h: 20480, tp: 8, pp: 35, gpus: 2520, batch: 2520, tflops: 163, percent: 52 },
  { name: '1t', params: '1T', l: 128, h: 25600, tp: 8, pp: 64, gpus: 3072, batch: 3072, tflops: 163, percent: 52 },
];

const A100_PEAK = 312e12;
const experimentOf = (r: MegatronRow): string => `megatron-gpt-${r.name}-a100-${r.gpus}`;

export const GPU_CLUSTER_EXPERIMENTS: Experiment[] = [
  ...ROWS.map((r) => ({ id: experimentOf(r), scenario: `scenarios/papers/${experimentOf(r)}.yaml`, routers: 'dense' })),
  { id: 'llama3-405b-h100-8192', scenario: 'scenarios/papers/llama3-405b-h100-8192.yaml', routers: 'dense' },
  { id: 'llama3-405b-h100-16384', scenario: 'scenarios/papers/llama3-405b-h100-16384.yaml', routers: 'dense' },
];

/**
 * Achieved FLOP/s per GPU as the paper counts it (its equation (3), activation recomputation included): 96 · B · s ·
 * l · h² · (1 + s/(6h) + V/(16 · l · h)) per step of B sequences, over moesim's step time and the simulated GPUs
 * (the simulated batch: a run simulated on fewer data-parallel replicas has a proportionally smaller batch), as a
 * fraction of the A100's 312 TFLOPS.
 */
async function megatronFlopsFraction(m: Measurements, r: MegatronRow): Promise<number> {
  const result = await m.compare(experimentOf(r));
  const row = rowOf(result, 'dense');
  const [s, V] = [2048, 51200];
  const simulatedBatch = (row.tokensPerSecond * row.stepTime_s) / s;
  const flops = 96 * simulatedBatch * s * r.l * r.h ** 2 * (1 + s / (6 * r.h) + V / (16 * r.l * r.h));
  return flops / (row.stepTime_s * result.devices) / A100_PEAK;
}

const MEGATRON_GAPS: Record<string, KnownGap> = {
  '1.7b': { band: [0.18, 0.28], reason: 'not diagnosed: moesim\'s step is 2.88 s against the 3.52 s that the published 137 TFLOPS implies. With TP 1 and PP 1 the step is compute and the gradient all-reduce over 32 servers; candidates are the hidden-2304 GEMMs, which the A100 table extrapolates (Vidur\'s A100 profiles start at hidden 4096), and per-step costs moesim does not charge (optimizer, data loading, Python), which weigh most on the smallest model' },
  '7.5b': { band: [-0.25, -0.15], reason: 'not diagnosed: TP 4 without sequence parallelism all-reduces every layer\'s activations over NVLink (forward, recomputed forward and backward), exposed in Megatron-LM 2021 and in moesim alike; the 3.6B (TP 2) and 18.4B (TP 8) rows hold within 5%, so the TP 4 collectives or the 4,096-wide GEMMs split four ways are the suspects' },
};

const megatronCases: ValidationCase[] = ROWS.map((r) => ({
  id: `megatron-gpt-${r.name}-a100-${r.gpus}-tflops`, paper: 'Megatron-LM 2021',
  source: 'Narayanan et al. 2021, arXiv 2104.04473, Table 1 (via its transcription in SotaroKaneda/MLCarbon data/megatron_table.csv at 69070b28)',
  what: `GPT ${r.params} on ${r.gpus} × A100 (TP ${r.tp}, PP ${r.pp}, batch ${r.batch}, seq 2048): achieved FLOP/s per GPU by the paper's count (recompute included), / 312 TFLOPS`,
  unit: '%', published: r.tflops * 1e12 / A100_PEAK, publishedText: `${r.tflops} TFLOPS per GPU (${r.percent}% of peak)`,
  tolerance: { kind: 'relative', value: 0.1 }, kind: 'accuracy', role: 'held-out',
  mfu: { convention: 'hardware', peak: 'A100 BF16/FP16 dense, 312 TFLOPS; FLOPs by the paper\'s equation (3), which counts the recomputed forward' },
  ...(MEGATRON_GAPS[r.name] !== undefined ? { knownGap: MEGATRON_GAPS[r.name] } : {}),
  experiments: [experimentOf(r)], measure: (m) => megatronFlopsFraction(m, r),
}));

/** BF16 MFU as PaLM counts it (6 × parameters + 12 · L · H · Q · T per token), over H100's 989 TFLOPS dense peak. */
async function llama3Mfu(m: Measurements, experiment: string): Promise<number> {
  const result = await m.compare(experiment);
  const model = loadModelPreset('llama3-405b');
  const palmFlopsPerToken = trainingFlopsPerToken(model) + 3 * model.layers * attentionCoreFlopsPerToken(model);
  return (rowOf(result, 'dense').tokensPerSecond * palmFlopsPerToken) / (result.devices * 989e12);
}

const LLAMA3_GAP = 'moesim runs Meta\'s FSDP as ZeRO-2 (no parameter all-gathers: Meta prefetches them asynchronously, but they share the 400 Gb/s links with the pipeline sends), a DGX H100 InfiniBand fabric for Meta\'s RoCE one, and none of the imbalance the document mask adds to attention; its step is faster than published';

const llama3Cases: ValidationCase[] = ([
  ['8192', 0.43, '430 TFLOPs per GPU, 43% BF16 MFU', 'DP 64, 32 sequences per DP group', [0.1, 0.2]],
  ['16384', 0.41, '400 TFLOPs per GPU, 41% BF16 MFU', 'DP 128, 16 sequences per DP group', undefined],
] as const).map(([gpus, published, text, layout, band]) => ({
  id: `llama3-405b-h100-${gpus}-mfu`, paper: 'Llama 3 405B', source: 'arXiv 2407.21783, Table 4 and section 3.3.2',
  what: `Llama 3 405B on ${Number(gpus).toLocaleString('en-US')} × H100 (TP 8, PP 16, ${layout}, seq 8192): BF16 MFU, PaLM's FLOP count`,
  unit: '%', published, publishedText: text, tolerance: { kind: 'relative', value: 0.1 }, kind: 'accuracy', role: 'held-out',
  mfu: { convention: 'model', peak: 'H100 SXM BF16 dense, 989 TFLOPS (430 / 989 = 43.5%, as the paper rounds); PaLM\'s count' },
  ...(band !== undefined ? { knownGap: { reason: LLAMA3_GAP, band } } : {}),
  experiments: [`llama3-405b-h100-${gpus}`], measure: (m: Measurements) => llama3Mfu(m, `llama3-405b-h100-${gpus}`),
}));

export const GPU_CLUSTER_CASES: ValidationCase[] = [...megatronCases, ...llama3Cases];
