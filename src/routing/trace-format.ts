// The routing-trace format (docs/ROUTING-TRACES.md): a directory with manifest.json and, per (micro-batch, layer),
// six .npy arrays holding one RoutingDecision. This file holds the manifest schema and the array names and dtypes.
import { z } from 'zod';
import type { NpyDtype } from './npy-codec.ts';

export const TRACE_FORMAT = 'moesim-routing-trace';
export const TRACE_SCHEMA_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

/** The arrays of one decision, their dtypes, and whether they are per pair ([pairs]) or per count ([groups, experts]). */
export const TRACE_ARRAYS = {
  pairToken: { dtype: 'int32', per: 'pair' },
  pairExpert: { dtype: 'int32', per: 'pair' },
  pairWeight: { dtype: 'float32', per: 'pair' },
  pairKept: { dtype: 'uint8', per: 'pair' },
  keptCounts: { dtype: 'int32', per: 'count' },
  proposedCounts: { dtype: 'int32', per: 'count' },
} as const satisfies Record<string, { dtype: NpyDtype; per: 'pair' | 'count' }>;

export type TraceArrayName = keyof typeof TRACE_ARRAYS;
export const TRACE_ARRAY_NAMES = Object.keys(TRACE_ARRAYS) as TraceArrayName[];

/** File name of one array: mb<m>-layer<l>.<name>.npy (flat, so `glob("mb0-layer*.pairExpert.npy")` works). */
export function traceFileName(microBatch: number, layer: number, name: TraceArrayName): string {
  return `mb${microBatch}-layer${layer}.${name}.npy`;
}

const count = z.number().int().nonnegative();
const positive = z.number().int().positive();

export const traceArrayEntrySchema = z.strictObject({
  file: z.string().min(1).regex(/^[^/\\]+$/, 'a file name inside the trace directory, without a path'),
  dtype: z.enum(['float32', 'float16', 'float64', 'int32', 'int64', 'uint8']),
  shape: z.array(count),
  /** SHA-256 (hex) of the whole .npy file. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, '64 lower-case hex digits'),
});

export const traceEntrySchema = z.strictObject({
  microBatch: count,
  layer: count,
  /** Capacity per expert per group in tokens; null means dropless (no capacity bound). */
  capacity: z.number().nonnegative().nullable(),
  capacityNote: z.string().optional(),
  /** Auxiliary losses; null stands for a non-finite value. */
  losses: z.record(z.string(), z.number().nullable()),
  /** Sequence-level routing (MEO): pairToken indexes sequences of this many tokens. */
  sequenceLength: positive.optional(),
  /** AdaMoE null-expert assignments (not listed as pairs). */
  nullAssignments: count.optional(),
  arrays: z.strictObject({
    pairToken: traceArrayEntrySchema,
    pairExpert: traceArrayEntrySchema,
    pairWeight: traceArrayEntrySchema,
    pairKept: traceArrayEntrySchema,
    keptCounts: traceArrayEntrySchema,
    proposedCounts: traceArrayEntrySchema,
  }),
});

export const traceManifestSchema = z.strictObject({
  format: z.literal(TRACE_FORMAT),
  schemaVersion: z.literal(TRACE_SCHEMA_VERSION),
  router: z.string().min(1),
  params: z.record(z.string(), z.unknown()),
  numExperts: positive,
  /** Routing groups per (layer, micro-batch) (data-parallel ranks). */
  groups: positive,
  /** Tokens per routing group. */
  groupSize: positive,
  /** Layers of the model (MoE and dense). */
  layers: positive,
  /** The MoE layers, ascending; every (micro-batch, MoE layer) has one entry. */
  moeLayers: z.array(count),
  microBatches: positive,
  /** Free text: what produced the router inputs (informational). */
  tokenSource: z.string().optional(),
  scenario: z.string().optional(),
  seed: z.number().optional(),
  entries: z.array(traceEntrySchema),
});

export type TraceArrayEntry = z.output<typeof traceArrayEntrySchema>;
export type TraceEntry = z.output<typeof traceEntrySchema>;
export type TraceManifest = z.output<typeof traceManifestSchema>;

/** What a trace must agree with to be replayed in a run (the scenario's shape of the step). */
export interface TraceExpectations {
  router: string;
  numExperts: number;
  groups: number;
  groupSize: number;
  layers: number;
  moeLayers: readonly number[];
  microBatches: number;
}
