// Flash attention's achieved fraction of peak by pass, causal mask, head size and sequence length: a kernel
// profile's <name>.attention.csv (published FlashAttention measurements on GPUs; scripts/derive-attention-tables.ts
// writes them). Lookup interpolates linearly in log2(sequence length), then in log2(head size), between the
// measured points of the pass and mask, and clamps outside them (a 256k-token sequence runs at the longest
// measured one's efficiency).
import { InputError } from '../engine/index.ts';

export type AttentionPass = 'forward' | 'backward';

export interface AttentionPoint {
  pass: AttentionPass;
  causal: boolean;
  headDim: number;
  seqLength: number;
  /** Achieved fraction of the chip's dense BF16 peak. */
  efficiency: number;
}

/** Points grouped for lookup: pass+mask → head sizes ascending → (seq lengths ascending, efficiencies). */
export interface AttentionEfficiencyTable {
  points: readonly AttentionPoint[];
  grids: Map<string, { headDim: number; seq: number[]; efficiency: number[] }[]>;
}

export const ATTENTION_CSV_HEADER = 'pass,causal,headDim,seqLength,efficiency,tflops,source';

const key = (pass: AttentionPass, causal: boolean): string => `${pass}:${causal ? 'causal' : 'full'}`;

export function makeAttentionEfficiencyTable(points: readonly AttentionPoint[]): AttentionEfficiencyTable {
  const grids = new Map<string, { headDim: number; seq: number[]; efficiency: number[] }[]>();
  const sorted = [...points].sort((a, b) => a.headDim - b.headDim || a.seqLength - b.seqLength);
  for (const p of sorted) {
    const k = key(p.pass, p.causal);
    const rows = grids.get(k) ?? grids.set(k, []).get(k) as { headDim: number; seq: number[]; efficiency: number[] }[];
    let row = rows.find((r) => r.headDim === p.headDim);
    if (row === undefined) rows.push((row = { headDim: p.headDim, seq: [], efficiency: [] }));
    row.seq.push(p.seqLength);
    row.efficiency.push(p.efficiency);
  }
  return { points, grids };
}

/** Linear interpolation of ys over log2(xs) at x, clamped to the ends. */
function interpolateLog(xs: readonly number[], ys: readonly number[], x: number): number {
  const n = xs.length;
  if (x <= xs[0]!) return ys[0]!;
  if (x >= xs[n - 1]!) return ys[n - 1]!;
  let i = 1;
  while (xs[i]! < x) i++;
  const [x0, x1] = [Math.log2(xs[i - 1]!), Math.log2(xs[i]!)];
  const t = (Math.log2(x) - x0) / (x1 - x0);
  return ys[i - 1]! * (1 - t) + ys[i]! * t;
}

/**
 * The efficiency of `pass` at `seqLength` and `headDim`. A mask the table lacks uses the other one's points; a
 * pass it lacks throws (a table must have both passes).
 */
export function lookupAttentionEfficiency(table: AttentionEfficiencyTable, pass: AttentionPass, seqLength: number, headDim: number, causal: boolean): number {
  const rows = table.grids.get(key(pass, causal)) ?? table.grids.get(key(pass, !causal));
  if (rows === undefined || rows.length === 0) throw new Error(`attention efficiency table has no ${pass} points`);
  const perHead = rows.map((r) => interpolateLog(r.seq, r.efficiency, seqLength));
  return interpolateLog(rows.map((r) => r.headDim), perHead, headDim);
}

/** Parses <profile>.attention.csv: `#` comments, the header, then one point per line. Errors name file:line. */
export function parseAttentionCsv(text: string, file: string): AttentionEfficiencyTable {
  const points: AttentionPoint[] = [];
  let header = false;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    const where = `${file}:${index + 1}`;
    if (line === '' || line.startsWith('#')) return;
    if (!header) {
      if (line !== ATTENTION_CSV_HEADER) throw new InputError(`${where}: expected the header "${ATTENTION_CSV_HEADER}", got "${line}"`);
      header = true;
      return;
    }
    const cells = line.split(',');
    if (cells.length < 6) throw new InputError(`${where}: expected at least 6 cells (${ATTENTION_CSV_HEADER}), got ${cells.length}`);
    const [pass, causal, headDim, seqLength, efficiency] = cells.map((c) => c.trim()) as [string, string, string, string, string];
    if (pass !== 'forward' && pass !== 'backward') throw new InputError(`${where}: pass must be forward or backward, got "${pass}"`);
    if (causal !== 'true' && causal !== 'false') throw new InputError(`${where}: causal must be true or false, got "${causal}"`);
    const numbers = [headDim, seqLength, efficiency].map(Number);
    if (!numbers.every((x) => Number.isFinite(x) && x > 0)) throw new InputError(`${where}: headDim, seqLength and efficiency must be positive numbers`);
    if (numbers[2]! > 1) throw new InputError(`${where}: efficiency ${numbers[2]} is above 1 (a fraction of peak)`);
    points.push({ pass, causal: causal === 'true', headDim: numbers[0]!, seqLength: numbers[1]!, efficiency: numbers[2]! });
  });
  if (!header) throw new InputError(`${file}: no header line "${ATTENTION_CSV_HEADER}"`);
  for (const pass of ['forward', 'backward'] as const) {
    if (!points.some((p) => p.pass === pass)) throw new InputError(`${file}: no ${pass} points (a table needs both passes)`);
  }
  return makeAttentionEfficiencyTable(points);
}
