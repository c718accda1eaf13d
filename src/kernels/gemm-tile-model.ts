// The simple model the shipped GEMM efficiency tables (catalog/kernels/*.csv) are derived from, in the absence of
// measured curves: tile quantisation, wave quantisation over the chip's cores, and a lower per-core rate for small
// tiles. scripts/generate-kernel-tables.ts writes the CSVs from it; a test checks the shipped files still match.
//
// A GEMM's m × n output is cut into tm × tn tiles, one core computing one tile at a time over the whole k loop.
// For a tile choice (powers of two between the matrix unit's smallest tile and maxTileSide, tm·tn ≤ maxTileArea):
//   tile use     U = m / (tm·⌈m/tm⌉) · n / (tn·⌈n/tn⌉)            (padding wasted in the last tile row / column)
//   wave use     W = T / (cores·⌈T/cores⌉),  T = ⌈m/tm⌉·⌈n/tn⌉      (idle cores in the last wave)
//   core rate    R = min(1, (tm·tn/(tm+tn)) / fullRateReuse)        (operand reuse per element fetched; small tiles
//                                                                    starve the matrix unit)
// and the kernel library is assumed to pick the best tile: efficiency(m, n) = max U·W·R. k is assumed long (the
// per-tile prologue and epilogue negligible): a short k makes a GEMM memory-bound, which the roofline charges.
// The table's grid point (m, x) is the GEMM m × x (n = x, k long); values are divided by the grid's maximum, so
// the best-shaped large GEMM is 1.0. Split-K / stream-K (which soften wave quantisation) are not modelled: the
// tables are on the conservative side for small grids of tiles.
import type { GemmEfficiencyTable } from './gemm-efficiency-table.ts';
import { formatGemmEfficiencyCsv } from './gemm-efficiency-csv.ts';
import { makeGemmEfficiencyTable } from './gemm-efficiency-table.ts';

export interface TileModel {
  /** Cores a GEMM's tiles are spread over (AI cores, SMs). */
  cores: number;
  /** The matrix unit's smallest output tile, m × n. */
  minTileM: number;
  minTileN: number;
  /** Largest tile side and area (elements of the fp32 accumulator one core holds). */
  maxTileSide: number;
  maxTileArea: number;
  /** Operand reuse tm·tn/(tm+tn) at and above which a core runs at full rate (64: a 128 × 128 tile). */
  fullRateReuse: number;
}

const powersOfTwo = (from: number, to: number): number[] => {
  const out: number[] = [];
  for (let x = from; x <= to; x *= 2) out.push(x);
  return out;
};

/** Absolute (unnormalised) fraction of peak of an m × n output with a long k, under the tile model. */
export function tileModelEfficiency(model: TileModel, m: number, n: number): number {
  let best = 0;
  for (const tm of powersOfTwo(model.minTileM, model.maxTileSide)) {
    for (const tn of powersOfTwo(model.minTileN, model.maxTileSide)) {
      if (tm * tn > model.maxTileArea) continue;
      const rows = Math.ceil(m / tm);
      const cols = Math.ceil(n / tn);
      const tiles = rows * cols;
      const use = (m / (tm * rows)) * (n / (tn * cols));
      const wave = tiles / (model.cores * Math.ceil(tiles / model.cores));
      const rate = Math.min(1, (tm * tn) / (tm + tn) / model.fullRateReuse);
      best = Math.max(best, use * wave * rate);
    }
  }
  return best;
}

/** The grid the shipped tables use: m = 1 … 65536 and min(n,k) = 1 … 16384, powers of two. */
export const TABLE_M = powersOfTwo(1, 65536);
export const TABLE_NK = powersOfTwo(1, 16384);

/** The relative-efficiency table of a tile model over a grid (normalised by the grid's best cell). */
export function tileModelTable(model: TileModel, source: string, m: readonly number[] = TABLE_M, nk: readonly number[] = TABLE_NK): GemmEfficiencyTable {
  const raw = m.flatMap((mi) => nk.map((x) => tileModelEfficiency(model, mi, x)));
  const best = Math.max(...raw);
  return makeGemmEfficiencyTable(source, m, nk, raw.map((v) => v / best));
}

export interface DerivedKernelProfile {
  model: TileModel;
  /** What the parameters rest on (CSV header lines). */
  basis: string[];
}

const ASCEND_TILES = { minTileM: 16, minTileN: 16, maxTileSide: 256, maxTileArea: 128 * 256, fullRateReuse: 64 };
const ASCEND_BASIS = [
  'Da Vinci AI core: one 16x16x16 cube unit (16x16 smallest output tile); 20 cores x 16^3 MAC x 2 x 1.8 GHz = 294.9 TFLOPS, the 910B3 peak of HARDWARE.md.',
  'Assumed: the largest tile is 128x256 (an fp32 accumulator of 128 KiB per core) and a core runs at full rate from the operand reuse of a 128x128 tile.',
];
const NVIDIA_BASIS = [
  'Assumed: the largest CTA tile is 128x256 (CUTLASS/cuBLAS bf16 tiles 128x128 to 256x128), one CTA per SM, and an SM runs at full rate from the operand reuse of a 128x128 tile.',
];

/** The shipped profiles: name (= CSV file name) → tile model and its basis. */
export const DERIVED_KERNEL_PROFILES: Readonly<Record<string, DerivedKernelProfile>> = {
  'ascend-910a': {
    model: { cores: 32, ...ASCEND_TILES },
    basis: ['Chips: Ascend 910A. Assumed: 32 Da Vinci AI cores (Huawei Ascend 910 announcement; HARDWARE.md gives no core count).', ...ASCEND_BASIS],
  },
  'ascend-910b': {
    model: { cores: 20, ...ASCEND_TILES },
    basis: [
      'Chips: Ascend 910B1-910B4. 20 AI cores (HARDWARE.md, 910B3). 910B1/910B2 have 24 (peak / (8192 FLOP per cycle x 1.8-1.85 GHz)); their wave steps differ slightly.',
      ...ASCEND_BASIS,
    ],
  },
  'ascend-910c': {
    model: { cores: 48, ...ASCEND_TILES },
    basis: ['Chips: Ascend 910C. Assumed: two 24-core 910B-class dies (752 TFLOPS / (8192 FLOP per cycle x ~1.9 GHz)) and one GEMM spread over both.', ...ASCEND_BASIS],
  },
  'nvidia-ampere': {
    model: { cores: 108, minTileM: 16, minTileN: 8, maxTileSide: 256, maxTileArea: 128 * 256, fullRateReuse: 64 },
    basis: ['Chips: A100. 108 SMs (NVIDIA A100 whitepaper; not in HARDWARE.md); mma.sync m16n8k16 sets the 16x8 smallest tile.', ...NVIDIA_BASIS],
  },
  'nvidia-hopper': {
    model: { cores: 132, minTileM: 64, minTileN: 8, maxTileSide: 256, maxTileArea: 128 * 256, fullRateReuse: 64 },
    basis: ['Chips: H100 SXM, H800. 132 SMs (NVIDIA H100 whitepaper; not in HARDWARE.md); wgmma m64nNk16 sets the 64x8 smallest tile.', ...NVIDIA_BASIS],
  },
};

/** The full CSV text of a shipped profile: header comments (method, basis, format) and the derived table. */
export function derivedProfileCsv(name: string): string {
  const profile = DERIVED_KERNEL_PROFILES[name];
  if (profile === undefined) throw new Error(`no derived kernel profile "${name}"`);
  const m = profile.model;
  const comments = [
    `GEMM relative efficiency by shape, kernel profile "${name}" (moesim catalog/kernels). Rows: m; columns: min(n,k).`,
    'Absolute efficiency = value x the chip\'s gemmEfficiency (catalog/chips/*.yaml); 1.0 = the best-shaped large GEMM.',
    'moesim interpolates bilinearly in log2(m) and log2(min(n,k)) and clamps outside the grid.',
    '',
    'NOT MEASURED. Derived from a tile-quantisation model, src/kernels/gemm-tile-model.ts (regenerate the shipped tables',
    'with: node --import tsx scripts/generate-kernel-tables.ts). The m x n output is cut into tm x tn tiles (powers of two),',
    'one per core at a time; efficiency = max over tiles of (tile use) x (wave use) x (core rate), with tile use =',
    'm/(tm*ceil(m/tm)) * n/(tn*ceil(n/tn)), wave use = T/(cores*ceil(T/cores)) for T tiles, and core rate =',
    'min(1, (tm*tn/(tm+tn)) / full-rate reuse): small tiles reuse each fetched operand less and starve the matrix unit.',
    'Grid point (m, x) is the GEMM m x x with a long k; values are divided by the grid maximum.',
    `Parameters: cores ${m.cores}, smallest tile ${m.minTileM}x${m.minTileN}, largest side ${m.maxTileSide}, largest area ${m.maxTileArea}, full-rate reuse ${m.fullRateReuse}.`,
    ...profile.basis,
    '',
    'To use measurements instead: time GEMMs at these (or your own) sizes, divide each achieved TFLOPS by the large-GEMM',
    'figure you set as the chip\'s gemmEfficiency x peak, and replace the rows below (keep the header layout:',
    'first cell m\\min_nk, sizes strictly increasing, values in (0, 2]).',
  ];
  return formatGemmEfficiencyCsv(tileModelTable(m, name), comments);
}
