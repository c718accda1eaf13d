// GEMM efficiency by shape: RELATIVE efficiency (1.0 = a large, well-shaped GEMM) as a grid over m and one
// other size, interpolated bilinearly in log space (log of the value over log2(m) and log2(size): a power law
// between grid points, so a GEMM's time never falls as m grows while the grid has rel(2m) ≤ 2·rel(m)), exact at
// grid points and clamped at the edges. A table is either
//   - one grid over (m, min(n,k))  ("m\min_nk"; the tile-model profiles), or
//   - two factors, a grid over (m, n) times a grid over (m, k)  ("m\n" then "m\k"; the measured GPU profiles,
//     where a short k costs less than a short n of the same size: DESIGN.md, "Kernel cost model").
// The absolute efficiency of a GEMM is relative × the chip's calibrated `gemmEfficiency`. The CSV format is in
// gemm-efficiency-csv.ts.
import { InputError } from '../engine/index.ts';

/** The header's first cell of a one-grid table: rows are m, columns min(n, k). */
export const GEMM_TABLE_CORNER = 'm\\min_nk';
/** The header's first cells of a two-factor table's grids: columns n, then columns k. */
export const GEMM_TABLE_N_CORNER = 'm\\n';
export const GEMM_TABLE_K_CORNER = 'm\\k';
/** Largest relative efficiency a table may hold (a shape may beat the calibration GEMM, by at most 2×). */
export const MAX_RELATIVE_EFFICIENCY = 2;

/** What a grid's columns are keyed by. */
export type GemmTableColumns = 'min_nk' | 'n' | 'k';

export interface GemmEfficiencyTable {
  /** Where the table came from (file path or a label), for messages. */
  source: string;
  /** The column key: min(n, k) for a one-grid table; n for a two-factor table (whose k grid is `kFactor`). */
  columns: GemmTableColumns;
  /** Row keys: m, strictly increasing. */
  m: readonly number[];
  /** Column keys (min(n, k), n or k as `columns` says), strictly increasing. */
  nk: readonly number[];
  /** Row-major relative efficiencies, m.length × nk.length. */
  values: Float64Array;
  /** log2 of the keys and natural log of the values, for interpolation. */
  log2M: Float64Array;
  log2Nk: Float64Array;
  logValues: Float64Array;
  /** A two-factor table's second grid (columns k): relative efficiency = this grid at (m, n) × kFactor at (m, k). */
  kFactor?: GemmEfficiencyTable;
}

/** Builds one grid from keys and row-major values (checks sizes, order and ranges; `source` names it in errors). */
export function makeGemmEfficiencyTable(
  source: string, m: readonly number[], nk: readonly number[], values: ArrayLike<number>, columns: GemmTableColumns = 'min_nk',
): GemmEfficiencyTable {
  const increasing = (a: readonly number[]): boolean => a.every((x, i) => Number.isFinite(x) && x > 0 && (i === 0 || x > a[i - 1]!));
  if (m.length === 0 || nk.length === 0) throw new InputError(`${source}: a GEMM efficiency table needs at least one row and one column`);
  if (!increasing(m) || !increasing(nk)) throw new InputError(`${source}: row and column sizes must be positive and strictly increasing`);
  if (values.length !== m.length * nk.length) throw new InputError(`${source}: ${values.length} values for ${m.length} × ${nk.length} cells`);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v > 0 && v <= MAX_RELATIVE_EFFICIENCY)) throw new InputError(`${source}: value ${v} out of (0, ${MAX_RELATIVE_EFFICIENCY}]`);
  }
  return {
    source,
    columns,
    m: [...m],
    nk: [...nk],
    values: Float64Array.from(values),
    log2M: Float64Array.from(m, Math.log2),
    log2Nk: Float64Array.from(nk, Math.log2),
    logValues: Float64Array.from(values, Math.log),
  };
}

/** A two-factor table from its n grid (columns 'n') and k grid (columns 'k'). */
export function makeTwoFactorGemmTable(nGrid: GemmEfficiencyTable, kGrid: GemmEfficiencyTable): GemmEfficiencyTable {
  if (nGrid.columns !== 'n' || kGrid.columns !== 'k' || nGrid.kFactor !== undefined || kGrid.kFactor !== undefined) {
    throw new InputError(`${nGrid.source}: a two-factor table is a grid keyed by n and a grid keyed by k`);
  }
  return { ...nGrid, kFactor: kGrid };
}

/** Index i with keys[i] ≤ x ≤ keys[i+1] (x already clamped); the fraction of the way from i to i+1 goes to `frac`. */
function bracket(keys: Float64Array, x: number, frac: Float64Array, slot: number): number {
  const last = keys.length - 1;
  frac[slot] = 0;
  if (last === 0 || x <= keys[0]!) return 0;
  if (x >= keys[last]!) return last;
  let i = 0;
  while (keys[i + 1]! <= x) i++;
  const lo = keys[i]!;
  frac[slot] = (x - lo) / (keys[i + 1]! - lo);
  return i;
}

const fractions = new Float64Array(2);
/** Memoised lookups per grid: column size → m → relative efficiency (the same shapes recur all through a step). */
const memo = new WeakMap<GemmEfficiencyTable, Map<number, Map<number, number>>>();

function interpolate(table: GemmEfficiencyTable, m: number, minNk: number): number {
  const i = bracket(table.log2M, Math.log2(m), fractions, 0);
  const j = bracket(table.log2Nk, Math.log2(minNk), fractions, 1);
  const fi = fractions[0]!;
  const fj = fractions[1]!;
  const cols = table.nk.length;
  if (fi === 0 && fj === 0) return table.values[i * cols + j]!;
  const v = table.logValues;
  const i1 = fi > 0 ? i + 1 : i;
  const j1 = fj > 0 ? j + 1 : j;
  const top = v[i * cols + j]! * (1 - fj) + v[i * cols + j1]! * fj;
  const bottom = v[i1 * cols + j]! * (1 - fj) + v[i1 * cols + j1]! * fj;
  return Math.exp(top * (1 - fi) + bottom * fi);
}

/** The map stored under `key` in `outer`, made empty on first use (one level of a nested memo). */
function inner<K, V extends Map<unknown, unknown>>(outer: { get(key: K): V | undefined; set(key: K, value: V): unknown }, key: K): V {
  let value = outer.get(key);
  if (value === undefined) {
    value = new Map() as V;
    outer.set(key, value);
  }
  return value;
}

/** The memo of one grid's column: m → relative efficiency. */
function memoColumn(table: GemmEfficiencyTable, minNk: number): Map<number, number> {
  return inner(inner(memo, table), minNk);
}

/**
 * One grid's value at (m, column) (column = min(n,k), n or k as the grid's `columns` says; a two-factor table's
 * k grid is `table.kFactor`): the log of the value interpolated bilinearly over log2(m) and log2(column), clamped
 * at the edges; exactly the grid's value at a grid point. Memoised per grid and shape.
 */
export function lookupRelativeEfficiency(table: GemmEfficiencyTable, m: number, column: number): number {
  return memoised(memoColumn(table, column), table, m, column);
}

/** The value at (m, minNk) from the column's memo `byM`, interpolated and memoised the first time. */
function memoised(byM: Map<number, number>, table: GemmEfficiencyTable, m: number, minNk: number): number {
  let value = byM.get(m);
  if (value === undefined) {
    value = interpolate(table, m, minNk);
    byM.set(m, value);
  }
  return value;
}

/**
 * relativeGemmEfficiency for many m at one (n, k) (a grouped GEMM's experts): the same values, with the columns'
 * memos found once. `table` undefined: 1 for every m.
 */
export function relativeGemmEfficiencyColumn(table: GemmEfficiencyTable | undefined, n: number, k: number): (m: number) => number {
  if (table === undefined) return () => 1;
  const kGrid = table.kFactor;
  if (kGrid === undefined) {
    const minNk = Math.min(n, k);
    const byM = memoColumn(table, minNk);
    return (m) => memoised(byM, table, m, minNk);
  }
  const byM = productColumn(table, n, k);
  return (m) => memoisedProduct(byM, table, kGrid, m, n, k);
}

/** Memoised products of a two-factor table: n → k → m → relative efficiency (one map read per m, as one grid). */
const productMemo = new WeakMap<GemmEfficiencyTable, Map<number, Map<number, Map<number, number>>>>();

function productColumn(table: GemmEfficiencyTable, n: number, k: number): Map<number, number> {
  return inner(inner(inner(productMemo, table), n), k);
}

function memoisedProduct(byM: Map<number, number>, table: GemmEfficiencyTable, kGrid: GemmEfficiencyTable, m: number, n: number, k: number): number {
  let value = byM.get(m);
  if (value === undefined) {
    value = lookupRelativeEfficiency(table, m, n) * lookupRelativeEfficiency(kGrid, m, k);
    byM.set(m, value);
  }
  return value;
}

/**
 * Relative efficiency of C[m,n] = A[m,k]·B[k,n]: the grid at (m, min(n,k)), or for a two-factor table the n grid
 * at (m, n) times the k grid at (m, k); 1 when the chip has no table (the flat, single-figure model).
 */
export function relativeGemmEfficiency(table: GemmEfficiencyTable | undefined, m: number, n: number, k: number): number {
  if (table === undefined) return 1;
  if (table.kFactor === undefined) return lookupRelativeEfficiency(table, m, Math.min(n, k));
  return memoisedProduct(productColumn(table, n, k), table, table.kFactor, m, n, k);
}

/**
 * Memoised relative efficiencies of a table along one line of shapes, for hot loops (a grouped GEMM's experts, per
 * micro-batch, layer and DP rank): `at(x)` is one map read once computed, and no closure is made per call.
 */
export class EfficiencyLine {
  private readonly values = new Map<number, number>();

  constructor(private readonly value: (x: number) => number) {}

  at(x: number): number {
    let v = this.values.get(x);
    if (v === undefined) {
      v = this.value(x);
      this.values.set(x, v);
    }
    return v;
  }
}

/** Lines per table, by their two fixed sizes. */
type LineMemo = WeakMap<GemmEfficiencyTable, Map<number, Map<number, EfficiencyLine>>>;
const columnLines: LineMemo = new WeakMap();
const innerLines: LineMemo = new WeakMap();

function lineOf(memo: LineMemo, table: GemmEfficiencyTable, a: number, b: number, value: () => (x: number) => number): EfficiencyLine {
  let byA = memo.get(table);
  if (byA === undefined) memo.set(table, (byA = new Map()));
  let byB = byA.get(a);
  if (byB === undefined) byA.set(a, (byB = new Map()));
  let line = byB.get(b);
  if (line === undefined) byB.set(b, (line = new EfficiencyLine(value())));
  return line;
}

/** relativeGemmEfficiency(table, m, n, k) as m varies: `at(m)`. Undefined without a table (every value 1). */
export function efficiencyColumn(table: GemmEfficiencyTable | undefined, n: number, k: number): EfficiencyLine | undefined {
  return table === undefined ? undefined : lineOf(columnLines, table, n, k, () => relativeGemmEfficiencyColumn(table, n, k));
}

/** relativeGemmEfficiency(table, m, n, k) as the inner size k varies (a weight gradient's tokens): `at(k)`. */
export function efficiencyInner(table: GemmEfficiencyTable | undefined, m: number, n: number): EfficiencyLine | undefined {
  return table === undefined ? undefined : lineOf(innerLines, table, m, n, () => (k) => relativeGemmEfficiency(table, m, n, k));
}
