// Reading the kernel data files (catalog tables, Vidur's profiling CSVs): the text and the path as errors show it
// (relative to the working directory), or an InputError that names the file and what it should have held; and the
// header of a plain CSV file (Vidur's), with a column finder whose error names the file.
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { InputError } from '../engine/index.ts';

export interface DataFileText {
  text: string;
  /** The path relative to the working directory, for `file:line: …` messages. */
  shown: string;
}

/** Read `path` as UTF-8; `what` names its content in the error ("the GEMM efficiency table"). */
export function readDataFile(path: string, what: string): DataFileText {
  const absolute = resolve(path);
  const shown = relative(process.cwd(), absolute) || absolute;
  try {
    return { text: readFileSync(absolute, 'utf8'), shown };
  } catch (error) {
    throw new InputError(`${shown}: cannot read ${what}: ${(error as Error).message}`);
  }
}

export interface CsvWithHeader {
  lines: string[];
  /** The first line's cells. */
  header: string[];
  /** The index of column `name`; an InputError `file:1: no column "name"` when the header lacks it. */
  column(name: string): number;
}

/** Split CSV `text` (read from `shown`) into lines and read its header line. */
export function csvWithHeader(text: string, shown: string): CsvWithHeader {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',');
  const column = (name: string): number => {
    const index = header.indexOf(name);
    if (index < 0) throw new InputError(`${shown}:1: no column "${name}"`);
    return index;
  };
  return { lines, header, column };
}
