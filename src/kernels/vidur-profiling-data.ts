// Reads Vidur's measured per-layer op times (data/vidur-profiling/compute/<gpu>/<org>/<model>/mlp.csv, from
// microsoft/vidur, MIT; data/vidur-profiling/README.md says what every column means and what the times include).
// One row per (model, tokens, tensor-parallel degree); rows measured twice (Vidur's token list repeats 1024, 2048
// and 4096) are merged by averaging their medians. Each file is read once per process.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../engine/index.ts';
import { csvWithHeader, readDataFile } from './data-file.ts';

export type VidurGpu = 'h100' | 'a100';

/** The op columns of mlp.csv (`time_stats.<op>.median`, milliseconds). */
export const VIDUR_OPS = [
  'emb', 'input_layernorm', 'attn_pre_proj', 'attn_rope', 'attn_post_proj', 'post_attention_layernorm', 'mlp_up_proj', 'mlp_act', 'mlp_down_proj', 'add',
] as const;
export type VidurOp = (typeof VIDUR_OPS)[number];

/** The models profiled on each GPU (directory under compute/<gpu>/). */
export const VIDUR_MODELS: Readonly<Record<VidurGpu, readonly string[]>> = {
  h100: ['meta-llama/Llama-2-7b-hf', 'meta-llama/Llama-2-70b-hf', 'Qwen/Qwen-72B', 'codellama/CodeLlama-34b-Instruct-hf', 'microsoft/phi-2'],
  a100: [
    'meta-llama/Llama-2-7b-hf', 'meta-llama/Llama-2-70b-hf', 'Qwen/Qwen-72B', 'codellama/CodeLlama-34b-Instruct-hf', 'microsoft/phi-2',
    'meta-llama/Meta-Llama-3-8B', 'meta-llama/Meta-Llama-3-70B',
  ],
};

/**
 * The models the kernel tables are fitted to (both GPUs); every other model is held out. They span hidden 4096 and
 * 8192, full and grouped-query attention, FFN widths 11008–28672 and TP 1–8. Held out: CodeLlama-34B (new FFN
 * width), phi-2 (non-gated GELU MLP, LayerNorm, biases, hidden 2560) and, on A100, Llama-3-8B/70B (new shapes,
 * and tokens up to 32768: beyond the fitted m ≤ 4096).
 */
export const VIDUR_FIT_MODELS: readonly string[] = ['meta-llama/Llama-2-7b-hf', 'meta-llama/Llama-2-70b-hf', 'Qwen/Qwen-72B'];

export function vidurHeldOutModels(gpu: VidurGpu): string[] {
  return VIDUR_MODELS[gpu].filter((m) => !VIDUR_FIT_MODELS.includes(m));
}

/** The layer shape of a profiled model (the same on every row of its file). */
export interface VidurModelShape {
  heads: number;
  kvHeads: number;
  hidden: number;
  /** FFN width (`n_expanded_embd`). */
  ffn: number;
  vocab: number;
  /** SwiGLU (gate and up in one GEMM, SiLU-and-mul) rather than a plain GELU MLP. */
  gated: boolean;
}

export interface VidurMlpRow {
  model: string;
  tokens: number;
  tp: number;
  shape: VidurModelShape;
  /** Median time of each op in ns (ops a model does not run, such as phi-2's post-attention norm, are absent). */
  opNs: Partial<Record<VidurOp, number>>;
}

/** <repo>/data/vidur-profiling, located from this file so it works from any working directory. */
export function vidurDataDirectory(): string {
  return fileURLToPath(new URL('../../data/vidur-profiling/', import.meta.url));
}

const SHAPE_COLUMNS = ['n_head', 'n_kv_head', 'n_embd', 'n_expanded_embd', 'vocab_size', 'use_gated_mlp', 'num_tokens', 'num_tensor_parallel_workers'] as const;
const cache = new Map<string, VidurMlpRow[]>();

/** The rows of one model's mlp.csv on one GPU, in file order of first appearance, duplicates averaged. */
export function readVidurMlpRows(gpu: VidurGpu, model: string, directory: string = vidurDataDirectory()): VidurMlpRow[] {
  const path = join(directory, 'compute', gpu, model, 'mlp.csv');
  const cached = cache.get(path);
  if (cached !== undefined) return cached;
  const { text, shown } = readDataFile(path, "Vidur's profiling data");
  const rows = parseVidurMlpCsv(text, shown, model);
  cache.set(path, rows);
  return rows;
}

/** Parses mlp.csv text; errors read `file:line: what is wrong`. */
export function parseVidurMlpCsv(text: string, file: string, model: string): VidurMlpRow[] {
  const { lines, header, column } = csvWithHeader(text, file);
  const shapeAt = SHAPE_COLUMNS.map(column);
  // An op a model does not run has no column (phi-2: no post-attention norm); the GEMMs are always there.
  const opAt = VIDUR_OPS.map((op) => (op.endsWith('_proj') ? column(`time_stats.${op}.median`) : header.indexOf(`time_stats.${op}.median`)));
  const merged = new Map<string, { row: VidurMlpRow; sums: Partial<Record<VidurOp, number>>; counts: Partial<Record<VidurOp, number>> }>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    const cells = line.split(',');
    if (cells.length !== header.length) throw new InputError(`${file}:${i + 1}: expected ${header.length} cells, got ${cells.length}`);
    const number = (index: number, what: string): number => {
      const v = Number(cells[index]);
      if (cells[index] === '' || !Number.isFinite(v) || v <= 0) throw new InputError(`${file}:${i + 1}: ${what} "${cells[index]}" is not a positive number`);
      return v;
    };
    const [heads, kvHeads, hidden, ffn, vocab] = shapeAt.slice(0, 5).map((index, j) => number(index, SHAPE_COLUMNS[j] as string)) as [number, number, number, number, number];
    const gatedCell = cells[shapeAt[5]!];
    if (gatedCell !== 'True' && gatedCell !== 'False') throw new InputError(`${file}:${i + 1}: use_gated_mlp "${gatedCell}" is not True or False`);
    const tokens = number(shapeAt[6]!, 'num_tokens');
    const tp = number(shapeAt[7]!, 'num_tensor_parallel_workers');
    const key = `${tokens}/${tp}`;
    let entry = merged.get(key);
    if (entry === undefined) {
      entry = { row: { model, tokens, tp, shape: { heads, kvHeads, hidden, ffn, vocab, gated: gatedCell === 'True' }, opNs: {} }, sums: {}, counts: {} };
      merged.set(key, entry);
    }
    VIDUR_OPS.forEach((op, j) => {
      const index = opAt[j]!;
      if (index < 0 || cells[index] === '') return;
      entry.sums[op] = (entry.sums[op] ?? 0) + number(index, `time_stats.${op}.median`) * 1e6;
      entry.counts[op] = (entry.counts[op] ?? 0) + 1;
    });
  }
  if (merged.size === 0) throw new InputError(`${file}: no data rows`);
  return [...merged.values()].map(({ row, sums, counts }) => {
    for (const op of VIDUR_OPS) if (sums[op] !== undefined) row.opNs[op] = sums[op] / counts[op]!;
    return row;
  });
}
