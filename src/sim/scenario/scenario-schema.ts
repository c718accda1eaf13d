// Scenario file schema, version 1: cluster, model, parallelism, router, token source, seed, backend and output.
import { z } from 'zod';
import { TF_BACKENDS } from '../../routing/index.ts';
import { fabricSettingsSchema, linkFaultSchema, networkModelNames } from '../../topology/index.ts';
import { modelOverridesSchema, parallelismSchema, tokenSourceSchema } from '../../workloads/index.ts';

const nameRegex = /^[a-z0-9][a-z0-9._-]*$/;

export const clusterSchema = z.strictObject({
  /** A system preset from the hardware catalog (`moesim catalog` lists them). */
  preset: z.string().min(1),
  /** Number of servers (or supernodes) of that preset. */
  servers: z.number().int().positive(),
  /**
   * Network model, by its registry name (topology's network registry, read when the scenario is checked, so models a
   * user registered count): analytical (fast, contention inside a collective phase), flow (max-min fair sharing).
   */
  network: z.string().superRefine((name, ctx) => {
    const names = networkModelNames();
    if (!names.includes(name)) ctx.addIssue({ code: 'invalid_value', values: names, input: name });
  }).default('analytical'),
  /** Override any catalog figure of the system or its chip (validated by the catalog). */
  overrides: z.record(z.string(), z.unknown()).optional(),
  /**
   * Fabric between servers, laid over the preset's (plain numbers): topology (single-switch, fat-tree-2,
   * fat-tree-3, rail-optimised), serversPerLeaf, leafOversubscription, spines, leafUplink { portBandwidth,
   * latency }, leavesPerPod, aggregationsPerPod, aggregationOversubscription, aggregationUplink, coresPerPlane,
   * nicsPerServer, nic { bandwidth, latency, efficiency }, switchLatency. Applied before `overrides`.
   */
  fabric: fabricSettingsSchema.optional(),
  /** Links to take down or degrade: [{ link: <name or glob>, state: down | { bandwidthFactor }, bothDirections? }]. */
  faults: z.array(linkFaultSchema).optional(),
});

export const modelRefSchema = z.strictObject({
  /** A model preset from catalog/models/ (e.g. tiny-moe, mixtral-8x7b). */
  preset: z.string().min(1),
  /** Override any field of the preset. */
  overrides: modelOverridesSchema.optional(),
});

/** `name` picks the router; every other field is that router's parameter, checked by the router's own schema. */
export const routerRefSchema = z.looseObject({ name: z.string().min(1) });

export const outputSchema = z.strictObject({
  /** Directory for the report; defaults to output/<scenario name>. */
  dir: z.string().min(1).optional(),
  /** Write trace.json (Chrome/Perfetto trace format). */
  trace: z.boolean().default(true),
});

/** How routing runs: sampling budget, warm-up steps, and traces (docs/ROUTING-TRACES.md). */
export const routingSchema = z.strictObject({
  /**
   * Tokens routed for real per (layer, micro-batch). A step with more tokens is routed on a sample of routing
   * groups and extended to every group by seeded resampling (DESIGN.md, "Full-scale routing").
   */
  sampleTokensPerLayer: z.number().int().positive().default(65536),
  /**
   * Micro-batches routed for real (default: all). Micro-batch mb ≥ this reuses the decisions of mb mod this: when
   * the step is routed on a sample they are resampled to the routing groups with mb's own seed, otherwise copied
   * as they are. The report counts them as resampled.
   */
  sampledMicroBatches: z.number().int().positive().optional(),
  /** Routing-only training steps run first so stateful routers (deepseek-aux-free, locmoe-plus) reach their state. */
  warmupSteps: z.number().int().nonnegative().default(0),
  /** A trace directory to replay: no tfjs, no token source; the trace must match the model and parallelism. */
  replay: z.string().min(1).optional(),
  /** A directory to record this run's decisions into (what `moesim run --record-routing DIR` sets). */
  record: z.string().min(1).optional(),
});

/**
 * Number formats. `linear`: the transformer's linear layers (attention projections, dense, shared and routed expert
 * FFNs) in BF16 or FP8 (Transformer Engine's --fp8-format; needs the chip's `fp8` figures). `dispatch`: the MoE
 * forward dispatch and backward combine all-to-alls in FP8 (DeepSeek-V3: 1 byte per element plus an fp32 scale per
 * 128) or BF16; default: FP8 when the linear layers are, as DeepSeek-V3 does. Combines and the rest stay BF16.
 */
export const precisionSchema = z.strictObject({
  linear: z.enum(['bf16', 'fp8']).default('bf16'),
  dispatch: z.enum(['bf16', 'fp8']).optional(),
});

export const scenarioSchema = z.strictObject({
  version: z.literal(1),
  name: z.string().regex(nameRegex, 'use lower-case letters, digits, ".", "_" and "-" (it names the output directory)'),
  description: z.string().optional(),
  seed: z.number().int().nonnegative().max(2 ** 32 - 1),
  cluster: clusterSchema,
  model: modelRefSchema,
  parallelism: parallelismSchema,
  router: routerRefSchema,
  /** Router inputs: synthetic clusters, real text (Moby-Dick, cl100k) or the user's own .npy hidden states. */
  tokens: tokenSourceSchema,
  routing: routingSchema.default({ sampleTokensPerLayer: 65536, warmupSteps: 0 }),
  /** tfjs backend for routing: wasm (default), cpu (slow, pure JS) or node (needs @tensorflow/tfjs-node installed). */
  backend: z.enum(TF_BACKENDS).default('wasm'),
  /** Number formats (precisionSchema); absent: BF16 everywhere, as Megatron and MindSpeed run by default. */
  precision: precisionSchema.optional(),
  output: outputSchema.default({ trace: true }),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
