// The model zoo against published figures: parameter counts (total and active) of every preset, training FLOPs
// per token against a hand calculation from the published dimensions, and every preset file's validity.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { catalogCommand } from '../../src/cli/command-catalog.ts';
import { countParams, listModelPresets, loadModelPreset, modelSpecSchema, trainingFlopsPerToken } from '../../src/workloads/index.ts';
import type { ModelSpec } from '../../src/workloads/index.ts';

const ZOO = ['bert-base-moe', 'codellama-34b', 'deepseek-v3', 'gpt3-175b', 'llama-13b', 'llama-33b', 'llama-65b', 'llama-7b', 'llama2-70b', 'llama2-7b',
  'llama3-405b', 'llama3-70b', 'llama3-8b', 'megatron-gpt-1.7b', 'megatron-gpt-145.6b', 'megatron-gpt-18.4b', 'megatron-gpt-1t', 'megatron-gpt-3.6b',
  'megatron-gpt-310.1b', 'megatron-gpt-39.1b', 'megatron-gpt-529.6b', 'megatron-gpt-7.5b', 'megatron-gpt-76.1b', 'mixtral-8x7b', 'mt-nlg-530b', 'nemotron-4-340b', 'pangu-sigma-16e',
  'pangu-ultra-135b', 'pangu-ultra-moe-718b', 'qwen-7b', 'switch-base-128', 'tiny-moe'];

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
const relErr = (computed: number, published: number): number => (computed - published) / published;
/** Active parameters with the input embedding matrix added (a lookup, which activePerToken leaves out). */
const withInputEmbedding = (m: ModelSpec): number => countParams(m).activePerToken + (m.tiedEmbeddings ? 0 : m.vocab * m.hidden);

/**
 * Published figures. `active` is compared with countParams().activePerToken: every weight a token's matmuls use,
 * the LM head included, the input-embedding lookup not (publishers do not say which convention they use; the
 * printout gives both). Tolerances are relative.
 */
interface PublishedCase {
  preset: string;
  total?: { value: number; source: string; tolerance: number; model?: (m: ModelSpec) => ModelSpec };
  active: { value: number; source: string; tolerance: number; adjust?: { params: number; why: string } };
}

// Switch-Base's decoder cross-attention (4 projections of 768 × 768 in each of 12 decoder layers), which the
// decoder-only layer model leaves out (switch-base-128.yaml).
const SWITCH_CROSS_ATTENTION = 12 * 4 * 768 * 768;

const PUBLISHED: PublishedCase[] = [
  // Dense models (validation scenarios of the 910B compute calibration): every weight is active, so the active count
  // is the total without the input embedding.
  {
    preset: 'llama2-7b',
    total: { value: 6.738e9, source: 'Llama 2 7B, 6,738,415,616 parameters in the released checkpoint', tolerance: 0.02 },
    active: { value: 6.738e9 - 32000 * 4096, source: 'the total without the input embedding', tolerance: 0.02 },
  },
  {
    preset: 'llama2-70b',
    total: { value: 68.98e9, source: 'Llama 2 70B, 68,976,648,192 parameters in the released checkpoint', tolerance: 0.02 },
    active: { value: 68.98e9 - 32000 * 8192, source: 'the total without the input embedding', tolerance: 0.02 },
  },
  {
    preset: 'pangu-ultra-135b',
    total: { value: 135e9, source: 'arXiv 2504.07866 abstract ("135 billion parameters")', tolerance: 0.02 },
    active: { value: 135e9 - 153376 * 12288, source: 'the published total without the input embedding', tolerance: 0.02 },
  },
  {
    preset: 'gpt3-175b',
    total: { value: 175.0e9, source: 'arXiv 2005.14165 Table 2.1 (175.0B)', tolerance: 0.02 },
    active: { value: 175.0e9, source: 'the published total: the tied embedding is the LM head, which every token multiplies', tolerance: 0.02 },
  },
  {
    preset: 'llama3-405b',
    total: { value: 405e9, source: 'arXiv 2407.21783 Table 3 (405B)', tolerance: 0.02 },
    active: { value: 405e9 - 128256 * 16384, source: 'the published total without the input embedding', tolerance: 0.02 },
  },
  {
    preset: 'mt-nlg-530b',
    total: { value: 530e9, source: 'arXiv 2201.11990 (530 billion parameters)', tolerance: 0.02 },
    active: { value: 530e9, source: 'the published total: the tied embedding is the LM head, which every token multiplies', tolerance: 0.02 },
  },
  {
    preset: 'nemotron-4-340b',
    total: { value: 341e9, source: 'arXiv 2406.11704 section 2.2 (9.4B embedding + 331.6B non-embedding parameters)', tolerance: 0.02 },
    active: { value: 331.6e9 + 4.7e9, source: 'the non-embedding parameters plus the untied LM head (half of the 9.4B embedding)', tolerance: 0.02 },
  },
  {
    preset: 'mixtral-8x7b',
    total: { value: 46.7e9, source: 'Mistral AI, arXiv 2401.04088', tolerance: 0.02 },
    active: { value: 12.9e9, source: 'arXiv 2401.04088 (includes both embeddings: 12.88B, −0.15%)', tolerance: 0.02 },
  },
  {
    preset: 'deepseek-v3',
    total: { value: 671e9, source: 'arXiv 2412.19437 abstract (excludes the 14B MTP module, as does the preset)', tolerance: 0.02 },
    active: { value: 37e9, source: 'arXiv 2412.19437 abstract', tolerance: 0.02 },
  },
  {
    preset: 'pangu-ultra-moe-718b',
    total: { value: 718e9, source: 'arXiv 2505.04519 abstract', tolerance: 0.02 },
    active: { value: 39e9, source: 'arXiv 2505.04519; openPangu-Ultra-MoE-718B README', tolerance: 0.02 },
  },
  {
    preset: 'switch-base-128',
    total: { value: 7.4e9, source: 'issue 6, for Fedus et al. arXiv 2101.03961', tolerance: 0.02 },
    // FLOP-matched to T5-Base, "about 220 million" (Raffel et al. arXiv 1910.10683): two significant figures, so
    // the tolerance is 3%. The preset lacks the decoder's cross-attention, added back here.
    active: { value: 220e6, source: 'T5-Base, arXiv 1910.10683', tolerance: 0.03, adjust: { params: SWITCH_CROSS_ATTENTION, why: 'decoder cross-attention, not modelled' } },
  },
  {
    preset: 'pangu-sigma-16e',
    // No total is published for the 16-expert model: check the shapes against full PanGu-Σ (640 experts per RRE layer).
    total: { value: 1.085e12, source: 'PanGu-Σ with 640 experts per RRE layer, arXiv 2303.10845', tolerance: 0.01, model: (m) => ({ ...m, experts: 640 }) },
    // Top-1 over 8 MoE layers is PanGu-α 13B's dense compute; PanGu-α's top query layer (0.31B) is not modelled.
    active: { value: 13.1e9, source: 'PanGu-α 13B, arXiv 2104.12369 Table 1 (its 0.31B query layer is not modelled)', tolerance: 0.03 },
  },
];

describe('model zoo: parameter counts against published figures', () => {
  for (const c of PUBLISHED) {
    it(`${c.preset}: total within ${pct(c.total?.tolerance ?? 0)} and active within ${pct(c.active.tolerance)} of the published figures`, () => {
      const m = loadModelPreset(c.preset);
      if (c.total) {
        const counted = countParams(c.total.model ? c.total.model(m) : m).total;
        const err = relErr(counted, c.total.value);
        console.log(`${c.preset}: total ${(counted / 1e9).toFixed(3)}B vs ${(c.total.value / 1e9).toFixed(3)}B published (${c.total.source}): error ${pct(err)}, tolerance ${pct(c.total.tolerance)}`);
        expect(Math.abs(err)).toBeLessThan(c.total.tolerance);
      }
      const active = countParams(m).activePerToken;
      const adjusted = active + (c.active.adjust?.params ?? 0);
      const err = relErr(adjusted, c.active.value);
      const adjustNote = c.active.adjust ? ` + ${(c.active.adjust.params / 1e6).toFixed(1)}M ${c.active.adjust.why} (unadjusted error ${pct(relErr(active, c.active.value))})` : '';
      console.log(
        `${c.preset}: active ${(active / 1e9).toFixed(3)}B${adjustNote} vs ${(c.active.value / 1e9).toFixed(3)}B published (${c.active.source}): error ${pct(err)}, tolerance ${pct(c.active.tolerance)}; with the input embedding ${(withInputEmbedding(m) / 1e9).toFixed(3)}B (${pct(relErr(withInputEmbedding(m) + (c.active.adjust?.params ?? 0), c.active.value))})`,
      );
      expect(Math.abs(err)).toBeLessThan(c.active.tolerance);
    });
  }

  it('the Switch-Base adjustment is exactly the cross-attention the preset leaves out, not a fudge factor', () => {
    // Adding 12 decoder layers' Q, K, V, O to the counted model reproduces T5-Base-sized compute: the adjustment is
    // 14 % of the counted active parameters and 0.38 % of the total (stated in switch-base-128.yaml).
    const p = countParams(loadModelPreset('switch-base-128'));
    expect(SWITCH_CROSS_ATTENTION).toBe(28_311_552);
    expect(SWITCH_CROSS_ATTENTION / p.total).toBeLessThan(0.004);
    const share = SWITCH_CROSS_ATTENTION / p.activePerToken;
    expect(share).toBeGreaterThan(0.14);
    expect(share).toBeLessThan(0.15);
  });
});

/**
 * Hand calculation: training FLOPs per token = 6 × active parameters + 3 × the causal attention core. The core
 * (forward) is QKᵀ and AV over on average seq/2 keys, 2 FLOPs per multiply-add: seq · heads · (qkDim + vDim) per
 * layer. Every dimension below is typed in from the published configuration, not read from the preset, and no
 * moesim helper is called, so a wrong YAML figure or a wrong formula both fail. Tolerance: 1e-12 relative (the
 * sums are exact integers below 2^53; the tolerance only absorbs float summation order).
 */
describe('model zoo: training FLOPs per token against a hand calculation', () => {
  const FLOP_TOLERANCE = 1e-12;
  const check = (preset: string, handActive: number, handCore: number): void => {
    const hand = 6 * handActive + 3 * handCore;
    const computed = trainingFlopsPerToken(loadModelPreset(preset));
    const err = relErr(computed, hand);
    console.log(`${preset}: trainingFlopsPerToken ${computed.toExponential(6)} vs hand ${hand.toExponential(6)} (6 × ${(handActive / 1e9).toFixed(3)}B + 3 × ${handCore.toExponential(4)}): error ${err.toExponential(2)}, tolerance ${FLOP_TOLERANCE}`);
    expect(Math.abs(err)).toBeLessThan(FLOP_TOLERANCE);
  };

  it('Mixtral 8x7B (arXiv 2401.04088 Table 1: 32 layers, d 4096, FFN 14336, 32 heads, 8 KV heads, 8 experts, top-2, vocab 32000, seq 32768)', () => {
    const [L, d, f, heads, kvHeads, experts, k, vocab, seq] = [32, 4096, 14336, 32, 8, 8, 2, 32000, 32768];
    const headDim = d / heads;
    const attention = d * d + 2 * d * kvHeads * headDim + d * d; // Q, K, V, O
    const perLayer = attention + 2 * d + d * experts + k * 3 * d * f; // + 2 RMSNorms, gate, top-2 SwiGLU experts
    const active = L * perLayer + vocab * d + d; // + LM head, final norm
    check('mixtral-8x7b', active, L * seq * heads * (headDim + headDim));
  });

  it('DeepSeek-V3 (config.json: 61 layers, 3 dense at FFN 18432, d 7168, 256 experts + 1 shared at 2048, top-8, MLA, vocab 129280, seq 4096)', () => {
    const [L, dense, d, fDense, f, experts, shared, k, heads, vocab, seq] = [61, 3, 7168, 18432, 2048, 256, 1, 8, 128, 129280, 4096];
    const [qRank, kvRank, nope, rope, v] = [1536, 512, 128, 64, 128];
    const mla =
      d * qRank + qRank + // q down-projection and its norm
      qRank * heads * (nope + rope) + // q up
      d * (kvRank + rope) + kvRank + // joint KV down (plus the shared rope key) and its norm
      kvRank * heads * (nope + v) + // KV up
      heads * v * d; // output
    const common = mla + 2 * d;
    const denseLayer = common + 3 * d * fDense;
    const moeLayer = common + d * experts + (k + shared) * 3 * d * f;
    const active = dense * denseLayer + (L - dense) * moeLayer + vocab * d + d;
    check('deepseek-v3', active, L * seq * heads * (nope + rope + v));
  });

  it('Switch-Base-128 (config.json: 12 + 12 layers as 24, d 768, FFN 3072 ReLU, 12 heads, 128 experts, top-1, tied vocab 32128, seq 512)', () => {
    const [L, d, f, heads, experts, vocab, seq] = [24, 768, 3072, 12, 128, 32128, 512];
    const common = 4 * d * d + 2 * d;
    const denseLayer = common + 2 * d * f;
    const moeLayer = common + d * experts + 1 * 2 * d * f;
    const active = (L / 2) * denseLayer + (L / 2) * moeLayer + vocab * d + d; // tied matrix counted once, as the LM head
    check('switch-base-128', active, L * seq * heads * (64 + 64));
  });
});

describe('model zoo: every preset loads, validates and is listed', () => {
  it('lists exactly the zoo', () => {
    expect(listModelPresets()).toEqual(ZOO);
  });

  for (const name of ZOO) {
    it(`${name}: the file passes modelSpecSchema, loads under its own name and starts with a header comment`, () => {
      const text = readFileSync(new URL(`../../catalog/models/${name}.yaml`, import.meta.url), 'utf8');
      expect(text.startsWith('# ')).toBe(true);
      const parsed = modelSpecSchema.safeParse(parseYaml(text));
      if (!parsed.success) console.log(`${name}: ${JSON.stringify(parsed.error.issues)}`);
      expect(parsed.success).toBe(true);
      expect(loadModelPreset(name).name).toBe(name);
    });
  }

  it('`moesim catalog` lists every preset and shows one with its sources', () => {
    let out = '';
    const io = { stdout: (t: string) => void (out += t), stderr: () => undefined };
    expect(catalogCommand(undefined, { json: true }, io)).toBe(0);
    expect((JSON.parse(out) as { models: string[] }).models).toEqual(ZOO);
    out = '';
    expect(catalogCommand('deepseek-v3', { json: false }, io)).toBe(0);
    expect(out).toMatch(/^# DeepSeek-V3 .*arXiv 2412\.19437/);
    out = '';
    expect(catalogCommand('switch-base-128', { json: true }, io)).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ name: 'switch-base-128', layers: 24, moeLayerInterval: 2, tiedEmbeddings: true });
  });

  it('the schema rejects a broken preset (so the validity check above can fail)', () => {
    const broken = { ...loadModelPreset('deepseek-v3'), topK: 300 };
    expect(modelSpecSchema.safeParse(broken).success).toBe(false);
  });
});
