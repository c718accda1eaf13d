// GEMM efficiency by shape: a 2-D table of RELATIVE efficiency (1.0 = a large, well-shaped GEMM) over m and
// min(n, k), read from CSV (catalog/kernels/*.csv) and interpolated bilinearly in log space (log of the value over
// log2(m), log2(min(n,k)): a power law between grid points, so a GEMM's time never falls as m grows while the table
// has rel(2m) ≤ 2·rel(m)), exact at grid points and clamped at the edges.
// The absolute efficiency of a GEMM is relative × the chip's calibrated `gemmEfficiency`.
//
// CSV format (DESIGN.md, "Kernel cost model"): lines starting with '#' and blank lines are comments; the first
// other line is the header `m\min_nk,<x1>,<x2>,…` with the min(n,k) sizes of the columns; every further line is
// `<m>,<v1>,<v2>,…`: a row's m then one relative efficiency per column. Sizes are positive and strictly
// increasing (rows and columns); values are numbers in (0, MAX_RELATIVE_EFFICIENCY].
import { InputError } from '../engine/index.ts';

/** The header's first cell: rows are m, columns min(n, k). */
export const GEMM_TABLE_CORNER = 'm\\min_nk';
/** Largest relative efficiency a table may hold (a shape may beat the calibration GEMM, by at most 2×). */
export const MAX_RELATIVE_EFFICIENCY = 2;

export interface GemmEfficiencyTable {
  /** Where the table came from (file path or a label), for messages. */
  source: string;
  /** Row keys: m, strictly increasing. */
  m: readonly number[];
  /** Column keys: min(n, k), strictly increasing. */
  nk: readonly number[];
  /** Row-major relative efficiencies, m.length × nk.length. */
  values: Float64Array;
  /** log2 of the keys and natural log of the values, for interpolation. */
  log2M: Float64Array;
  log2Nk: Float64Array;
  logValues: Float64Array;
}

/** Builds a table from keys and row-major values (checks sizes, order and ranges; `source` names it in errors). */
export function makeGemmEfficiencyTable(source: string, m: readonly number[], nk: readonly number[], values: ArrayLike<number>): GemmEfficiencyTable {
  const increasing = (a: readonly number[]): boolean => a.every((x, i) => Number.isFinite(x) && x > 0 && (i === 0 || x > (a[i - 1] as number)));
  if (m.length === 0 || nk.length === 0) throw new InputError(`${source}: a GEMM efficiency table needs at least one row and one column`);
  if (!increasing(m) || !increasing(nk)) throw new InputError(`${source}: row and column sizes must be positive and strictly increasing`);
  if (values.length !== m.length * nk.length) throw new InputError(`${source}: ${values.length} values for ${m.length} × ${nk.length} cells`);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!(v > 0 && v <= MAX_RELATIVE_EFFICIENCY)) throw new InputError(`${source}: value ${v} out of (0, ${MAX_RELATIVE_EFFICIENCY}]`);
  }
  return {
    source,
    m: [...m],
    nk: [...nk],
    values: Float64Array.from(values),
    log2M: Float64Array.from(m, Math.log2),
    log2Nk: Float64Array.from(nk, Math.log2),
    logValues: Float64Array.from(values, Math.log),
  };
}

/** Parses the CSV text of a table; `file` names it in errors, which read `file:line: what is wrong`. */
export function parseGemmEfficiencyCsv(text: string, file: string): GemmEfficiencyTable {
  const lines = text.split(/\r?\n/);
  let columns: number[] | undefined;
  const rows: number[] = [];
  const values: number[] = [];
  const fail = (line: number, what: string): never => {
    throw new InputError(`${file}:${line}: ${what}`);
  };
  const size = (cell: string, line: number, what: string): number => {
    const v = Number(cell);
    if (cell === '' || !Number.isFinite(v) || v <= 0) fail(line, `${what} "${cell}" is not a positive number`);
    return v;
  };
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = (lines[i] as string).trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(',').map((c) => c.trim());
    if (columns === undefined) {
      if (cells[0] !== GEMM_TABLE_CORNER) fail(lineNo, `the header must start with "${GEMM_TABLE_CORNER}" (rows are m, columns min_nk = min(n,k)), got "${cells[0]}"`);
      columns = cells.slice(1).map((c, j) => size(c, lineNo, `column ${j + 1}'s min(n,k)`));
      if (columns.length === 0) fail(lineNo, 'the header names no min(n,k) columns');
      columns.forEach((x, j) => {
        if (j > 0 && x <= (columns as number[])[j - 1]!) fail(lineNo, `column sizes must increase strictly: ${x} after ${(columns as number[])[j - 1]}`);
      });
      continue;
    }
    if (cells.length !== columns.length + 1) fail(lineNo, `expected ${columns.length + 1} cells (m and ${columns.length} values), got ${cells.length}`);
    const m = size(cells[0] as string, lineNo, 'row size m');
    if (rows.length > 0 && m <= (rows.at(-1) as number)) fail(lineNo, `row sizes must increase strictly: m = ${m} after ${rows.at(-1)}`);
    rows.push(m);
    for (let j = 1; j < cells.length; j++) {
      const cell = cells[j] as string;
      const v = Number(cell);
      if (cell === '' || !Number.isFinite(v) || v <= 0 || v > MAX_RELATIVE_EFFICIENCY) {
        fail(lineNo, `value "${cell}" (m = ${m}, min(n,k) = ${columns[j - 1]}) must be a number in (0, ${MAX_RELATIVE_EFFICIENCY}]`);
      }
      values.push(v);
    }
  }
  if (columns === undefined) throw new InputError(`${file}: no header line "${GEMM_TABLE_CORNER},…" (only comments or blank lines)`);
  if (rows.length === 0) throw new InputError(`${file}: the table has a header but no rows`);
  return makeGemmEfficiencyTable(file, rows, columns, values);
}

/** Index i with keys[i] ≤ x ≤ keys[i+1] (x already clamped); the fraction of the way from i to i+1 goes to `frac`. */
function bracket(keys: Float64Array, x: number, frac: Float64Array, slot: number): number {
  const last = keys.length - 1;
  frac[slot] = 0;
  if (last === 0 || x <= (keys[0] as number)) return 0;
  if (x >= (keys[last] as number)) return last;
  let i = 0;
  while ((keys[i + 1] as number) <= x) i++;
  const lo = keys[i] as number;
  frac[slot] = (x - lo) / ((keys[i + 1] as number) - lo);
  return i;
}

const fractions = new Float64Array(2);

function interpolate(table: GemmEfficiencyTable, m: number, minNk: number): number {
  const i = bracket(table.log2M, Math.log2(m), fractions, 0);
  const j = bracket(table.log2Nk, Math.log2(minNk), fractions, 1);
  const fi = fractions[0] as number;
  const fj = fractions[1] as number;
  const cols = table.nk.length;
  if (fi === 0 && fj === 0) return table.values[i * cols + j] as number;
  const v = table.logValues;
  const i1 = fi > 0 ? i + 1 : i;
  const j1 = fj > 0 ? j + 1 : j;
  const top = (v[i * cols + j] as number) * (1 - fj) + (v[i * cols + j1] as number) * fj;
  const bottom = (v[i1 * cols + j] as number) * (1 - fj) + (v[i1 * cols + j1] as number) * fj;
  return Math.exp(top * (1 - fi) + bottom * fi);
}

/**
 * Memoised lookups of one table along one line of shapes: a column (min(n,k) fixed, `at(m)`) or a row (m fixed,
 * `at(min(n,k))`). The same shapes recur all through a step, and a grouped GEMM looks up one line per expert, so a
 * line is found once and then costs one map lookup per value (no closure per call: hot loops use it).
 */
export class EfficiencyLine {
  private readonly values = new Map<number, number>();

  constructor(private readonly table: GemmEfficiencyTable, private readonly fixed: number, private readonly fixedIsM: boolean) {}

  at(x: number): number {
    let value = this.values.get(x);
    if (value === undefined) {
      value = this.fixedIsM ? interpolate(this.table, this.fixed, x) : interpolate(this.table, x, this.fixed);
      this.values.set(x, value);
    }
    return value;
  }
}

/** Per table: its column lines by min(n,k) and its row lines by m. */
const memo = new WeakMap<GemmEfficiencyTable, { columns: Map<number, EfficiencyLine>; rows: Map<number, EfficiencyLine> }>();

function lineOf(table: GemmEfficiencyTable, fixed: number, fixedIsM: boolean): EfficiencyLine {
  let lines = memo.get(table);
  if (lines === undefined) {
    lines = { columns: new Map(), rows: new Map() };
    memo.set(table, lines);
  }
  const byFixed = fixedIsM ? lines.rows : lines.columns;
  let line = byFixed.get(fixed);
  if (line === undefined) {
    line = new EfficiencyLine(table, fixed, fixedIsM);
    byFixed.set(fixed, line);
  }
  return line;
}

/**
 * The table's relative efficiency at (m, min(n,k)): the log of the value interpolated bilinearly over log2(m) and
 * log2(min(n,k)), clamped at the edges; exactly the table's value at a grid point. Memoised per table and shape.
 */
export function lookupRelativeEfficiency(table: GemmEfficiencyTable, m: number, minNk: number): number {
  return lineOf(table, minNk, false).at(m);
}

/** The memoised column min(n, k) of a table (look up m with `at`); undefined without a table (every value 1). */
export function efficiencyColumn(table: GemmEfficiencyTable | undefined, n: number, k: number): EfficiencyLine | undefined {
  return table === undefined ? undefined : lineOf(table, Math.min(n, k), false);
}

/** The memoised row m of a table (look up min(n, k) with `at`); undefined without a table. */
export function efficiencyRow(table: GemmEfficiencyTable | undefined, m: number): EfficiencyLine | undefined {
  return table === undefined ? undefined : lineOf(table, m, true);
}

/**
 * lookupRelativeEfficiency for many m at one min(n,k) (a grouped GEMM's experts): the same values, with the
 * column's memo found once. `table` undefined: 1 for every m.
 */
export function relativeGemmEfficiencyColumn(table: GemmEfficiencyTable | undefined, n: number, k: number): (m: number) => number {
  const column = efficiencyColumn(table, n, k);
  return column === undefined ? () => 1 : (m) => column.at(m);
}

/** Relative efficiency of C[m,n] = A[m,k]·B[k,n]; 1 when the chip has no table (the flat, single-figure model). */
export function relativeGemmEfficiency(table: GemmEfficiencyTable | undefined, m: number, n: number, k: number): number {
  return table === undefined ? 1 : lookupRelativeEfficiency(table, m, Math.min(n, k));
}

/** Formats a table as CSV, `comments` first (each line prefixed with "# "), values to `digits` significant digits. */
export function formatGemmEfficiencyCsv(table: GemmEfficiencyTable, comments: readonly string[], digits = 4): string {
  const out = comments.map((c) => (c === '' ? '#' : `# ${c}`));
  out.push([GEMM_TABLE_CORNER, ...table.nk.map(String)].join(','));
  const cols = table.nk.length;
  table.m.forEach((m, i) => {
    const row = Array.from(table.values.subarray(i * cols, (i + 1) * cols), (v) => String(Number(v.toPrecision(digits))));
    out.push([String(m), ...row].join(','));
  });
  return `${out.join('\n')}\n`;
}
