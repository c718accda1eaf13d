// The kernel profiles derived from Vidur's measurements (data/vidur-profiling/): for each NVIDIA generation the
// GEMM table (catalog/kernels/<name>.csv), the memory-bound kernels by kind (<name>.memory-ops.csv) and the chip's
// gemmEfficiency, all from the fit-set models' rows. scripts/derive-vidur-kernel-tables.ts writes them; a test
// regenerates them in memory and checks the shipped files byte for byte.
import { formatGemmEfficiencyCsv } from './gemm-efficiency-csv.ts';
import { DERIVED_KERNEL_PROFILES } from './gemm-tile-model.ts';
import { formatMemoryOpCsv } from './memory-op-table.ts';
import type { MemoryOpKind, MemoryOpTable } from './memory-op-kinds.ts';
import type { GemmFit } from './vidur-gemm-fit.ts';
import { K_REFERENCE, LARGE_MIN_NK, fitGemmEfficiency } from './vidur-gemm-fit.ts';
import type { MemoryOpFit } from './vidur-memory-fit.ts';
import { fitMemoryOp } from './vidur-memory-fit.ts';
import { vidurGemms, vidurMemoryOps } from './vidur-op-shapes.ts';
import type { VidurGpu } from './vidur-profiling-data.ts';
import { VIDUR_FIT_MODELS, readVidurMlpRows, vidurDataDirectory, vidurHeldOutModels } from './vidur-profiling-data.ts';

/** How catalog figures derived from these data cite them. */
export const VIDUR_SOURCE = 'Vidur profiling data (microsoft/vidur)';
export const VIDUR_COMMIT = '7d47513363ec447a741ac5e47241580b47724fbf';
/** The memory-bound kinds Vidur measured (its norm, activation, RoPE, residual add and embedding ops). */
export const VIDUR_MEMORY_OP_KINDS: readonly MemoryOpKind[] = ['norm', 'activation', 'rope', 'residual-add', 'embedding'];

export interface VidurProfileSpec {
  gpu: VidurGpu;
  /** Catalog chips that use the profile (their gemmEfficiency is the derived one). */
  chips: readonly string[];
  /** The chips in words, for file headers. */
  chipText: string;
}

export const VIDUR_DERIVED_PROFILES: Readonly<Record<string, VidurProfileSpec>> = {
  'nvidia-hopper': { gpu: 'h100', chips: ['h100', 'h800'], chipText: 'H100 SXM and H800 (the H100 die; only its NVLink differs)' },
  'nvidia-ampere': { gpu: 'a100', chips: ['a100'], chipText: 'A100' },
};

/** The shipped profiles whose tables are the tile model itself (the rest are derived from Vidur's data). */
export function tileModelShippedProfiles(): string[] {
  return Object.keys(DERIVED_KERNEL_PROFILES).filter((name) => VIDUR_DERIVED_PROFILES[name] === undefined).sort();
}

/** The catalog figures a derivation divides by: the chip's dense BF16/FP16 peak (FLOP/s) and HBM bandwidth (bytes/s). */
export interface ChipFigures {
  peakFlops: number;
  hbmBandwidth: number;
}

export interface VidurDerivedProfile {
  name: string;
  gpu: VidurGpu;
  gemm: GemmFit;
  memoryOps: Partial<Record<MemoryOpKind, MemoryOpFit>>;
  /** The files' full text. */
  gemmCsv: string;
  memoryOpsCsv: string;
}

const shortName = (model: string): string => model.split('/')[1] as string;

/** Derives profile `name` from the fit-set rows of its GPU, against the catalog figures of its chip. */
export function deriveVidurProfile(name: string, chip: ChipFigures, directory: string = vidurDataDirectory()): VidurDerivedProfile {
  const spec = VIDUR_DERIVED_PROFILES[name];
  const tile = DERIVED_KERNEL_PROFILES[name];
  if (spec === undefined || tile === undefined) throw new Error(`no Vidur-derived kernel profile "${name}"`);
  const rows = VIDUR_FIT_MODELS.flatMap((model) => readVidurMlpRows(spec.gpu, model, directory));
  const gemm = fitGemmEfficiency(rows.flatMap(vidurGemms), chip.peakFlops, tile.model, name);
  const ops = rows.flatMap(vidurMemoryOps);
  const memoryOps: Partial<Record<MemoryOpKind, MemoryOpFit>> = {};
  for (const kind of VIDUR_MEMORY_OP_KINDS) memoryOps[kind] = fitMemoryOp(ops.filter((o) => o.kind === kind), chip.hbmBandwidth);
  const table: MemoryOpTable = {};
  for (const kind of VIDUR_MEMORY_OP_KINDS) {
    const { bandwidthEfficiency, fixedNs } = memoryOps[kind] as MemoryOpFit;
    table[kind] = { bandwidthEfficiency, fixedNs };
  }
  const provenance = [
    `DERIVED FROM MEASUREMENTS: ${VIDUR_SOURCE}, MIT licence, copied unchanged to data/vidur-profiling/ (commit ${VIDUR_COMMIT}).`,
    `Fit-set models on ${spec.gpu.toUpperCase()}: ${VIDUR_FIT_MODELS.map(shortName).join(', ')} (forward fp16, tokens 1-4096, TP 1, 2, 4, 8).`,
    `Held out (not used here; src/studies/validate/vidur-heldout-kernels.ts reports their errors): ${vidurHeldOutModels(spec.gpu).map(shortName).join(', ')}.`,
    'Times are device times (the sum of the op\'s GPU kernel durations from the PyTorch profiler), without launch latency.',
    'Regenerate with: node --import tsx scripts/derive-vidur-kernel-tables.ts   (do not edit by hand: a test checks this file).',
  ];
  return { name, gpu: spec.gpu, gemm, memoryOps, gemmCsv: gemmCsv(name, spec, chip, gemm, provenance), memoryOpsCsv: memoryOpsCsv(name, spec, chip, memoryOps, table, provenance) };
}

function gemmCsv(name: string, spec: VidurProfileSpec, chip: ChipFigures, gemm: GemmFit, provenance: string[]): string {
  const t = DERIVED_KERNEL_PROFILES[name]!.model;
  const r = gemm.region;
  return formatGemmEfficiencyCsv(gemm.table, [
    `GEMM relative efficiency by shape, kernel profile "${name}" (moesim catalog/kernels): chips ${spec.chipText}.`,
    `Two factors: relative(m, n, k) = F(m, n) x G(m, k). The first grid below is F (rows m, columns n), the second G (rows m,`,
    `columns k; G = 1 at k = ${K_REFERENCE}). Absolute efficiency = relative x the chip's gemmEfficiency, ${gemm.gemmEfficiency} (catalog/chips/*.yaml).`,
    'moesim interpolates each grid bilinearly in log2(m), log2(n or k) and the log of the value, clamped at the edges.',
    '',
    ...provenance,
    `Method (src/kernels/vidur-gemm-fit.ts), from ${gemm.observations} measured GEMMs (QKV, attention output, MLP up and down projections):`,
    `gemmEfficiency = median achieved fraction of the ${chip.peakFlops / 1e12} TFLOPS peak over the ${gemm.largeShapes} largest shapes (m = ${r.mMax}, min(n,k) >= ${LARGE_MIN_NK});`,
    'F and G = least squares on log(achieved efficiency / gemmEfficiency), through the same log-bilinear lookup moesim does.',
    `Measured region (grid sizes): m <= ${r.mMax}, n ${r.nMin}..${r.nMax}, k ${r.kMin}..${r.kMax}. OUTSIDE IT THE VALUES ARE THE TILE MODEL T`,
    `(src/kernels/gemm-tile-model.ts; cores ${t.cores}, smallest tile ${t.minTileM}x${t.minTileN}, largest side ${t.maxTileSide}, largest area ${t.maxTileArea}, full-rate reuse ${t.fullRateReuse})`,
    `scaled to meet the fit at the edge, with M = ${r.mMax}, m* = min(m, M) and n*, k* the nearest measured column:`,
    'F(m, n) = F(m*, n*) x T(max(m, M), n) / T(M, n*)   (the tile model\'s penalty for a size outside the measured ones as at m = M;',
    '                                                   beyond M, the tile model\'s growth in m, column by column)',
    'G(m, k) = G(m*, k*) x T(M, k) / T(M, k*)            (flat in m beyond M; a short k gets the tile model\'s short-side penalty).',
    `Then ${gemm.capped} cells are lowered so that a GEMM's time never falls as m grows (F(2m,n) G(2m,k) <= 2 F(m,n) G(m,k) everywhere).`,
  ]);
}

function memoryOpsCsv(
  name: string, spec: VidurProfileSpec, chip: ChipFigures, fits: Partial<Record<MemoryOpKind, MemoryOpFit>>, table: MemoryOpTable, provenance: string[],
): string {
  return formatMemoryOpCsv(table, [
    `Memory-bound kernels by kind, kernel profile "${name}" (moesim catalog/kernels): chips ${spec.chipText}.`,
    'time = max(fixedNs x launches, bytes / (HBM bandwidth x bandwidthEfficiency)), plus the chip\'s launch overhead per launch (src/kernels/memory-ops.ts).',
    '',
    ...provenance,
    `Method (src/kernels/vidur-memory-fit.ts): per kind, the fixedNs and bandwidthEfficiency minimising the squared log error of the times,`,
    `against the catalog HBM bandwidth of ${chip.hbmBandwidth / 1e12} TB/s. Measured ops fitted: ${VIDUR_MEMORY_OP_KINDS.map((k) => `${k} ${fits[k]!.observations}`).join(', ')}.`,
    'Bytes (src/kernels/vidur-op-shapes.ts, data/vidur-profiling/README.md): norm = RMSNorm reading and writing [T, hidden];',
    'activation = SiLU-and-mul reading [T, 2 ffn/tp] and writing [T, ffn/tp]; rope = in place on q and k; residual-add = two',
    '[T, hidden] read, one written; embedding = gather of T rows of hidden. The efficiency is effective: kernels that read what the',
    'previous kernel just wrote partly hit L2 (residual-add is near 1), and the norm and embedding kernels measured are slow ones.',
    'The floor of these kernels grows with the row width (one thread block per token), so fixedNs is a fitted average.',
    'Kinds not listed were not measured: they stream at the chip\'s memoryBoundEfficiency with no floor.',
  ]);
}
