// The router registry: routers chosen by name, each with a zod schema for its parameters.
import type { z } from 'zod';
import { InputError } from '../engine/index.ts';
import type { Router, RouterContext } from './router.ts';
import { createGShardRouter, gshardParamsSchema } from './routers/gshard-router.ts';
import { createSwitchRouter, switchParamsSchema } from './routers/switch-router.ts';

interface RouterEntry<S extends z.ZodType> {
  schema: S;
  create(params: z.output<S>, ctx: RouterContext): Router;
  summary: string;
}

function entry<S extends z.ZodType>(e: RouterEntry<S>): RouterEntry<z.ZodType> {
  return e as unknown as RouterEntry<z.ZodType>;
}

const registry: Record<string, RouterEntry<z.ZodType>> = {
  switch: entry({ schema: switchParamsSchema, create: createSwitchRouter, summary: 'Switch Transformer: softmax top-1 with a capacity factor' }),
  gshard: entry({ schema: gshardParamsSchema, create: createGShardRouter, summary: 'GShard: softmax top-2, random second expert, capacity factor' }),
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

/** Build a router by name; params are validated (unknown or bad ones are InputErrors naming router.<field>). */
export function createRouter(name: string, params: unknown, ctx: RouterContext): Router {
  const e = lookup(name);
  const parsed = e.schema.safeParse(params ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = ['router', ...(issue?.path ?? []).map(String)].join('.');
    throw new InputError(`${path}: ${issue?.message ?? 'invalid'}`, path);
  }
  return e.create(parsed.data, ctx);
}

function lookup(name: string): RouterEntry<z.ZodType> {
  const e = registry[name];
  if (!e) throw new InputError(`router.name: unknown router "${name}"; accepted: ${routerNames().join(', ')}`, 'router.name');
  return e;
}
