// More published whole-step throughput of large GPU runs (issue 17, second batch): Megatron-Turing NLG 530B on 2,240,
// 2,800 and 3,360 A100s (Smith et al. 2022, per-GPU teraFLOP/s by Megatron-LM's FLOP count) and Nemotron-4 340B on
// 1,536 and 6,144 H100s (BF16 MFU, Table 2 of its report). Scenario headers (scenarios/papers/mt-nlg-530b-a100-*.yaml,
// nemotron-4-340b-h100-*.yaml) hold each configuration as published, the source read and every assumption; every run
// is simulated on two of its identical data-parallel replicas with the published micro-batches per pipeline.
import { attentionCoreFlopsPerToken, loadModelPreset, trainingFlopsPerToken } from '../../workloads/index.ts';
import { rowOf } from './case-measures.ts';
import type { Experiment, KnownGap, Measurements, ValidationCase } from './validation-types.ts';

const A100_PEAK = 312e12;
const H100_PEAK = 989e12;

/** One MT-NLG throughput run of section 2.4: DGX A100 servers, GPUs, data-parallel size, iteration time, TFLOP/s. */
interface MtNlgRun { servers: number; gpus: number; dp: number; iteration_s: number; tflops: number; band: readonly [number, number] }

const MTNLG_RUNS: MtNlgRun[] = [
  { servers: 280, gpus: 2240, dp: 8, iteration_s: 60.1, tflops: 126, band: [0.21, 0.31] },
  { servers: 350, gpus: 2800, dp: 10, iteration_s: 50.2, tflops: 121, band: [0.22, 0.32] },
  { servers: 420, gpus: 3360, dp: 12, iteration_s: 44.4, tflops: 113, band: [0.27, 0.37] },
];

/** One row of Nemotron-4 340B's Table 2: GPUs, data-parallel size, batch, iteration time, MFU. */
interface NemotronRun { gpus: number; dp: number; batch: number; iteration_s: number; mfu: number; band: readonly [number, number] }

const NEMOTRON_RUNS: NemotronRun[] = [
  { gpus: 1536, dp: 16, batch: 768, iteration_s: 10.3, mfu: 0.424, band: [0.1, 0.2] },
  { gpus: 6144, dp: 64, batch: 2304, iteration_s: 8.0, mfu: 0.41, band: [0.12, 0.22] },
];

const mtNlgExperiment = (r: MtNlgRun): string => `mt-nlg-530b-a100-${r.gpus}`;
const nemotronExperiment = (r: NemotronRun): string => `nemotron-4-340b-h100-${r.gpus}`;

export const GPU_PUBLISHED_RUN_EXPERIMENTS: Experiment[] = [
  ...MTNLG_RUNS.map((r) => ({ id: mtNlgExperiment(r), scenario: `scenarios/papers/${mtNlgExperiment(r)}.yaml`, routers: 'dense' })),
  ...NEMOTRON_RUNS.map((r) => ({ id: nemotronExperiment(r), scenario: `scenarios/papers/${nemotronExperiment(r)}.yaml`, routers: 'dense' })),
];

/**
 * Achieved FLOP/s per GPU by Megatron-LM's equation (3), the count that reproduces MT-NLG's published figures from
 * its iteration times (125.7, 121.0, 113.5): 96 · B · s · l · h² · (1 + s/(6h) + V/(16 · l · h)) per step of B
 * sequences (the simulated batch), over moesim's step time and the simulated GPUs, as a fraction of 312 TFLOPS.
 */
async function mtNlgFlopsFraction(m: Measurements, r: MtNlgRun): Promise<number> {
  const result = await m.compare(mtNlgExperiment(r));
  const row = rowOf(result, 'dense');
  const model = loadModelPreset('mt-nlg-530b');
  const [s, l, h, V] = [model.seqLength, model.layers, model.hidden, model.vocab];
  const simulatedBatch = (row.tokensPerSecond * row.stepTime_s) / s;
  const flops = 96 * simulatedBatch * s * l * h ** 2 * (1 + s / (6 * h) + V / (16 * l * h));
  return flops / (row.stepTime_s * result.devices) / A100_PEAK;
}

const MTNLG_GAP = 'not diagnosed beyond this: the same shape (105 layers, hidden 20480, TP 8, PP 35, micro-batch 1) ran at 163 TFLOP/s per GPU on the same Selene DGX A100s in Megatron-LM\'s own table (arXiv 2104.04473, 2,520 GPUs, 280 micro-batches per pipeline), which moesim reproduces within 1% (megatron-gpt-529.6b-a100-2520-tflops); MT-NLG\'s DeepSpeed pipeline engine with Megatron\'s tensor slicing ran 23-31% slower per GPU at 240-160 micro-batches, for costs moesim does not model (the engine\'s scheduling and point-to-point overheads are candidates, not measured). moesim\'s step at 2,240 GPUs is 47.5 s against the published 60.1 s; its drop from 2,240 to 3,360 GPUs (-6%, a larger bubble) is smaller than the published one (-10%)';

const mtNlgCases: ValidationCase[] = MTNLG_RUNS.map((r) => ({
  id: `mt-nlg-530b-a100-${r.gpus}-tflops`, paper: 'MT-NLG 530B',
  source: 'Smith et al. 2022, arXiv 2201.11990, section 2.4 (via its quotation in cli99/llm-analysis examples/megatron-turing-nlg/README.md at eb2d5c03)',
  what: `MT-NLG 530B on ${r.servers} DGX A100 (${r.gpus.toLocaleString('en-US')} GPUs; TP 8, PP 35, DP ${r.dp}, batch 1920, seq 2048): achieved FLOP/s per GPU by Megatron-LM's count (recompute included), / 312 TFLOPS`,
  unit: '%', published: (r.tflops * 1e12) / A100_PEAK, publishedText: `${r.tflops} TFLOP/s per GPU (iteration ${r.iteration_s} s)`,
  tolerance: { kind: 'relative', value: 0.1 }, kind: 'accuracy', role: 'held-out',
  mfu: { convention: 'hardware', peak: 'A100 BF16 dense, 312 TFLOPS; FLOPs by Megatron-LM\'s equation (3), which counts the recomputed forward' },
  knownGap: { reason: MTNLG_GAP, band: r.band } satisfies KnownGap,
  experiments: [mtNlgExperiment(r)], measure: (m: Measurements) => mtNlgFlopsFraction(m, r),
}));

/** BF16 MFU by 6 × (non-embedding parameters + LM head) plus PaLM's attention term, over H100's 989 TFLOPS. */
async function nemotronMfu(m: Measurements, r: NemotronRun): Promise<number> {
  const result = await m.compare(nemotronExperiment(r));
  const model = loadModelPreset('nemotron-4-340b');
  const palmFlopsPerToken = trainingFlopsPerToken(model) + 3 * model.layers * attentionCoreFlopsPerToken(model);
  return (rowOf(result, 'dense').tokensPerSecond * palmFlopsPerToken) / (result.devices * H100_PEAK);
}

const NEMOTRON_GAP = 'not diagnosed: moesim\'s step is faster than published (6.81 s against 8.0 s at 6,144 GPUs, 8.92 s against 10.3 s at 1,536), as for Llama 3 405B at 8,192 H100s (+16%). Known parts: the two simulated replicas reduce-scatter and all-gather 1/2 of the gradient and parameter bytes where the run moved 15/16 or 63/64 (about 0.14 s more exposed at full scale, 2% of the step), and the assumed layout (one layer per chunk, sequence parallelism, no TP overlap) is NVIDIA\'s recipe, not the report\'s; the rest (about 10%) is not located';

const nemotronCases: ValidationCase[] = NEMOTRON_RUNS.map((r) => ({
  id: `nemotron-4-340b-h100-${r.gpus}-mfu`, paper: 'Nemotron-4 340B',
  source: 'NVIDIA, arXiv 2406.11704, Table 2 and section 2.3 (via public transcriptions of the table; see the scenario header)',
  what: `Nemotron-4 340B on ${r.gpus.toLocaleString('en-US')} × H100 (TP 8, PP 12 interleaved, DP ${r.dp}, batch ${r.batch}, seq 4096): BF16 MFU`,
  unit: '%', published: r.mfu, publishedText: `${(r.mfu * 100).toFixed(1)}% MFU (iteration ${r.iteration_s} s)`,
  tolerance: { kind: 'relative', value: 0.1 }, kind: 'accuracy', role: 'held-out',
  mfu: { convention: 'model', peak: 'H100 SXM BF16 dense, 989 TFLOPS; 6 × (non-embedding parameters + LM head) + PaLM\'s attention term, which reproduces the table\'s MFU from its iteration times (40.9%, 42.3%)' },
  knownGap: { reason: NEMOTRON_GAP, band: r.band } satisfies KnownGap,
  experiments: [nemotronExperiment(r)], measure: (m: Measurements) => nemotronMfu(m, r),
}));

export const GPU_PUBLISHED_RUN_CASES: ValidationCase[] = [...mtNlgCases, ...nemotronCases];
