// Fits a GPU's GEMM efficiency from Vidur's measured GEMM times (the fit-set models): the chip's large-GEMM
// efficiency and a two-factor relative table, relative(m, n, k) = F(m, n) · G(m, k), with G = 1 at k = 8192.
//
// 1. Each GEMM's achieved efficiency is 2·m·n·k / (time · peak).
// 2. gemmEfficiency is the median of it over the largest measured shapes: m = the largest measured m (4096) and
//    min(n, k) ≥ 4096; rounded to 4 significant digits.
// 3. log(efficiency / gemmEfficiency) is fitted by linear least squares with log F and log G on the table's grids
//    (powers of two) as unknowns: a GEMM's prediction is log F interpolated bilinearly over (log2 m, log2 n) plus
//    log G over (log2 m, log2 k), exactly the lookup moesim does, so the fit minimises the squared log error of the
//    predicted times. Unknowns are the grid cells whose interpolation cells hold data: rows up to the smallest grid m
//    at or above the largest measured m, columns from the largest grid size at or below the smallest measured n
//    (k) to the smallest at or above the largest.
// 4. Outside that measured region the table follows the tile model T (gemm-tile-model.ts), scaled to meet the fit
//    at the region's edge. With M the top measured row (4096) and n*, k* the nearest measured column:
//    F(m, n) = F(m*, n*) · T(max(m, M), n) / T(M, n*), m* = min(m, M): a size outside the measured columns gets the
//    tile model's penalty relative to the edge column as it is at m = M, and rows beyond M follow the tile model's
//    growth in m column by column; G(m, k) = G(m*, k*) · T(M, k) / T(M, k*): G continues flat beyond M (the tile
//    model's m dependence is applied once, in F), and a k shorter than measured gets the tile model's short-side
//    penalty, as a short min(n, k) does in the tile-model profiles. (Taking the penalties at one m keeps the
//    extrapolated columns from growing faster in m than the measured ones, which step 5 would otherwise cut.)
// 5. A GEMM's time never falls as m grows: going down the rows (m doubles each row), F(2m, n) is capped at
//    2·F(m, n), and then G(2m, k) at G(m, k) · 2 / r with r = max_n F(2m, n) / F(m, n), so F·G at most doubles
//    for every n and k. In the memory-bound rows (small m, where F doubles with m) this holds G flat against the
//    measurement noise; where F has saturated, G may still grow (a short k hurts less at large m).
import { median } from '../engine/index.ts';
import type { GemmEfficiencyTable } from './gemm-efficiency-table.ts';
import { makeGemmEfficiencyTable, makeTwoFactorGemmTable } from './gemm-efficiency-table.ts';
import type { TileModel } from './gemm-tile-model.ts';
import { TABLE_M, tileModelEfficiency } from './gemm-tile-model.ts';
import { solveLeastSquares } from './least-squares.ts';
import type { Observation } from './least-squares.ts';
import type { VidurGemm } from './vidur-op-shapes.ts';

const powersOfTwo = (to: number): number[] => Array.from({ length: Math.log2(to) + 1 }, (_, i) => 2 ** i);
/** The grids of the fitted tables: m as the tile-model tables, n up to 65536, k up to 32768. */
export const FIT_TABLE_M: readonly number[] = TABLE_M;
export const FIT_TABLE_N: readonly number[] = powersOfTwo(65536);
export const FIT_TABLE_K: readonly number[] = powersOfTwo(32768);
/** The k at which G = 1 (F alone is then the relative efficiency): the k of most fit-set GEMMs (hidden 8192). */
export const K_REFERENCE = 8192;
/** A shape counts as "large" for gemmEfficiency from this min(n, k) up (at the largest measured m). */
export const LARGE_MIN_NK = 4096;

export interface GemmFit {
  gemmEfficiency: number;
  /** How many measured GEMMs gemmEfficiency is the median of. */
  largeShapes: number;
  table: GemmEfficiencyTable;
  /** The measured region (inclusive grid sizes): outside it the table is the scaled tile model. */
  region: { mMax: number; nMin: number; nMax: number; kMin: number; kMax: number };
  observations: number;
  /** Cells of F lowered by step 5. */
  capped: number;
}

/** Interpolation weights of x on log2-spaced keys (clamped): one or two (index, weight) pairs. */
function hat(keys: readonly number[], x: number): [number, number][] {
  const lx = Math.log2(x);
  const last = keys.length - 1;
  if (lx <= Math.log2(keys[0]!)) return [[0, 1]];
  if (lx >= Math.log2(keys[last]!)) return [[last, 1]];
  let i = 0;
  while (Math.log2(keys[i + 1]!) <= lx) i++;
  const lo = Math.log2(keys[i]!);
  const f = (lx - lo) / (Math.log2(keys[i + 1]!) - lo);
  return f === 0 ? [[i, 1]] : [[i, 1 - f], [i + 1, f]];
}

/** Indices [first, last] of the grid cells whose interpolation intervals cover [low, high]. */
function coveredRange(keys: readonly number[], low: number, high: number): [number, number] {
  let first = 0;
  while (first + 1 < keys.length && keys[first + 1]! <= low) first++;
  let last = keys.length - 1;
  while (last > 0 && keys[last - 1]! >= high) last--;
  return [first, last];
}

const clamp = (i: number, [lo, hi]: [number, number]): number => Math.min(hi, Math.max(lo, i));

/** Fits gemmEfficiency and the two-factor table to `gemms` (the fit set) on a chip of `peakFlops`, with `tile` outside. */
export function fitGemmEfficiency(gemms: readonly VidurGemm[], peakFlops: number, tile: TileModel, source: string): GemmFit {
  const efficiency = gemms.map((g) => (2 * g.m * g.n * g.k) / (g.timeNs * 1e-9 * peakFlops));
  const mTop = Math.max(...gemms.map((g) => g.m));
  const large = efficiency.filter((_, i) => gemms[i]!.m === mTop && Math.min(gemms[i]!.n, gemms[i]!.k) >= LARGE_MIN_NK);
  const gemmEfficiency = Number(median(large).toPrecision(4));
  const span = (pick: (g: VidurGemm) => number): [number, number] => [Math.min(...gemms.map(pick)), Math.max(...gemms.map(pick))];
  const rows = coveredRange(FIT_TABLE_M, ...span((g) => g.m));
  const nCols = coveredRange(FIT_TABLE_N, ...span((g) => g.n));
  const kCols = coveredRange(FIT_TABLE_K, ...span((g) => g.k));
  const kRef = FIT_TABLE_K.indexOf(K_REFERENCE);
  if (kRef < kCols[0] || kRef > kCols[1]) throw new Error(`fitGemmEfficiency: k = ${K_REFERENCE} is outside the measured k`);
  // Unknown numbering: F cells row-major over the measured region, then G cells (without the reference column).
  const width = (r: [number, number]): number => r[1] - r[0] + 1;
  const fIndex = (i: number, j: number): number => (i - rows[0]) * width(nCols) + (j - nCols[0]);
  const gBase = width(rows) * width(nCols);
  const gWidth = width(kCols) - 1;
  const gIndex = (i: number, j: number): number => gBase + (i - rows[0]) * gWidth + (j - kCols[0] - (j > kRef ? 1 : 0));
  const observations: Observation[] = gemms.map((g, o) => {
    const indices: number[] = [];
    const weights: number[] = [];
    for (const [i, wi] of hat(FIT_TABLE_M, g.m)) {
      for (const [j, wj] of hat(FIT_TABLE_N, g.n)) {
        indices.push(fIndex(i, j));
        weights.push(wi * wj);
      }
      for (const [j, wj] of hat(FIT_TABLE_K, g.k)) {
        if (j === kRef) continue;
        indices.push(gIndex(i, j));
        weights.push(wi * wj);
      }
    }
    return { indices, weights, target: Math.log(efficiency[o]! / gemmEfficiency) };
  });
  const x = solveLeastSquares(observations, gBase + width(rows) * gWidth);
  const T = (m: number, size: number): number => tileModelEfficiency(tile, m, size);
  const fitF = (i: number, j: number): number => Math.exp(x[fIndex(i, j)]!);
  const fitG = (i: number, j: number): number => (j === kRef ? 1 : Math.exp(x[gIndex(i, j)]!));
  const mTopRow = FIT_TABLE_M[rows[1]]!;
  const fValues = FIT_TABLE_M.flatMap((m, i) => FIT_TABLE_N.map((n, j) => {
    const [si, sj] = [clamp(i, rows), clamp(j, nCols)];
    return si === i && sj === j ? fitF(i, j) : (fitF(si, sj) * T(Math.max(m, mTopRow), n)) / T(mTopRow, FIT_TABLE_N[sj]!);
  }));
  const gValues = FIT_TABLE_M.flatMap((_, i) => FIT_TABLE_K.map((k, j) => {
    const [si, sj] = [clamp(i, rows), clamp(j, kCols)];
    return sj === j ? fitG(si, j) : (fitG(si, sj) * T(mTopRow, k)) / T(mTopRow, FIT_TABLE_K[sj]!);
  }));
  const capped = capGrowthInM(fValues, gValues, FIT_TABLE_N.length, FIT_TABLE_K.length, nCols);
  const table = makeTwoFactorGemmTable(
    makeGemmEfficiencyTable(source, FIT_TABLE_M, FIT_TABLE_N, fValues, 'n'),
    makeGemmEfficiencyTable(`${source} (k factor)`, FIT_TABLE_M, FIT_TABLE_K, gValues, 'k'),
  );
  return {
    gemmEfficiency,
    largeShapes: large.length,
    table,
    region: {
      mMax: FIT_TABLE_M[rows[1]]!, nMin: FIT_TABLE_N[nCols[0]]!, nMax: FIT_TABLE_N[nCols[1]]!,
      kMin: FIT_TABLE_K[kCols[0]]!, kMax: FIT_TABLE_K[kCols[1]]!,
    },
    observations: observations.length,
    capped,
  };
}

/**
 * Step 5 on row-major grids f (rows × nCols) and g (rows × kCols) whose rows double m, where f's measured columns
 * are [first, last]; returns the cells lowered.
 */
function capGrowthInM(f: number[], g: number[], nCols: number, kCols: number, [first, last]: [number, number]): number {
  let capped = 0;
  const lower = (values: number[], at: number, cap: number): void => {
    if (values[at]! > cap) {
      values[at] = cap;
      capped++;
    }
  };
  const growth = (values: number[], cols: number, i: number, j: number): number => values[i * cols + j]! / values[(i - 1) * cols + j]!;
  for (let i = 1; i * nCols < f.length; i++) {
    let worstF = 0;
    for (let j = first; j <= last; j++) {
      lower(f, i * nCols + j, 2 * f[(i - 1) * nCols + j]!);
      worstF = Math.max(worstF, growth(f, nCols, i, j));
    }
    let worstG = 0;
    for (let j = 0; j < kCols; j++) {
      lower(g, i * kCols + j, (2 * g[(i - 1) * kCols + j]!) / worstF);
      worstG = Math.max(worstG, growth(g, kCols, i, j));
    }
    for (let j = 0; j < nCols; j++) if (j < first || j > last) lower(f, i * nCols + j, (2 * f[(i - 1) * nCols + j]!) / worstG);
  }
  return capped;
}
