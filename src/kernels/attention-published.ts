// Published FlashAttention throughput on H100 and A100 (TFLOPS, BF16/FP16, batch × seqlen = 16k tokens, hidden
// 2048, head size 64/128/256), and the derivation of the GPU profiles' attention tables from them
// (scripts/derive-attention-tables.ts writes catalog/kernels/<profile>.attention.csv). Sources, read from the bar
// labels of the official charts in the Dao-AILab/flash-attention README (the papers' figures):
//   FA2 on A100, forward + backward combined: assets/flash2_a100_fwd_bwd_benchmark.png (arXiv 2307.08691 Fig. 4);
//   FA2 on H100, forward + backward combined: assets/flash2_h100_fwd_bwd_benchmark.png;
//   FA2 and FA3 on H100, forward only: assets/flash3_fp16_fwd.png (arXiv 2407.08608 Fig. 5).
// Derivations (one rule each, no per-point fitting):
//   - Hopper forward: FA3's forward (what Hopper training stacks run: FA3 or cuDNN, which the chart shows close).
//   - Hopper backward: FA2's backward from its combined and forward-only runs, bwd = 2.5 / (3.5/comb − 1/fwd),
//     times 1.5, the lower end of FA3's "1.5–1.75× faster than FlashAttention-2 in the backward pass" (FA3 §4.1).
//   - Ampere: only fwd+bwd combined was published; the split takes FA2's backward/forward speed ratio at the same
//     point on H100: fwd = comb · (1 + 2.5/r) / 3.5, bwd = r · fwd.
// Efficiency = TFLOPS / the papers' peaks: 989 TFLOPS (H100 BF16 dense, FA3 §3.1) and 312 (A100).
import type { AttentionPoint } from './attention-efficiency-table.ts';
import { ATTENTION_CSV_HEADER } from './attention-efficiency-table.ts';

export const ATTENTION_SEQ = [512, 1024, 2048, 4096, 8192, 16384] as const;
type Row = readonly (number | null)[]; // one value per ATTENTION_SEQ entry; null: not readable on the chart

/** [causal][headDim] → TFLOPS per sequence length. */
interface Series { full: Record<number, Row>; causal: Record<number, Row> }

const FA3_H100_FORWARD: Series = {
  full: { 64: [333, 392, 460, 476, 496, 497], 128: [467, 565, 625, 638, 646, 648], 256: [482, null, 707, 736, 746, 756] },
  causal: { 64: [197, 265, 371, 420, 460, 473], 128: [292, 423, 521, 579, 602, 616], 256: [286, 427, 537, 612, 628, 642] },
};
const FA2_H100_FORWARD: Series = {
  full: { 64: [282, 306, 318, 321, 322, 324], 128: [309, 350, 362, 368, 370, 370] },
  causal: { 64: [180, 229, 262, 284, 295, 299], 128: [191, 260, 298, 319, 333, 335] },
};
const FA2_H100_COMBINED: Series = {
  full: { 64: [215, 254, 274, 288, 294, 296], 128: [248, 294, 320, 326, 335, 338] },
  causal: { 64: [141, 192, 232, 257, 273, 284], 128: [163, 221, 265, 294, 308, 328] },
};
const FA2_A100_COMBINED: Series = {
  full: { 64: [132, 153, 162, 171, 175, 176], 128: [151, 173, 187, 196, 201, 203] },
  causal: { 64: [88, 119, 140, 156, 165, 171], 128: [99, 133, 155, 173, 182, 189] },
};

const PEAK_TFLOPS = { 'nvidia-hopper': 989, 'nvidia-ampere': 312 } as const;
/** FA3's backward speed-up over FA2, the lower end of the published 1.5–1.75×. */
const FA3_BACKWARD_SPEEDUP = 1.5;

/** FA2's backward TFLOPS from a combined and a forward-only measurement of the same point. */
export function backwardFromCombined(combined: number, forward: number): number {
  return 2.5 / (3.5 / combined - 1 / forward);
}

interface Derived { pass: AttentionPoint['pass']; causal: boolean; headDim: number; seqLength: number; tflops: number; source: string }

function eachPoint(series: Series, visit: (causal: boolean, headDim: number, seqLength: number, value: number, at: (s: Series) => number | null) => void): void {
  for (const causal of [false, true]) {
    const bySize = causal ? series.causal : series.full;
    for (const [head, row] of Object.entries(bySize)) {
      row.forEach((value, i) => {
        if (value === null) return;
        const at = (s: Series): number | null => (causal ? s.causal : s.full)[Number(head)]?.[i] ?? null;
        visit(causal, Number(head), ATTENTION_SEQ[i]!, value, at);
      });
    }
  }
}

/** Every derived point of a GPU profile, in a fixed order (pass, mask, head size, sequence length). */
export function derivedAttentionPoints(profile: keyof typeof PEAK_TFLOPS): Derived[] {
  const out: Derived[] = [];
  if (profile === 'nvidia-hopper') {
    eachPoint(FA3_H100_FORWARD, (causal, headDim, seqLength, tflops) => out.push({ pass: 'forward', causal, headDim, seqLength, tflops, source: 'FA3 forward on H100' }));
    eachPoint(FA2_H100_COMBINED, (causal, headDim, seqLength, combined, at) => {
      const forward = at(FA2_H100_FORWARD);
      if (forward === null) return;
      out.push({ pass: 'backward', causal, headDim, seqLength, tflops: FA3_BACKWARD_SPEEDUP * backwardFromCombined(combined, forward), source: 'FA2 H100 backward from fwd+bwd and fwd, x1.5 (FA3)' });
    });
  } else {
    eachPoint(FA2_A100_COMBINED, (causal, headDim, seqLength, combined, at) => {
      const [h100Forward, h100Combined] = [at(FA2_H100_FORWARD), at(FA2_H100_COMBINED)];
      if (h100Forward === null || h100Combined === null) return;
      const ratio = backwardFromCombined(h100Combined, h100Forward) / h100Forward;
      const forward = (combined * (1 + 2.5 / ratio)) / 3.5;
      out.push({ pass: 'forward', causal, headDim, seqLength, tflops: forward, source: 'FA2 A100 fwd+bwd, split by FA2 H100 bwd/fwd ratio' });
      out.push({ pass: 'backward', causal, headDim, seqLength, tflops: ratio * forward, source: 'FA2 A100 fwd+bwd, split by FA2 H100 bwd/fwd ratio' });
    });
  }
  const order = (d: Derived): number => (d.pass === 'forward' ? 0 : 1) * 1e9 + (d.causal ? 1 : 0) * 1e8 + d.headDim * 1e5 + d.seqLength;
  return out.sort((a, b) => order(a) - order(b));
}

/** The CSV text of a GPU profile's attention table (deterministic: fixed order, fixed digits). */
export function attentionTableCsv(profile: keyof typeof PEAK_TFLOPS): string {
  const peak = PEAK_TFLOPS[profile];
  const lines = [
    `# Flash attention efficiency by pass, causal mask, head size and sequence length: kernel profile "${profile}".`,
    '# DERIVED from published FlashAttention benchmarks by scripts/derive-attention-tables.ts (src/kernels/attention-published.ts',
    '# holds the published points, their sources and the derivation rules). Do not edit by hand: re-run the script.',
    `# efficiency = TFLOPS / ${peak} (the papers' dense BF16 peak); moesim interpolates in log2(seqLength) then log2(headDim) and clamps.`,
    profile === 'nvidia-hopper'
      ? '# Forward: FA3 (measured). Backward: FA2 backward derived from its fwd+bwd and fwd-only runs, x1.5 (FA3 paper, lower end).'
      : '# Only fwd+bwd combined was published for A100: the split into passes uses FA2 backward/forward speed ratios measured on H100.',
    ATTENTION_CSV_HEADER,
  ];
  for (const d of derivedAttentionPoints(profile)) {
    lines.push([d.pass, String(d.causal), String(d.headDim), String(d.seqLength), (d.tflops / peak).toFixed(4), d.tflops.toFixed(1), d.source].join(','));
  }
  return `${lines.join('\n')}\n`;
}
