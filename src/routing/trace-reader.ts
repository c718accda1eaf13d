// Replay a routing trace: read and validate manifest.json, check it against the step being simulated, and load
// each (micro-batch, layer) decision with its checksums, dtypes, shapes, id ranges and counts verified.
// No tfjs here: replaying a trace needs no backend. Every problem is an InputError naming the file and field.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../engine/index.ts';
import { INPUT_LIMITS, readInputFile } from './input-file.ts';
import { decodeNpy } from './npy-codec.ts';
import type { RoutingDecision } from './router-input.ts';
import type { TraceArrayName, TraceEntry, TraceExpectations, TraceManifest } from './trace-format.ts';
import { MANIFEST_FILE, TRACE_ARRAYS, traceManifestSchema } from './trace-format.ts';
import { sha256Hex } from './trace-writer.ts';

export interface RoutingTrace {
  dir: string;
  manifest: TraceManifest;
  /** The recorded decision of one (micro-batch, layer), fully verified. */
  decision(microBatch: number, layer: number): RoutingDecision;
}

function readManifest(dir: string): TraceManifest {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(dir)) throw new InputError(`routing trace ${dir}: directory not found`, 'routing.replay');
  let raw: unknown;
  const text = readInputFile(path, 'routing trace manifest', INPUT_LIMITS.json, { origin: path, field: 'routing.replay' }).toString('utf8');
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${path}: not valid JSON (${(err as Error).message})`, 'routing.replay');
  }
  const parsed = traceManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') ?? '';
    throw new InputError(`${path}: ${field || '(manifest)'}: ${issue?.message ?? 'invalid'}`, 'routing.replay');
  }
  return parsed.data;
}

/** Fail with an InputError naming the field when the trace does not match the step being simulated. */
export function checkTraceMatches(trace: RoutingTrace, expected: TraceExpectations): void {
  const m = trace.manifest;
  const path = join(trace.dir, MANIFEST_FILE);
  const mismatch = (field: string, got: unknown, want: unknown, hint: string): InputError =>
    new InputError(`${path}: ${field}: the trace has ${JSON.stringify(got)}, the scenario needs ${JSON.stringify(want)} (${hint})`, 'routing.replay');
  if (m.router !== expected.router) throw mismatch('router', m.router, expected.router, 'set router.name to the recorded router');
  if (m.numExperts !== expected.numExperts) throw mismatch('numExperts', m.numExperts, expected.numExperts, "the model's experts");
  if (m.groups !== expected.groups) throw mismatch('groups', m.groups, expected.groups, 'routing groups = data-parallel ranks');
  if (m.groupSize !== expected.groupSize) throw mismatch('groupSize', m.groupSize, expected.groupSize, 'tokens per group = microBatchSize × seqLength');
  if (m.layers !== expected.layers) throw mismatch('layers', m.layers, expected.layers, "the model's layers");
  if (m.moeLayers.join(',') !== expected.moeLayers.join(',')) throw mismatch('moeLayers', m.moeLayers, expected.moeLayers, "the model's MoE layers");
  if (m.microBatches !== expected.microBatches) throw mismatch('microBatches', m.microBatches, expected.microBatches, 'globalBatch / (dp × microBatchSize), or routing.sampledMicroBatches when set');
  for (let mb = 0; mb < expected.microBatches; mb++) {
    for (const l of expected.moeLayers) {
      if (!m.entries.some((e) => e.microBatch === mb && e.layer === l)) {
        throw new InputError(`${path}: entries: no entry for micro-batch ${mb}, layer ${l}`, 'routing.replay');
      }
    }
  }
}

function loadArray(dir: string, entry: TraceEntry, name: TraceArrayName, expectedShape: number[] | undefined): ArrayBufferView & ArrayLike<number> {
  const spec = entry.arrays[name];
  const path = join(dir, spec.file);
  const where = `${path} (entries[micro-batch ${entry.microBatch}, layer ${entry.layer}].arrays.${name})`;
  const want = TRACE_ARRAYS[name].dtype;
  if (spec.dtype !== want) throw new InputError(`${where}: dtype: the manifest says ${spec.dtype}; ${name} must be ${want}`, 'routing.replay');
  const bytes = readInputFile(path, 'npy file', INPUT_LIMITS.npy, { origin: where, field: 'routing.replay' });
  const digest = sha256Hex(bytes);
  if (digest !== spec.sha256) throw new InputError(`${where}: sha256 mismatch: the file hashes to ${digest}, the manifest says ${spec.sha256} (file changed or corrupt)`, 'routing.replay');
  const array = decodeNpy(bytes, where);
  if (array.dtype !== want) throw new InputError(`${where}: dtype: the file holds ${array.dtype}; ${name} must be ${want}`, 'routing.replay');
  const shapeText = (s: number[]): string => `[${s.join(', ')}]`;
  if (shapeText(array.shape) !== shapeText(spec.shape)) throw new InputError(`${where}: shape: the file has ${shapeText(array.shape)}, the manifest says ${shapeText(spec.shape)}`, 'routing.replay');
  if (expectedShape && shapeText(array.shape) !== shapeText(expectedShape)) {
    throw new InputError(`${where}: shape: ${shapeText(array.shape)}, expected ${shapeText(expectedShape)}`, 'routing.replay');
  }
  return array.data as ArrayBufferView & ArrayLike<number>;
}

function checkPairs(d: RoutingDecision, where: string): void {
  if (d.sequenceLength && d.groupSize % d.sequenceLength !== 0) {
    throw new InputError(`${where}: sequenceLength ${d.sequenceLength} does not divide groupSize ${d.groupSize}`, 'routing.replay');
  }
  const units = d.sequenceLength ? d.groupSize / d.sequenceLength : d.groupSize;
  const tokens = d.groups * units;
  const kept = new Int32Array(d.groups * d.numExperts);
  const proposed = new Int32Array(d.groups * d.numExperts);
  for (let i = 0; i < d.pairToken.length; i++) {
    const t = d.pairToken[i]!;
    const e = d.pairExpert[i]!;
    const k = d.pairKept[i]!;
    if (!(t >= 0 && t < tokens)) throw new InputError(`${where}.pairToken[${i}]: ${t} is out of range [0, ${tokens})`, 'routing.replay');
    if (!(e >= 0 && e < d.numExperts)) throw new InputError(`${where}.pairExpert[${i}]: expert id ${e} is out of range [0, ${d.numExperts})`, 'routing.replay');
    if (k !== 0 && k !== 1) throw new InputError(`${where}.pairKept[${i}]: ${k}; must be 0 or 1`, 'routing.replay');
    const cell = Math.floor(t / units) * d.numExperts + e;
    proposed[cell] = proposed[cell]! + 1;
    kept[cell] = kept[cell]! + k;
  }
  for (const [name, tally, stored] of [['keptCounts', kept, d.keptCounts], ['proposedCounts', proposed, d.proposedCounts]] as const) {
    const i = tally.findIndex((v, j) => v !== stored[j]);
    if (i >= 0) {
      const [g, e] = [Math.floor(i / d.numExperts), i % d.numExperts];
      throw new InputError(`${where}.${name}[${g}, ${e}]: ${stored[i]}, but the pairs give ${tally[i]}`, 'routing.replay');
    }
  }
}

export function openRoutingTrace(dir: string): RoutingTrace {
  const manifest = readManifest(dir);
  return {
    dir,
    manifest,
    decision(microBatch: number, layer: number): RoutingDecision {
      const entry = manifest.entries.find((e) => e.microBatch === microBatch && e.layer === layer);
      if (!entry) throw new InputError(`${join(dir, MANIFEST_FILE)}: entries: no entry for micro-batch ${microBatch}, layer ${layer}`, 'routing.replay');
      const pairs = entry.arrays.pairToken.shape[0] ?? 0;
      const counts = [manifest.groups, manifest.numExperts];
      const get = (name: TraceArrayName): ArrayLike<number> =>
        loadArray(dir, entry, name, TRACE_ARRAYS[name].per === 'pair' ? [pairs] : counts);
      const d: RoutingDecision = {
        router: manifest.router,
        layer,
        microBatch,
        groups: manifest.groups,
        groupSize: manifest.groupSize,
        numExperts: manifest.numExperts,
        pairToken: get('pairToken') as Int32Array,
        pairExpert: get('pairExpert') as Int32Array,
        pairWeight: get('pairWeight') as Float32Array,
        pairKept: get('pairKept') as Uint8Array,
        keptCounts: get('keptCounts') as Int32Array,
        proposedCounts: get('proposedCounts') as Int32Array,
        capacity: entry.capacity ?? Infinity,
        losses: Object.fromEntries(Object.entries(entry.losses).map(([k, v]) => [k, v ?? NaN])),
      };
      if (entry.capacityNote !== undefined) d.capacityNote = entry.capacityNote;
      if (entry.sequenceLength !== undefined) d.sequenceLength = entry.sequenceLength;
      if (entry.nullAssignments !== undefined) d.nullAssignments = entry.nullAssignments;
      checkPairs(d, `${join(dir, entry.arrays.pairToken.file.replace(/\.pairToken\.npy$/, ''))}`);
      return d;
    },
  };
}
