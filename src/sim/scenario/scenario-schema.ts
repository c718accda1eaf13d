// Scenario file schema, version 1: cluster, model, parallelism, router, token source, seed, backend and output.
import { z } from 'zod';
import { modelFieldsSchema, parallelismSchema, syntheticTokensSchema } from '../../workloads/index.ts';

const nameRegex = /^[a-z0-9][a-z0-9._-]*$/;

export const clusterSchema = z.strictObject({
  /** A system preset from the hardware catalog (`moesim catalog` lists them). */
  preset: z.string().min(1),
  /** Number of servers (or supernodes) of that preset. */
  servers: z.number().int().positive(),
  /** Network model. */
  network: z.enum(['analytical']).default('analytical'),
  /** Override any catalog figure of the system or its chip (validated by the catalog). */
  overrides: z.record(z.string(), z.unknown()).optional(),
});

export const modelRefSchema = z.strictObject({
  /** A model preset from catalog/models/ (e.g. tiny-moe, mixtral-8x7b). */
  preset: z.string().min(1),
  /** Override any field of the preset. */
  overrides: modelFieldsSchema.partial().optional(),
});

/** `name` picks the router; every other field is that router's parameter, checked by the router's own schema. */
export const routerRefSchema = z.looseObject({ name: z.string().min(1) });

export const outputSchema = z.strictObject({
  /** Directory for the report; defaults to output/<scenario name>. */
  dir: z.string().min(1).optional(),
  /** Write trace.json (Chrome/Perfetto trace format). */
  trace: z.boolean().default(true),
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
  tokens: z.discriminatedUnion('source', [syntheticTokensSchema]),
  /** tfjs backend for routing: wasm (default), cpu (slow, pure JS) or node (needs @tensorflow/tfjs-node installed). */
  backend: z.enum(['wasm', 'cpu', 'node']).default('wasm'),
  output: outputSchema.default({ trace: true }),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
