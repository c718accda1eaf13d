// The NVIDIA kernel profiles derived from Vidur's measurements: the shipped files are exactly what
// scripts/derive-vidur-kernel-tables.ts writes (regenerated here in memory, byte for byte), the chips' gemmEfficiency
// is the derived figure, the tables behave physically (a GEMM's time never falls as m, n or k grows), and the
// readers (Vidur's mlp.csv, the memory-op CSV) check their input. Prints the fitted figures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MEMORY_OPS_SUFFIX, VIDUR_DERIVED_PROFILES, VIDUR_SOURCE, defaultKernelProfileDirectory, deriveVidurProfile, formatMemoryOpCsv, kernelProfileMemoryOps,
  kernelProfileTable, parseMemoryOpCsv, parseVidurMlpCsv, relativeGemmEfficiency, vidurGemms, vidurMemoryOps,
} from '../../src/kernels/index.ts';
import type { VidurMlpRow } from '../../src/kernels/index.ts';
import { getChip } from '../../src/topology/index.ts';

const shipped = (file: string): string => readFileSync(join(defaultKernelProfileDirectory(), file), 'utf8');

describe('Vidur-derived kernel profiles', () => {
  for (const [name, spec] of Object.entries(VIDUR_DERIVED_PROFILES)) {
    const chip = getChip(spec.chips[0] as string);
    const derived = deriveVidurProfile(name, { peakFlops: chip.peakFlopsBf16.value, hbmBandwidth: chip.hbmBandwidth.value });

    it(`${name}: the shipped GEMM and memory-op tables are the script's output, byte for byte`, () => {
      expect(shipped(`${name}.csv`)).toBe(derived.gemmCsv);
      expect(shipped(`${name}${MEMORY_OPS_SUFFIX}`)).toBe(derived.memoryOpsCsv);
      expect(derived.gemmCsv).toContain('DERIVED FROM MEASUREMENTS');
      expect(derived.gemmCsv).toContain('OUTSIDE IT THE VALUES ARE THE TILE MODEL');
    });

    it(`${name}: ${spec.chips.join(', ')} carry the derived gemmEfficiency, cited, not assumed`, () => {
      for (const c of spec.chips) {
        const figure = getChip(c).gemmEfficiency;
        expect(figure.value, c).toBe(derived.gemm.gemmEfficiency);
        expect(figure.source, c).toContain(VIDUR_SOURCE);
        expect(figure.assumed, c).toBeUndefined();
      }
      console.log(`${name}: gemmEfficiency ${derived.gemm.gemmEfficiency}; memory ops ${JSON.stringify(kernelProfileMemoryOps(name))}`);
    });

    it(`${name}: a GEMM's time never falls as m, n or k doubles, and a large GEMM is about 1`, () => {
      const t = kernelProfileTable(name);
      const ks = t.kFactor?.nk ?? [];
      expect(ks.length).toBeGreaterThan(1);
      const rel = (m: number, n: number, k: number): number => relativeGemmEfficiency(t, m, n, k);
      for (let i = 0; i < t.m.length; i++) {
        for (let j = 0; j < t.nk.length; j++) {
          for (let l = 0; l < ks.length; l++) {
            const [m, n, k] = [t.m[i] as number, t.nk[j] as number, ks[l] as number];
            if (i > 0) expect(rel(m, n, k)).toBeLessThanOrEqual(2 * rel(t.m[i - 1] as number, n, k) * (1 + 1e-3));
            if (j > 0) expect(rel(m, n, k)).toBeLessThanOrEqual(2 * rel(m, t.nk[j - 1] as number, k) * (1 + 1e-3));
            if (l > 0) expect(rel(m, n, k)).toBeLessThanOrEqual(2 * rel(m, n, ks[l - 1] as number) * (1 + 1e-3));
          }
        }
      }
      expect(rel(4096, 8192, 8192)).toBeGreaterThan(0.9);
      expect(rel(4096, 8192, 8192)).toBeLessThan(1.1);
    });
  }
});

describe('memory-op tables (CSV)', () => {
  it('round-trips and lists kinds in order', () => {
    const table = { rope: { bandwidthEfficiency: 0.41234, fixedNs: 3000 }, norm: { bandwidthEfficiency: 0.5, fixedNs: 0 } };
    const text = formatMemoryOpCsv(table, ['a test']);
    expect(text).toBe('# a test\nkind,bandwidthEfficiency,fixedNs\nnorm,0.5,0\nrope,0.4123,3000\n');
    expect(parseMemoryOpCsv(text, 't.csv')).toEqual({ norm: { bandwidthEfficiency: 0.5, fixedNs: 0 }, rope: { bandwidthEfficiency: 0.4123, fixedNs: 3000 } });
  });

  const header = 'kind,bandwidthEfficiency,fixedNs';
  const bad: [string, string, RegExp][] = [
    ['a wrong header', 'kind,efficiency,floor\nnorm,0.5,1', /^bad\.csv:1: the header must be "kind,bandwidthEfficiency,fixedNs", got "kind,efficiency,floor"$/],
    ['an unknown kind', `${header}\n# c\nlayernorm,0.5,1`, /^bad\.csv:3: unknown kind "layernorm"; known kinds: norm, activation/],
    ['a kind twice', `${header}\nnorm,0.5,1\nnorm,0.6,1`, /^bad\.csv:3: kind "norm" appears twice$/],
    ['a missing cell', `${header}\nnorm,0.5`, /^bad\.csv:2: expected 3 cells/],
    ['a zero efficiency', `${header}\nnorm,0,1`, /^bad\.csv:2: bandwidthEfficiency "0" of "norm" must be a number in \(0, 2\]$/],
    ['a negative floor', `${header}\nnorm,0.5,-1`, /^bad\.csv:2: fixedNs "-1" of "norm" must be a number ≥ 0$/],
    ['no header', '# nothing', /^bad\.csv: no header line/],
  ];
  for (const [what, text, message] of bad) {
    it(`rejects ${what}, naming file and line`, () => expect(() => parseMemoryOpCsv(text, 'bad.csv')).toThrow(message));
  }
});

describe("Vidur's mlp.csv and what its ops compute", () => {
  const ops = ['emb', 'input_layernorm', 'attn_pre_proj', 'attn_rope', 'attn_post_proj', 'post_attention_layernorm', 'mlp_up_proj', 'mlp_act', 'mlp_down_proj', 'add'];
  const header = [...ops.map((o) => `time_stats.${o}.median`), 'n_head', 'n_kv_head', 'n_embd', 'n_expanded_embd', 'vocab_size', 'use_gated_mlp', 'num_tokens', 'num_tensor_parallel_workers'].join(',');
  const line = (ms: number, tokens: number): string => [...ops.map(() => String(ms)), '64', '8', '8192', '28672', '32768', 'True', String(tokens), '2'].join(',');

  it('averages a (tokens, TP) point measured twice and converts ms to ns', () => {
    const rows = parseVidurMlpCsv([header, line(0.1, 1024), line(0.3, 1024), line(0.5, 8), ''].join('\n'), 'x.csv', 'meta-llama/Llama-2-70b-hf');
    expect(rows.map((r) => r.tokens)).toEqual([1024, 8]);
    expect(rows[0]?.opNs.attn_pre_proj).toBeCloseTo(200_000, 6);
    expect(rows[0]?.shape).toEqual({ heads: 64, kvHeads: 8, hidden: 8192, ffn: 28672, vocab: 32768, gated: true });
  });

  it('rejects malformed files with file and line', () => {
    expect(() => parseVidurMlpCsv(`${header.replace('num_tokens', 'tokens')}\n`, 'x.csv', 'm')).toThrow(/^x\.csv:1: no column "num_tokens"$/);
    expect(() => parseVidurMlpCsv(`${header}\n${line(0.1, 8)},7`, 'x.csv', 'm')).toThrow(/^x\.csv:2: expected \d+ cells, got \d+$/);
    expect(() => parseVidurMlpCsv(`${header}\n${line(0.1, 8).replace('True', 'yes')}`, 'x.csv', 'm')).toThrow(/^x\.csv:2: use_gated_mlp "yes" is not True or False$/);
    expect(() => parseVidurMlpCsv(`${header}\n${line(-1, 8)}`, 'x.csv', 'm')).toThrow(/^x\.csv:2: .* "-1" is not a positive number$/);
  });

  it('gives Llama-2-70B at TP 2 the GEMM shapes and bytes worked out by hand', () => {
    const row: VidurMlpRow = {
      model: 'meta-llama/Llama-2-70b-hf', tokens: 1024, tp: 2, shape: { heads: 64, kvHeads: 8, hidden: 8192, ffn: 28672, vocab: 32768, gated: true },
      opNs: Object.fromEntries(ops.map((o) => [o, 1000])),
    };
    // QKV: (64 + 2·8)·128 / 2 = 5120 outputs; O: 8192 outputs from 4096; up: 2·28672/2; down: 8192 from 14336.
    expect(vidurGemms(row).map((g) => [g.op, g.m, g.n, g.k])).toEqual([
      ['attn_pre_proj', 1024, 5120, 8192], ['attn_post_proj', 1024, 8192, 4096], ['mlp_up_proj', 1024, 28672, 8192], ['mlp_down_proj', 1024, 8192, 14336],
    ]);
    const bytes = Object.fromEntries(vidurMemoryOps(row).map((o) => [o.op, o.bytes]));
    expect(bytes.input_layernorm).toBe(2 * (2 * 1024 * 8192 + 8192));
    expect(bytes.mlp_act).toBe(2 * 3 * 1024 * 14336);
    expect(bytes.attn_rope).toBe(2 * 2 * 1024 * 72 * 128 / 2 + 2 * 1024 * 128 + 8 * 1024);
    expect(bytes.add).toBe(2 * 3 * 1024 * 8192);
    expect(bytes.emb).toBe(2 * 2 * 1024 * 8192 + 8 * 1024);
  });
});
