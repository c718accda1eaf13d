// The router registry: routers chosen by name, each with a zod schema for its parameters, the number of experts it
// sends a token to (its k), which may differ from the model's top-k (Switch is top-1 on any model), and what it reads
// of the expert placement (so callers know when two placements give the same decisions).
import type { z } from 'zod';
import { InputError } from '../engine/index.ts';
import type { Router, RouterContext } from './router.ts';
import { createGShardRouter, gshardParamsSchema } from './routers/gshard-router.ts';
import { createSwitchRouter, switchParamsSchema } from './routers/switch-router.ts';
import { createLocMoeRouter, locmoeParamsSchema } from './routers/locmoe-router.ts';
import { createLocMoePlusRouter, locmoePlusParamsSchema } from './routers/locmoe-plus-router.ts';
import { createMeoRouter, meoParamsSchema } from './routers/meo-router.ts';
import { createHashRouter, hashParamsSchema } from './routers/hash-router.ts';
import { createExpertChoiceRouter, expertChoiceParamsSchema } from './routers/expert-choice-router.ts';
import { baseParamsSchema, createBaseRouter } from './routers/base-router.ts';
import { createDeepSeekAuxFreeRouter, deepseekAuxFreeParamsSchema } from './routers/deepseek-aux-free-router.ts';
import { adamoeParamsSchema, createAdaMoeRouter } from './routers/adamoe-router.ts';
import { createDenseRouter, denseParamsSchema } from './routers/dense-router.ts';

interface RouterEntry<S extends z.ZodType> {
  schema: S;
  create(params: z.output<S>, ctx: RouterContext): Router;
  summary: string;
  /**
   * Experts a token is sent to, from the resolved parameters and the model's top-k; undefined when it varies from
   * token to token (Expert Choice, AdaMoE's null experts). MEO counts the k experts it merges.
   */
  expertsPerToken(params: z.output<S>, modelTopK: number): number | undefined;
  /** What `route` reads of ctx.placement (RouterPlacementUse). */
  placementUse: RouterPlacementUse;
  /** How a training step runs the router's decisions (RouterExecution); `dispatch` unless said. */
  execution?: RouterExecution;
}

/**
 * What a router's decisions read of its RoutingPlacement: `none`; `local-experts`, only which experts sit on each
 * routing group's own node (LocMoE's locality, the dense router's stand-in expert); `nodes`, the node of every expert
 * and the node count (DeepSeek-V3's node limit). Two placements that agree on what a router reads give it the same
 * decisions from the same inputs.
 */
export type RouterPlacementUse = 'none' | 'local-experts' | 'nodes';

/**
 * How a training step runs a router's decisions, so that the composition asks the trait and never the name:
 * - `dispatch`: each token's (token, expert) pairs go to their experts' devices and back (the all-to-alls);
 * - `merged`: each token runs one merged expert on its own device (MEO): every device holds every expert (ep = 1),
 *   the merge combines `expertsPerToken` experts, and the model's nominal work counts one expert per token;
 * - `dense`: no MoE at all: the step runs the dense model of the same active size (the reference point).
 */
export type RouterExecution = 'dispatch' | 'merged' | 'dense';
export const ROUTER_EXECUTIONS = ['dispatch', 'merged', 'dense'] as const satisfies readonly RouterExecution[];

function entry<S extends z.ZodType>(e: RouterEntry<S>): RouterEntry<z.ZodType> {
  return e as unknown as RouterEntry<z.ZodType>;
}

const registry: Record<string, RouterEntry<z.ZodType>> = {
  switch: entry({ schema: switchParamsSchema, create: createSwitchRouter, summary: 'Switch Transformer: softmax top-1 with a capacity factor', expertsPerToken: () => 1, placementUse: 'none' }),
  gshard: entry({ schema: gshardParamsSchema, create: createGShardRouter, summary: 'GShard: softmax top-2, random second expert, capacity factor', expertsPerToken: () => 2, placementUse: 'none' }),
  locmoe: entry({ schema: locmoeParamsSchema, create: createLocMoeRouter, summary: 'LocMoE: softmax(ReLU(GrAP·x)) top-1, locality preference, LocMoE capacity bound', expertsPerToken: () => 1, placementUse: 'local-experts' }),
  'locmoe-plus': entry({ schema: locmoePlusParamsSchema, create: createLocMoePlusRouter, summary: 'LocMoE+: cosine affinity, token-then-expert choice, locality, bound re-estimated every R steps', expertsPerToken: (p) => p.proposalsPerToken, placementUse: 'local-experts' }),
  meo: entry({ schema: meoParamsSchema, create: createMeoRouter, summary: 'MEO: sequence-level top-k merged into one expert, dropless', expertsPerToken: (p, k) => p.k ?? k, placementUse: 'none', execution: 'merged' }),
  hash: entry({ schema: hashParamsSchema, create: createHashRouter, summary: 'Hash layers: seeded hash of the token id mod n, no gate, dropless by default', expertsPerToken: (p) => p.k, placementUse: 'none' }),
  'expert-choice': entry({ schema: expertChoiceParamsSchema, create: createExpertChoiceRouter, summary: 'Expert Choice: each expert takes its top T·c/n tokens of softmax(X·W)', expertsPerToken: () => undefined, placementUse: 'none' }),
  base: entry({ schema: baseParamsSchema, create: createBaseRouter, summary: 'BASE layers: balanced top-1 assignment maximising affinity (auction)', expertsPerToken: () => 1, placementUse: 'none' }),
  'deepseek-aux-free': entry({ schema: deepseekAuxFreeParamsSchema, create: createDeepSeekAuxFreeRouter, summary: 'DeepSeek-V3: sigmoid gate, bias-adjusted top-k, node-limited, dropless', expertsPerToken: (p, k) => p.topK ?? k, placementUse: 'nodes' }),
  adamoe: entry({ schema: adamoeParamsSchema, create: createAdaMoeRouter, summary: 'AdaMoE: top-k over real plus null experts, a varying number of real experts per token', expertsPerToken: () => undefined, placementUse: 'none' }),
  dense: entry({ schema: denseParamsSchema, create: createDenseRouter, summary: 'Dense: no routing; every token runs a dense FFN of the active size on its own device', expertsPerToken: (p, k) => p.activeExperts ?? k, placementUse: 'local-experts', execution: 'dense' }),
};

export function routerNames(): string[] {
  return Object.keys(registry).sort();
}

/** The zod schema of a router's parameters (everything in the scenario's `router:` block except `name`). */
export function routerParamsSchema(name: string): z.ZodType {
  return lookup(name).schema;
}

export function routerSummary(name: string): string {
  return lookup(name).summary;
}

export function routerPlacementUse(name: string): RouterPlacementUse {
  return lookup(name).placementUse;
}

export function routerExecution(name: string): RouterExecution {
  return lookup(name).execution ?? 'dispatch';
}

/**
 * Experts router `name` sends a token to with `params` (defaults filled in) on a model of top-k `modelTopK`;
 * undefined when it varies per token. Bad parameters are InputErrors naming router.<field>, as in createRouter.
 */
export function routerExpertsPerToken(name: string, params: unknown, modelTopK: number): number | undefined {
  const e = lookup(name);
  return e.expertsPerToken(parseParams(e, params), modelTopK);
}

/** Build a router by name; params are validated (unknown or bad ones are InputErrors naming router.<field>). */
export function createRouter(name: string, params: unknown, ctx: RouterContext): Router {
  const e = lookup(name);
  return e.create(parseParams(e, params), ctx);
}

function parseParams(e: RouterEntry<z.ZodType>, params: unknown): unknown {
  const parsed = e.schema.safeParse(params ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = ['router', ...(issue?.path ?? []).map(String)].join('.');
    throw new InputError(`${path}: ${issue?.message ?? 'invalid'}`, path);
  }
  return parsed.data;
}

function lookup(name: string): RouterEntry<z.ZodType> {
  const e = registry[name];
  if (!e) throw new InputError(`router.name: unknown router "${name}"; accepted: ${routerNames().join(', ')}`, 'router.name');
  return e;
}
