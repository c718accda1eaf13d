// The CSV form of a chip's memory-bound kernels by kind (catalog/kernels/<profile>.memory-ops.csv, next to the
// profile's GEMM table; DESIGN.md, "Kernel cost model"): how each kind of memory-bound kernel performs,
// time = max(fixedNs, bytes / (HBM bandwidth × bandwidthEfficiency)). Lines starting with '#' and blank lines
// are comments; the first other line is the header `kind,bandwidthEfficiency,fixedNs`; each further line names a
// kind of MEMORY_OP_KINDS (once) with its efficiency in (0, MAX_BANDWIDTH_EFFICIENCY] and its floor in ns (≥ 0).
// Errors read `file:line: what is wrong`.
import { InputError } from '../engine/index.ts';
import type { MemoryOpKind, MemoryOpTable } from './memory-op-kinds.ts';
import { MEMORY_OP_KINDS } from './memory-op-kinds.ts';

export const MEMORY_OP_HEADER = 'kind,bandwidthEfficiency,fixedNs';
/**
 * Largest bandwidth efficiency a row may hold. Above 1 is allowed: a fitted efficiency is effective HBM bandwidth,
 * and a kernel whose input was just written by the previous one partly reads it from L2.
 */
export const MAX_BANDWIDTH_EFFICIENCY = 2;

/** Parses the CSV text of a memory-op table; `file` names it in errors. */
export function parseMemoryOpCsv(text: string, file: string): MemoryOpTable {
  const lines = text.split(/\r?\n/);
  const table: MemoryOpTable = {};
  let header = false;
  const fail = (line: number, what: string): never => {
    throw new InputError(`${file}:${line}: ${what}`);
  };
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = (lines[i] as string).trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(',').map((c) => c.trim());
    if (!header) {
      if (cells.join(',') !== MEMORY_OP_HEADER) fail(lineNo, `the header must be "${MEMORY_OP_HEADER}", got "${line}"`);
      header = true;
      continue;
    }
    if (cells.length !== 3) fail(lineNo, `expected 3 cells (kind, bandwidthEfficiency, fixedNs), got ${cells.length}`);
    const [kind, efficiencyCell, fixedCell] = cells as [string, string, string];
    if (!(MEMORY_OP_KINDS as readonly string[]).includes(kind)) fail(lineNo, `unknown kind "${kind}"; known kinds: ${MEMORY_OP_KINDS.join(', ')}`);
    if (table[kind as MemoryOpKind] !== undefined) fail(lineNo, `kind "${kind}" appears twice`);
    const efficiency = Number(efficiencyCell);
    if (efficiencyCell === '' || !Number.isFinite(efficiency) || efficiency <= 0 || efficiency > MAX_BANDWIDTH_EFFICIENCY) {
      fail(lineNo, `bandwidthEfficiency "${efficiencyCell}" of "${kind}" must be a number in (0, ${MAX_BANDWIDTH_EFFICIENCY}]`);
    }
    const fixedNs = Number(fixedCell);
    if (fixedCell === '' || !Number.isFinite(fixedNs) || fixedNs < 0) fail(lineNo, `fixedNs "${fixedCell}" of "${kind}" must be a number ≥ 0`);
    table[kind as MemoryOpKind] = { bandwidthEfficiency: efficiency, fixedNs };
  }
  if (!header) throw new InputError(`${file}: no header line "${MEMORY_OP_HEADER}" (only comments or blank lines)`);
  return table;
}

/** Formats a memory-op table as CSV (kinds in MEMORY_OP_KINDS order), `comments` first, efficiency to 4 significant digits. */
export function formatMemoryOpCsv(table: MemoryOpTable, comments: readonly string[]): string {
  const out = comments.map((c) => (c === '' ? '#' : `# ${c}`));
  out.push(MEMORY_OP_HEADER);
  for (const kind of MEMORY_OP_KINDS) {
    const entry = table[kind];
    if (entry !== undefined) out.push(`${kind},${Number(entry.bandwidthEfficiency.toPrecision(4))},${entry.fixedNs}`);
  }
  return `${out.join('\n')}\n`;
}
