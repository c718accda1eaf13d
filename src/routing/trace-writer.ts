// Record routing decisions as a routing trace: each decision's six arrays as .npy files with their SHA-256,
// and on finish() a manifest.json describing the run (router, shape of the step, capacity and losses per entry).
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../engine/index.ts';
import type { NpyArray } from './npy-codec.ts';
import { encodeNpy } from './npy-codec.ts';
import type { RoutingDecision } from './router-input.ts';
import type { TraceArrayEntry, TraceArrayName, TraceEntry, TraceManifest } from './trace-format.ts';
import { MANIFEST_FILE, TRACE_FORMAT, TRACE_SCHEMA_VERSION, traceFileName } from './trace-format.ts';

/** Everything in the manifest except the entries, which the recorder collects. */
export type TraceHeader = Omit<TraceManifest, 'format' | 'schemaVersion' | 'entries'>;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** JSON with sorted-insertion keys as given, two-space indentation, non-finite numbers as null. */
function manifestText(manifest: TraceManifest): string {
  return `${JSON.stringify(manifest, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}

export class RoutingTraceRecorder {
  private readonly entries: TraceEntry[] = [];

  /** Creates `dir` (and parents) if needed; existing files of the same names are overwritten. */
  constructor(readonly dir: string) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw new InputError(`--record-routing ${dir}: cannot create the directory (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
  }

  private writeArray(mb: number, layer: number, name: TraceArrayName, array: NpyArray): TraceArrayEntry {
    const file = traceFileName(mb, layer, name);
    const bytes = encodeNpy(array);
    writeFileSync(join(this.dir, file), bytes);
    return { file, dtype: array.dtype, shape: array.shape, sha256: sha256Hex(bytes) };
  }

  /** Write one decision's arrays now (so memory stays flat over a long run). */
  add(d: RoutingDecision): void {
    const pairs = [d.pairToken.length];
    const counts = [d.groups, d.numExperts];
    const w = (name: TraceArrayName, array: NpyArray): TraceArrayEntry => this.writeArray(d.microBatch, d.layer, name, array);
    const entry: TraceEntry = {
      microBatch: d.microBatch,
      layer: d.layer,
      capacity: Number.isFinite(d.capacity) ? d.capacity : null,
      losses: Object.fromEntries(Object.entries(d.losses).map(([k, v]) => [k, Number.isFinite(v) ? v : null])),
      arrays: {
        pairToken: w('pairToken', { dtype: 'int32', shape: pairs, data: d.pairToken }),
        pairExpert: w('pairExpert', { dtype: 'int32', shape: pairs, data: d.pairExpert }),
        pairWeight: w('pairWeight', { dtype: 'float32', shape: pairs, data: d.pairWeight }),
        pairKept: w('pairKept', { dtype: 'uint8', shape: pairs, data: d.pairKept }),
        keptCounts: w('keptCounts', { dtype: 'int32', shape: counts, data: d.keptCounts }),
        proposedCounts: w('proposedCounts', { dtype: 'int32', shape: counts, data: d.proposedCounts }),
      },
    };
    if (d.capacityNote !== undefined) entry.capacityNote = d.capacityNote;
    if (d.sequenceLength !== undefined) entry.sequenceLength = d.sequenceLength;
    if (d.nullAssignments !== undefined) entry.nullAssignments = d.nullAssignments;
    this.entries.push(entry);
  }

  /** Write manifest.json; returns its path. */
  finish(header: TraceHeader): string {
    const sorted = [...this.entries].sort((a, b) => a.microBatch - b.microBatch || a.layer - b.layer);
    const manifest: TraceManifest = { format: TRACE_FORMAT, schemaVersion: TRACE_SCHEMA_VERSION, ...header, entries: sorted };
    const path = join(this.dir, MANIFEST_FILE);
    writeFileSync(path, manifestText(manifest));
    return path;
  }
}
