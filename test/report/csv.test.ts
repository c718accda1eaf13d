// The one CSV cell writer: RFC 4180 quoting, and empty cells for values that are not there.
import { describe, expect, it } from 'vitest';
import { csvField, csvRow } from '../../src/report/common/csv.ts';

describe('csv cells', () => {
  it('quotes cells with commas, quotes or newlines, doubling the quotes', () => {
    expect(csvRow(['plain', 'a,b', 'say "hi"', 'two\nlines', 3.5, true])).toBe('plain,"a,b","say ""hi""","two\nlines",3.5,true');
  });

  it('writes null, undefined and non-finite numbers as empty cells, and keeps 0 and false', () => {
    expect([null, undefined, NaN, Infinity, 0, false, ''].map(csvField)).toEqual(['', '', '', '', '0', 'false', '']);
  });
});
