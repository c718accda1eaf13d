// The GEMM efficiency table: CSV parsing, exact values at grid points, log-space bilinear interpolation against
// hand calculations, clamping outside the grid, format → parse round trip, two-factor tables (an n grid times a k
// grid), and file:line errors on bad tables.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  GEMM_TABLE_CORNER, GEMM_TABLE_K_CORNER, GEMM_TABLE_N_CORNER, formatGemmEfficiencyCsv, loadGemmEfficiencyTable, lookupRelativeEfficiency,
  makeGemmEfficiencyTable, makeTwoFactorGemmTable, parseGemmEfficiencyCsv, relativeGemmEfficiency, relativeGemmEfficiencyColumn,
} from '../../src/kernels/index.ts';

const CSV = ['# a test table', '', `${GEMM_TABLE_CORNER},16,256,4096`, '1,0.01,0.02,0.04', '64,0.1,0.4,0.5', '1024,0.2,0.8,1.0', ''].join('\n');

describe('GEMM efficiency table: parsing and lookup', () => {
  const table = parseGemmEfficiencyCsv(CSV, 'test.csv');

  it('reads rows (m), columns (min(n,k)) and values', () => {
    expect(table.m).toEqual([1, 64, 1024]);
    expect(table.nk).toEqual([16, 256, 4096]);
    expect(Array.from(table.values)).toEqual([0.01, 0.02, 0.04, 0.1, 0.4, 0.5, 0.2, 0.8, 1.0]);
  });

  it('returns the table value exactly at every grid point', () => {
    table.m.forEach((m, i) => {
      table.nk.forEach((x, j) => expect(lookupRelativeEfficiency(table, m, x)).toBe(table.values[i * 3 + j]));
    });
  });

  it('interpolates the log of the value linearly in log2(m) and log2(min(n,k))', () => {
    // m = 8 is halfway between 1 and 64 in log2 (0, 3, 6): the geometric mean of the two rows.
    expect(lookupRelativeEfficiency(table, 8, 16)).toBeCloseTo(Math.sqrt(0.01 * 0.1), 12);
    // min(n,k) = 1024 is halfway between 256 and 4096 (8, 10, 12).
    expect(lookupRelativeEfficiency(table, 64, 1024)).toBeCloseTo(Math.sqrt(0.4 * 0.5), 12);
    // Both halfway: the geometric mean of the four corners.
    expect(lookupRelativeEfficiency(table, 256, 1024)).toBeCloseTo((0.4 * 0.5 * 0.8 * 1.0) ** 0.25, 12);
    // A quarter of the way in m (log2 256 = 8 → (8 − 6) / 4 = 0.5; log2 128 = 7 → 0.25).
    expect(lookupRelativeEfficiency(table, 128, 4096)).toBeCloseTo(0.5 ** 0.75 * 1.0 ** 0.25, 12);
  });

  it('clamps outside the grid to the edge values', () => {
    expect(lookupRelativeEfficiency(table, 0.5, 16)).toBe(0.01);
    expect(lookupRelativeEfficiency(table, 1e6, 1e6)).toBe(1.0);
    expect(lookupRelativeEfficiency(table, 1, 4)).toBe(0.01);
    expect(lookupRelativeEfficiency(table, 64, 65536)).toBe(0.5);
    expect(lookupRelativeEfficiency(table, 8, 1e9)).toBeCloseTo(Math.sqrt(0.04 * 0.5), 12);
  });

  it('keys GEMMs by m and the smaller of n and k; no table means the flat model', () => {
    expect(relativeGemmEfficiency(table, 64, 256, 8192)).toBe(0.4);
    expect(relativeGemmEfficiency(table, 64, 8192, 256)).toBe(0.4);
    expect(relativeGemmEfficiency(undefined, 1, 1, 1)).toBe(1);
  });

  it('round-trips through formatGemmEfficiencyCsv', () => {
    const text = formatGemmEfficiencyCsv(table, ['made by a test', '']);
    expect(text.startsWith('# made by a test\n#\n')).toBe(true);
    const again = parseGemmEfficiencyCsv(text, 'again.csv');
    expect(again.m).toEqual(table.m);
    expect(Array.from(again.values)).toEqual(Array.from(table.values));
  });

  it('loads a file once per process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'moesim-kernels-'));
    const path = join(dir, 'mine.csv');
    writeFileSync(path, CSV);
    const first = loadGemmEfficiencyTable(path);
    writeFileSync(path, 'not a table any more');
    expect(loadGemmEfficiencyTable(path)).toBe(first);
  });
});

const TWO_FACTOR_CSV = [
  '# a two-factor table', `${GEMM_TABLE_N_CORNER},256,4096`, '1,0.01,0.02', '1024,0.5,1.0',
  '# the k factor', `${GEMM_TABLE_K_CORNER},512,8192`, '1,0.5,1', '1024,0.8,1', '',
].join('\n');

describe('GEMM efficiency table: two factors (n grid × k grid)', () => {
  const table = parseGemmEfficiencyCsv(TWO_FACTOR_CSV, 'two.csv');

  it('reads both grids', () => {
    expect(table.columns).toBe('n');
    expect(table.nk).toEqual([256, 4096]);
    expect(table.kFactor?.columns).toBe('k');
    expect(table.kFactor?.nk).toEqual([512, 8192]);
    expect(Array.from(table.kFactor?.values ?? [])).toEqual([0.5, 1, 0.8, 1]);
  });

  it('multiplies the n grid at (m, n) by the k grid at (m, k): a short k and a short n differ', () => {
    expect(relativeGemmEfficiency(table, 1024, 4096, 8192)).toBe(1.0);
    expect(relativeGemmEfficiency(table, 1024, 4096, 512)).toBe(0.8);
    expect(relativeGemmEfficiency(table, 1024, 256, 8192)).toBe(0.5);
    // Halfway in log2 k between 512 and 8192 (9, 13): the geometric mean of 0.8 and 1.
    expect(relativeGemmEfficiency(table, 1024, 4096, 2048)).toBeCloseTo(Math.sqrt(0.8), 12);
    expect(relativeGemmEfficiency(table, 32, 256, 512)).toBeCloseTo(Math.sqrt(0.01 * 0.5) * Math.sqrt(0.5 * 0.8), 12);
  });

  it('gives the same values through the column lookup of a grouped GEMM', () => {
    const at = relativeGemmEfficiencyColumn(table, 1000, 3000);
    for (const m of [1, 7, 100, 1024, 5000]) expect(at(m)).toBe(relativeGemmEfficiency(table, m, 1000, 3000));
    expect(relativeGemmEfficiencyColumn(undefined, 1, 1)(5)).toBe(1);
  });

  it('round-trips through formatGemmEfficiencyCsv', () => {
    const again = parseGemmEfficiencyCsv(formatGemmEfficiencyCsv(table, ['again']), 'again.csv');
    expect(Array.from(again.values)).toEqual(Array.from(table.values));
    expect(Array.from(again.kFactor?.values ?? [])).toEqual(Array.from(table.kFactor?.values ?? []));
  });

  it('rejects a missing or misplaced k section and grids of the wrong kind', () => {
    const nOnly = `${GEMM_TABLE_N_CORNER},256\n1,0.5`;
    expect(() => parseGemmEfficiencyCsv(nOnly, 'bad.csv')).toThrow(/^bad\.csv: a two-factor table \("m\\n" section\) needs a second section "m\\k,…"$/);
    expect(() => parseGemmEfficiencyCsv(`${GEMM_TABLE_CORNER},16\n1,0.5\n${GEMM_TABLE_K_CORNER},16\n1,0.5`, 'bad.csv')).toThrow(/^bad\.csv:3: unexpected section header "m\\k"/);
    expect(() => parseGemmEfficiencyCsv(`${nOnly}\n${GEMM_TABLE_K_CORNER},16\n1,0.5\n${GEMM_TABLE_K_CORNER},16`, 'bad.csv')).toThrow(/^bad\.csv:5: unexpected section header/);
    expect(() => parseGemmEfficiencyCsv(`${nOnly}\n${GEMM_TABLE_K_CORNER},16\n# none`, 'bad.csv')).toThrow(/^bad\.csv: the table has a header but no rows \(section "m\\k" at line 3\)$/);
    expect(() => parseGemmEfficiencyCsv(`${nOnly}\n${GEMM_TABLE_K_CORNER},16\n1,3`, 'bad.csv')).toThrow(/^bad\.csv:4: value "3" \(m = 1, k = 16\) must be a number in \(0, 2\]$/);
    const grid = makeGemmEfficiencyTable('g', [1], [1], [0.5]);
    expect(() => makeTwoFactorGemmTable(grid, grid)).toThrow(/g: a two-factor table is a grid keyed by n and a grid keyed by k/);
  });
});

describe('GEMM efficiency table: malformed CSV', () => {
  const header = `${GEMM_TABLE_CORNER},16,256`;
  const bad: [string, string, RegExp][] = [
    ['a wrong corner cell', 'm,16,256\n1,0.1,0.2', /^bad\.csv:1: the header must start with "m\\min_nk".*got "m"$/],
    ['a non-numeric column size', `# c\n${GEMM_TABLE_CORNER},16,big`, /^bad\.csv:2: column 2's min\(n,k\) "big" is not a positive number$/],
    ['decreasing column sizes', `${GEMM_TABLE_CORNER},256,16\n1,0.1,0.2`, /^bad\.csv:1: column sizes must increase strictly: 16 after 256$/],
    ['a row with too few cells', `${header}\n1,0.1,0.2\n64,0.3`, /^bad\.csv:3: expected 3 cells \(m and 2 values\), got 2$/],
    ['a row with too many cells', `${header}\n1,0.1,0.2,0.3`, /^bad\.csv:2: expected 3 cells/],
    ['a zero m', `${header}\n0,0.1,0.2`, /^bad\.csv:2: row size m "0" is not a positive number$/],
    ['rows out of order', `${header}\n64,0.1,0.2\n\n1,0.1,0.2`, /^bad\.csv:4: row sizes must increase strictly: m = 1 after 64$/],
    ['a non-numeric value', `${header}\n1,0.1,fast`, /^bad\.csv:2: value "fast" \(m = 1, min\(n,k\) = 256\) must be a number in \(0, 2\]$/],
    ['a negative value', `${header}\n1,-0.1,0.2`, /^bad\.csv:2: value "-0\.1" .*must be a number in \(0, 2\]$/],
    ['an empty value', `${header}\n1,,0.2`, /^bad\.csv:2: value "" /],
    ['a value above 2', `${header}\n1,0.1,2.5`, /^bad\.csv:2: value "2\.5"/],
    ['only comments', '# nothing\n\n', /^bad\.csv: no header line/],
    ['a header and no rows', `${header}\n# end`, /^bad\.csv: the table has a header but no rows$/],
  ];
  for (const [what, text, message] of bad) {
    it(`rejects ${what}, naming file and line`, () => {
      expect(() => parseGemmEfficiencyCsv(text, 'bad.csv')).toThrow(message);
    });
  }

  it('checks hand-built tables too', () => {
    expect(() => makeGemmEfficiencyTable('t', [1, 2], [1], [0.5])).toThrow(/t: 1 values for 2 × 1 cells/);
    expect(() => makeGemmEfficiencyTable('t', [2, 1], [1], [0.5, 0.5])).toThrow(/strictly increasing/);
    expect(() => makeGemmEfficiencyTable('t', [1], [1], [0])).toThrow(/value 0 out of/);
  });

  it('names a missing file', () => {
    expect(() => loadGemmEfficiencyTable(join(tmpdir(), 'moesim-no-such-table.csv'))).toThrow(/moesim-no-such-table\.csv: cannot read the GEMM efficiency table/);
  });
});
