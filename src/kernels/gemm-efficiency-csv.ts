// The CSV form of a GEMM efficiency table (catalog/kernels/*.csv; DESIGN.md, "Kernel cost model").
// Lines starting with '#' and blank lines are comments. A section is a header `<corner>,<x1>,<x2>,…` (the column
// sizes) followed by rows `<m>,<v1>,<v2>,…` (a row's m, then one relative efficiency per column). Sizes are
// positive and strictly increasing (rows and columns); values are numbers in (0, MAX_RELATIVE_EFFICIENCY].
// A one-grid table is one section with corner `m\min_nk`; a two-factor table is a section with corner `m\n`
// followed by a section with corner `m\k` (relative efficiency = the first at (m, n) × the second at (m, k)).
// Errors read `file:line: what is wrong`.
import { InputError } from '../engine/index.ts';
import type { GemmEfficiencyTable, GemmTableColumns } from './gemm-efficiency-table.ts';
import {
  GEMM_TABLE_CORNER, GEMM_TABLE_K_CORNER, GEMM_TABLE_N_CORNER, MAX_RELATIVE_EFFICIENCY, makeGemmEfficiencyTable, makeTwoFactorGemmTable,
} from './gemm-efficiency-table.ts';

const CORNER_OF: Record<GemmTableColumns, string> = { min_nk: GEMM_TABLE_CORNER, n: GEMM_TABLE_N_CORNER, k: GEMM_TABLE_K_CORNER };
/** How a column size is named in messages. */
const COLUMN_NAME: Record<GemmTableColumns, string> = { min_nk: 'min(n,k)', n: 'n', k: 'k' };

interface Section {
  columns: GemmTableColumns;
  line: number;
  sizes: number[];
  rows: number[];
  values: number[];
}

/** Parses the CSV text of a table; `file` names it in errors, which read `file:line: what is wrong`. */
export function parseGemmEfficiencyCsv(text: string, file: string): GemmEfficiencyTable {
  const lines = text.split(/\r?\n/);
  const sections: Section[] = [];
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
    const current = sections.at(-1);
    if (current === undefined || cells[0] === GEMM_TABLE_K_CORNER || cells[0] === GEMM_TABLE_N_CORNER || cells[0] === GEMM_TABLE_CORNER) {
      sections.push(header(cells, lineNo, current, fail, size));
      continue;
    }
    const columns = current.sizes;
    if (cells.length !== columns.length + 1) fail(lineNo, `expected ${columns.length + 1} cells (m and ${columns.length} values), got ${cells.length}`);
    const m = size(cells[0] as string, lineNo, 'row size m');
    if (current.rows.length > 0 && m <= (current.rows.at(-1) as number)) fail(lineNo, `row sizes must increase strictly: m = ${m} after ${current.rows.at(-1)}`);
    current.rows.push(m);
    for (let j = 1; j < cells.length; j++) {
      const cell = cells[j] as string;
      const v = Number(cell);
      if (cell === '' || !Number.isFinite(v) || v <= 0 || v > MAX_RELATIVE_EFFICIENCY) {
        fail(lineNo, `value "${cell}" (m = ${m}, ${COLUMN_NAME[current.columns]} = ${columns[j - 1]}) must be a number in (0, ${MAX_RELATIVE_EFFICIENCY}]`);
      }
      current.values.push(v);
    }
  }
  const [first, second] = sections;
  if (first === undefined) throw new InputError(`${file}: no header line "${GEMM_TABLE_CORNER},…" (only comments or blank lines)`);
  for (const s of sections) if (s.rows.length === 0) throw new InputError(`${file}: the table has a header but no rows${sections.length > 1 ? ` (section "${CORNER_OF[s.columns]}" at line ${s.line})` : ''}`);
  const grid = (s: Section, source: string): GemmEfficiencyTable => makeGemmEfficiencyTable(source, s.rows, s.sizes, s.values, s.columns);
  if (first.columns === 'min_nk') return grid(first, file);
  if (second === undefined) throw new InputError(`${file}: a two-factor table ("${GEMM_TABLE_N_CORNER}" section) needs a second section "${GEMM_TABLE_K_CORNER},…"`);
  return makeTwoFactorGemmTable(grid(first, file), grid(second, `${file} (${GEMM_TABLE_K_CORNER} section)`));
}

/** A section header: the first must be `m\min_nk` or `m\n`, and only `m\k` may follow, once, after `m\n`. */
function header(
  cells: string[], lineNo: number, previous: Section | undefined, fail: (line: number, what: string) => never,
  size: (cell: string, line: number, what: string) => number,
): Section {
  const corner = cells[0];
  let columns: GemmTableColumns;
  if (previous === undefined) {
    if (corner === GEMM_TABLE_CORNER) columns = 'min_nk';
    else if (corner === GEMM_TABLE_N_CORNER) columns = 'n';
    else {
      return fail(lineNo, `the header must start with "${GEMM_TABLE_CORNER}" (rows are m, columns min_nk = min(n,k)) or "${GEMM_TABLE_N_CORNER}" (a two-factor table: columns n, then a "${GEMM_TABLE_K_CORNER}" section), got "${corner}"`);
    }
  } else if (corner === GEMM_TABLE_K_CORNER && previous.columns === 'n') {
    columns = 'k';
  } else {
    return fail(lineNo, `unexpected section header "${corner}": only a "${GEMM_TABLE_N_CORNER}" table may be followed, once, by a "${GEMM_TABLE_K_CORNER}" section`);
  }
  const sizes = cells.slice(1).map((c, j) => size(c, lineNo, `column ${j + 1}'s ${COLUMN_NAME[columns]}`));
  if (sizes.length === 0) fail(lineNo, `the header names no ${COLUMN_NAME[columns]} columns`);
  sizes.forEach((x, j) => {
    if (j > 0 && x <= sizes[j - 1]!) fail(lineNo, `column sizes must increase strictly: ${x} after ${sizes[j - 1]}`);
  });
  return { columns, line: lineNo, sizes, rows: [], values: [] };
}

/** One grid's section: its header line and one line per row, values to `digits` significant digits. */
function formatGrid(table: GemmEfficiencyTable, digits: number): string[] {
  const out = [[CORNER_OF[table.columns], ...table.nk.map(String)].join(',')];
  const cols = table.nk.length;
  table.m.forEach((m, i) => {
    const row = Array.from(table.values.subarray(i * cols, (i + 1) * cols), (v) => String(Number(v.toPrecision(digits))));
    out.push([String(m), ...row].join(','));
  });
  return out;
}

/** Formats a table as CSV, `comments` first (each line prefixed with "# "), values to `digits` significant digits. */
export function formatGemmEfficiencyCsv(table: GemmEfficiencyTable, comments: readonly string[], digits = 4): string {
  const out = comments.map((c) => (c === '' ? '#' : `# ${c}`));
  out.push(...formatGrid(table, digits));
  if (table.kFactor !== undefined) out.push(...formatGrid(table.kFactor, digits));
  return `${out.join('\n')}\n`;
}
