// Kernel profiles: a chip's catalog entry names one (`kernelProfile: ascend-910b`), which is the GEMM efficiency
// table catalog/kernels/<name>.csv and, where measurements exist, the memory-bound kernels by kind in
// catalog/kernels/<name>.memory-ops.csv. Each file is read and parsed once per process (cached by resolved path).
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../engine/index.ts';
import type { GemmEfficiencyTable } from './gemm-efficiency-table.ts';
import { readDataFile } from './data-file.ts';
import { parseGemmEfficiencyCsv } from './gemm-efficiency-csv.ts';
import { parseMemoryOpCsv } from './memory-op-table.ts';
import type { MemoryOpTable } from './memory-op-kinds.ts';
import type { AttentionEfficiencyTable } from './attention-efficiency-table.ts';
import { parseAttentionCsv } from './attention-efficiency-table.ts';

/** A profile's memory-op file: <name> + this suffix, next to its GEMM table. */
export const MEMORY_OPS_SUFFIX = '.memory-ops.csv';
/** A profile's flash-attention file: <name> + this suffix (published measurements; GPUs only so far). */
export const ATTENTION_SUFFIX = '.attention.csv';

/** <repo>/catalog/kernels, located from this file so it works from any working directory. */
export function defaultKernelProfileDirectory(): string {
  return fileURLToPath(new URL('../../catalog/kernels/', import.meta.url));
}

const cache = new Map<string, GemmEfficiencyTable>();

/** Reads and parses one GEMM efficiency CSV (cached: a file is read once per process). */
export function loadGemmEfficiencyTable(path: string): GemmEfficiencyTable {
  const absolute = resolve(path);
  const cached = cache.get(absolute);
  if (cached !== undefined) return cached;
  const { text, shown } = readDataFile(absolute, 'the GEMM efficiency table');
  const table = parseGemmEfficiencyCsv(text, shown);
  cache.set(absolute, table);
  return table;
}

/** Names of the kernel profiles in a directory (its .csv files other than memory-op files), sorted. */
export function listKernelProfiles(directory: string = defaultKernelProfileDirectory()): string[] {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return [];
  }
  return names.filter((n) => n.endsWith('.csv') && !n.endsWith(MEMORY_OPS_SUFFIX) && !n.endsWith(ATTENTION_SUFFIX)).map((n) => n.slice(0, -'.csv'.length)).sort();
}

/** The GEMM efficiency table of a named kernel profile; an unknown name throws listing the known ones. */
export function kernelProfileTable(name: string, directory: string = defaultKernelProfileDirectory()): GemmEfficiencyTable {
  const path = join(directory, `${name}.csv`);
  if (cache.has(resolve(path))) return loadGemmEfficiencyTable(path);
  const known = listKernelProfiles(directory);
  if (!known.includes(name)) {
    throw new InputError(`unknown kernel profile "${name}" (no ${join(directory, `${name}.csv`)}); known profiles: ${known.join(', ')}`, 'kernelProfile');
  }
  return loadGemmEfficiencyTable(path);
}

/** Tables read from a profile's side files, by absolute path (undefined: the profile has none). */
const sideTableCache = new Map<string, unknown>();

/** Parse `<directory>/<name><suffix>` once per process, or undefined when the file does not exist. */
function profileSideTable<T>(name: string, directory: string, suffix: string, what: string, parse: (text: string, shown: string) => T): T | undefined {
  const absolute = resolve(join(directory, `${name}${suffix}`));
  if (sideTableCache.has(absolute)) return sideTableCache.get(absolute) as T | undefined;
  let table: T | undefined;
  if (existsSync(absolute)) {
    const { text, shown } = readDataFile(absolute, `the ${what}`);
    table = parse(text, shown);
  }
  sideTableCache.set(absolute, table);
  return table;
}

/**
 * The memory-bound kernels by kind of a kernel profile (<directory>/<name>.memory-ops.csv), or undefined when the
 * profile has none (every kind then streams at the chip's memoryBoundEfficiency). Read once per process.
 */
export function kernelProfileMemoryOps(name: string, directory: string = defaultKernelProfileDirectory()): MemoryOpTable | undefined {
  return profileSideTable(name, directory, MEMORY_OPS_SUFFIX, 'memory-op table', parseMemoryOpCsv);
}

/**
 * Flash attention's efficiency table of a kernel profile (<directory>/<name>.attention.csv), or undefined when the
 * profile has none. Read once per process.
 */
export function kernelProfileAttention(name: string, directory: string = defaultKernelProfileDirectory()): AttentionEfficiencyTable | undefined {
  return profileSideTable(name, directory, ATTENTION_SUFFIX, 'attention efficiency table', parseAttentionCsv);
}
