// Held-out accuracy of the measured NVIDIA kernel tables: moesim's GEMM and memory-bound kernel times against
// Vidur's measurements of the models the tables were NOT fitted to (CodeLlama-34B, phi-2 and, on A100, Llama-3-8B
// and 70B; data/vidur-profiling/, DESIGN.md "Kernel cost model"). The chip is built from the catalog (one DGX
// server's kernelChipOf), so the figures check the shipped files. Vidur's times are device times (no launch
// latency), so moesim's time is its kernel cost minus the launch overhead of each launch.
import { median } from '../../engine/index.ts';
import type { KernelChip, MemoryOpKind, VidurGpu } from '../../kernels/index.ts';
import { gemmCost, memoryOpCost, readVidurMlpRows, vidurGemms, vidurHeldOutModels, vidurMemoryOps } from '../../kernels/index.ts';
import { buildCluster } from '../../topology/index.ts';
import { kernelChipOf } from '../../sim/index.ts';

/** One compared figure: what moesim predicts, what was measured, in words. */
export interface HeldOutFigure {
  description: string;
  predicted: number;
  measured: number;
  unit: string;
}

export interface HeldOutRow {
  model: string;
  /** Vidur's op column (attn_pre_proj, mlp_act, …). */
  op: string;
  tp: number;
  /** Tokens: the GEMM's m. */
  tokens: number;
  /** GEMM shape (n, k), or the memory-bound op's bytes and launches. */
  n?: number;
  k?: number;
  bytes?: number;
  launches?: number;
  measuredNs: number;
  predictedNs: number;
  /** predicted / measured − 1. */
  error: number;
}

export interface HeldOutErrors {
  gpu: VidurGpu;
  chip: string;
  models: string[];
  rows: HeldOutRow[];
  /** Median |error| over all rows, and over rows with at least 1024 tokens. */
  medianAbsError: number;
  medianAbsErrorLargeM: number;
  rowsLargeM: number;
  /** Median |error| over rows beyond the fitted tokens (m > 4096: Llama-3 on A100); undefined when there are none. */
  medianAbsErrorBeyondFit?: number;
  /** The medians per held-out model. */
  byModel: { model: string; medianAbsError: number; medianAbsErrorLargeM: number }[];
  /** Summed time of all held-out rows and of those with at least 1024 tokens: predicted against measured. */
  totals: HeldOutFigure[];
}

/** Tokens from which a row counts as "large m" in the summaries (the GEMM target is stated for m ≥ 1024). */
export const LARGE_M = 1024;
/** The largest m of the fit-set models. */
const FITTED_M = 4096;

/** The catalog chip of Vidur's GPU: the chip of one DGX server. */
export function vidurCatalogChip(gpu: VidurGpu): KernelChip {
  return kernelChipOf(buildCluster({ preset: gpu === 'h100' ? 'dgx-h100' : 'dgx-a100', servers: 1 }));
}

function summarise(gpu: VidurGpu, chip: KernelChip, models: string[], rows: HeldOutRow[], what: string): HeldOutErrors {
  const abs = (r: HeldOutRow): number => Math.abs(r.error);
  const large = rows.filter((r) => r.tokens >= LARGE_M);
  const beyond = rows.filter((r) => r.tokens > FITTED_M);
  const total = (subset: HeldOutRow[], label: string): HeldOutFigure => ({
    description: `${what} on ${gpu.toUpperCase()}, held-out models (${models.map((m) => m.split('/')[1]).join(', ')}), ${label}: summed device time, moesim against Vidur`,
    predicted: subset.reduce((s, r) => s + r.predictedNs, 0) / 1e3,
    measured: subset.reduce((s, r) => s + r.measuredNs, 0) / 1e3,
    unit: 'µs',
  });
  return {
    gpu, chip: chip.name, models, rows,
    medianAbsError: median(rows.map(abs)),
    medianAbsErrorLargeM: median(large.map(abs)),
    rowsLargeM: large.length,
    ...(beyond.length > 0 ? { medianAbsErrorBeyondFit: median(beyond.map(abs)) } : {}),
    byModel: models.map((model) => {
      const own = rows.filter((r) => r.model === model);
      return { model, medianAbsError: median(own.map(abs)), medianAbsErrorLargeM: median(own.filter((r) => r.tokens >= LARGE_M).map(abs)) };
    }),
    totals: [total(rows, `${rows.length} rows`), total(large, `${large.length} rows with m ≥ ${LARGE_M}`)],
  };
}

/** moesim's time for every held-out GEMM (QKV, attention output, MLP up and down) against Vidur's. */
export function vidurHeldOutGemmErrors(gpu: VidurGpu): HeldOutErrors {
  const chip = vidurCatalogChip(gpu);
  const models = vidurHeldOutModels(gpu);
  const rows = models.flatMap((model) => readVidurMlpRows(gpu, model).flatMap(vidurGemms)).map((g): HeldOutRow => {
    const predictedNs = gemmCost(chip, g.m, g.n, g.k).timeNs - chip.launchOverheadNs;
    return { model: g.model, op: g.op, tp: g.tp, tokens: g.m, n: g.n, k: g.k, measuredNs: g.timeNs, predictedNs, error: predictedNs / g.timeNs - 1 };
  });
  return summarise(gpu, chip, models, rows, 'GEMM');
}

/**
 * moesim's time for every held-out memory-bound op of `kind` (norm, activation, rope, residual-add, embedding)
 * against Vidur's. phi-2's norm (LayerNorm) and activation (GELU) are other kernels than the fitted RMSNorm and
 * SiLU-and-mul, so they test the kind's table on a kernel it was not fitted to.
 */
export function vidurHeldOutMemoryOpErrors(gpu: VidurGpu, kind: MemoryOpKind): HeldOutErrors {
  const chip = vidurCatalogChip(gpu);
  const models = vidurHeldOutModels(gpu);
  const ops = models.flatMap((model) => readVidurMlpRows(gpu, model).flatMap(vidurMemoryOps)).filter((o) => o.kind === kind);
  if (ops.length === 0) throw new Error(`no held-out Vidur measurements of kind "${kind}" (measured kinds: norm, activation, rope, residual-add, embedding)`);
  const rows = ops.map((o): HeldOutRow => {
    const predictedNs = memoryOpCost(chip, kind, o.bytes, o.launches).timeNs - o.launches * chip.launchOverheadNs;
    return { model: o.model, op: o.op, tp: o.tp, tokens: o.tokens, bytes: o.bytes, launches: o.launches, measuredNs: o.timeNs, predictedNs, error: predictedNs / o.timeNs - 1 };
  });
  return summarise(gpu, chip, models, rows, `${kind} kernels`);
}
