// MindSpeed-LLM's (ModelLink's) measured pre-training throughput of eight more dense models on Atlas 900 A2 PODc
// (Ascend 910B), tokens/s per NPU, all held out from the 910B compute calibration (docs/VALIDATION.md, "Ascend
// compute calibration"; the calibration case is Llama 2 7B in cases-ascend-compute.ts). Each scenario
// (scenarios/papers/mindspeed-*-910b-*.yaml) gives the model's pretrain script, its layout and the assumptions.
import { rowOf } from './case-measures.ts';
import type { Experiment, KnownGap, Measurements, ValidationCase } from './validation-types.ts';

const SOURCE = 'aeeeeeep/ModelLink (a copy of Ascend/ModelLink) README.md at 01921b68, measured-performance table (Atlas 900 A2 PODc, MC2 on); layouts from the examples/ pretrain scripts';

/**
 * The README measured with MC2 on, so the TP runs set tpCommOverlap, and moesim then predicts 19–36% more than
 * published; with every TP collective exposed (tpCommOverlap off) the same six were within −6% … +5% (the branch
 * that added them, before the overlap existed). moesim's overlap takes the chunked all-gather/reduce-scatter as
 * perfectly hidden behind the GEMMs beside them, at a 10% compute slowdown (assumed); MC2 on the 910B evidently
 * hides far less. Not tuned: the gap is kept until a measured MC2 efficiency exists.
 */
function mc2Gap(band: readonly [number, number], tp: number, detail: string): KnownGap {
  return { band, reason: `MC2 (tpCommOverlap) hides all of TP ${tp}'s all-gathers and reduce-scatters in moesim, as a perfectly chunked overlap; MindSpeed's measured throughput says it hides much less. ${detail}` };
}

/** experiment id, what, published tokens/s per NPU, and the known gap when there is one. */
const ROWS: [string, string, number, KnownGap?][] = [
  ['mindspeed-llama-7b-910b-8', 'LLaMA 7B on 8 × 910B (TP 1, PP 8, micro-batch 4, global batch 256, seq 2048)', 3600],
  ['mindspeed-llama-13b-910b-8', 'LLaMA 13B on 8 × 910B (TP 1, PP 8, micro-batch 1, global batch 128, seq 2048)', 1895, {
    band: [0.08, 0.18],
    reason: 'not diagnosed: moesim is faster. TP 1 and PP 8 with micro-batches of one 2,048-token sequence: 2,048 × 5,120 GEMMs, smaller than the calibration case\'s, priced by the 910B shape table (a tile model, assumed: no 910B GEMM timings are public), and the table\'s figure is FP16 where the calibration case is BF16',
  }],
  ['mindspeed-llama-33b-910b-32', 'LLaMA 33B on 32 × 910B (TP 4, PP 4, DP 2, micro-batch 4, global batch 128, seq 2048)', 621, mc2Gap([0.2, 0.3], 4, 'With TP exposed: −2.1%.')],
  ['mindspeed-llama-65b-910b-32', 'LLaMA 65B on 32 × 910B (TP 8, PP 4, micro-batch 2, global batch 128, seq 2048)', 348, mc2Gap([0.26, 0.36], 8, 'With TP exposed: +5.0%.')],
  ['mindspeed-llama2-34b-910b-16', 'LLaMA2 34B on 16 × 910B (TP 8, PP 2, micro-batch 2, global batch 1024, seq 4096)', 749, mc2Gap([0.14, 0.24], 8, 'With TP exposed: −6.3%.')],
  ['mindspeed-llama3-8b-910b-8', 'Llama 3 8B on 8 × 910B (TP 8, micro-batch 2, global batch 64, seq 8192)', 2483, mc2Gap([0.24, 0.34], 8, 'With TP exposed: +0.3%.')],
  ['mindspeed-llama3-70b-910b-64', 'Llama 3 70B on 64 × 910B (TP 8, PP 8, micro-batch 1, global batch 512, seq 8192)', 283,
    mc2Gap([0.29, 0.39], 8, 'With TP exposed: +12.3%, itself not diagnosed (every PP 8 stage boundary crosses servers over 200 Gb/s RoCE for 512 micro-batches of 8,192 tokens, and the 128,256-token LM head sits on the last stage alone).')],
  ['mindspeed-qwen-7b-910b-8', 'Qwen 7B on 8 × 910B (TP 8, micro-batch 2, global batch 64, seq 8192)', 2499, mc2Gap([0.31, 0.41], 8, 'With TP exposed: +2.7%.')],
];

export const ASCEND_MINDSPEED_EXPERIMENTS: Experiment[] = ROWS.map(([id]) => ({ id, scenario: `scenarios/papers/${id}.yaml`, routers: 'dense' }));

async function tokensPerNpu(m: Measurements, experiment: string): Promise<number> {
  const r = await m.compare(experiment);
  return rowOf(r, 'dense').tokensPerSecond / r.devices;
}

export const ASCEND_MINDSPEED_CASES: ValidationCase[] = ROWS.map(([id, what, published, gap]) => ({
  id: `${id.replace(/-910b-\d+$/, '')}-tokens-per-npu`, paper: 'MindSpeed-LLM', source: SOURCE, what,
  unit: 'tokens/s', published, publishedText: `${published.toLocaleString('en-US')} tokens/s per NPU`,
  tolerance: { kind: 'relative', value: 0.1 }, kind: 'accuracy', role: 'held-out',
  ...(gap !== undefined ? { knownGap: gap } : {}),
  experiments: [id], measure: (m: Measurements) => tokensPerNpu(m, id),
}));
