// Reading the kernel data files (catalog tables, Vidur's profiling CSVs): the text and the path as errors show it
// (relative to the working directory), or an InputError that names the file and what it should have held.
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
