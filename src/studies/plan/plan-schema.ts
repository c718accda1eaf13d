// The capacity plan file (`moesim plan <plan.yaml>`), version 1: a model and a token budget with a deadline,
// candidate systems with their pricing (capital cost amortised over a period, or rental per device-hour) on one cost
// basis for all (whole server or chip only), energy price and PUE, the cluster sizes and routers to search, and the
// scenario settings every candidate shares.
import { z } from 'zod';
import { InputError } from '../../engine/index.ts';
import { getSystem, listPresets } from '../../topology/index.ts';
import { formatIssue, modelRefSchema, parseYamlInput, readInputText, routingSchema } from '../../sim/index.ts';
import { tokenSourceSchema } from '../../workloads/index.ts';
import { deviceCostFigures } from './plan-cost-figures.ts';

const currency = z.string().regex(/^[A-Z]{3}$/, 'a three-letter currency code such as USD or CNY');

const pricingSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    /** Buy the cluster: the catalog's price on the plan's cost basis (server ÷ devices, or chip), amortised over `years`. */
    kind: z.literal('capital'),
    years: z.number().positive(),
    /** Price per server overriding the catalog's, in `currency` (costBasis server). */
    serverPrice: z.number().positive().optional(),
    /** Price per device overriding the catalog's chip price, in `currency` (costBasis chip). */
    chipPrice: z.number().positive().optional(),
    currency: currency.optional(),
  }),
  z.strictObject({
    /** Rent it: a price per device-hour. */
    kind: z.literal('rental'),
    perDeviceHour: z.number().positive(),
    currency,
  }),
]);

export const candidateSchema = z.strictObject({
  /** A system preset (`moesim catalog` lists them). */
  system: z.string().min(1),
  pricing: pricingSchema,
  /** Watts per device on the plan's cost basis, overriding the catalog's (server power ÷ devices, or the chip's). */
  powerWatts: z.number().positive().optional(),
});

export const planSchema = z.strictObject({
  version: z.literal(1),
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" and "-"'),
  description: z.string().optional(),
  seed: z.number().int().nonnegative().default(1),
  model: modelRefSchema,
  /** Training tokens to process. */
  tokens: z.number().positive(),
  /** Wall-clock days the training must finish in. */
  deadlineDays: z.number().positive(),
  /** Sequences per step (the global batch); the same for every candidate. */
  globalBatch: z.number().int().positive(),
  candidates: z.array(candidateSchema).min(1),
  /** Cluster sizes to try, in devices (each a whole number of servers of every candidate system). */
  devices: z.array(z.number().int().positive()).min(1),
  /** Routers to compare on each system's best layout (their parameters after a colon, as in compare). */
  routers: z.array(z.string().min(1)).min(1),
  /**
   * What a device costs, for every candidate alike: `server` (the whole server's price and power ÷ its devices:
   * chassis, CPUs, NICs, power supplies; what a buyer pays) or `chip` (the accelerator alone).
   */
  costBasis: z.enum(['server', 'chip']).default('server'),
  energy: z.strictObject({
    pricePerKWh: z.number().nonnegative(),
    currency,
    /** Power usage effectiveness: facility energy / IT energy. */
    pue: z.number().min(1).default(1.3),
  }),
  /** The plan's currency, and the value of one unit of every other currency used, in it. */
  currency,
  exchangeRates: z.record(currency, z.number().positive()).default({}),
  tokensSource: tokenSourceSchema.optional(),
  routing: routingSchema.optional(),
});

export type PlanInput = z.input<typeof planSchema>;
export type Plan = z.output<typeof planSchema>;

export function validatePlanObject(raw: unknown, where: string): Plan {
  const parsed = planSchema.safeParse(raw);
  if (!parsed.success) {
    // Every problem, one line each (as a scenario's).
    throw new InputError(parsed.error.issues.map((issue) => `${where}: ${formatIssue(issue, raw)}`).join('\n') || `${where}: invalid plan`, parsed.error.issues[0]?.path.map(String).join('.'));
  }
  const plan = parsed.data;
  for (const key of ['record', 'replay'] as const) {
    if (plan.routing?.[key] !== undefined) throw new InputError(`${where}: routing.${key}: a plan records and replays its own routing (for the flow re-runs); remove it`, `routing.${key}`);
  }
  const used = [plan.energy.currency];
  for (const [i, c] of plan.candidates.entries()) {
    try {
      getSystem(c.system);
    } catch {
      throw new InputError(`${where}: candidates.${i}.system: unknown system "${c.system}"; accepted: ${listPresets().join(', ')}`);
    }
    let figures;
    try {
      figures = deviceCostFigures(plan, i);
    } catch (err) {
      if (err instanceof InputError) throw new InputError(`${where}: ${err.message}`, err.field);
      throw err;
    }
    if (c.pricing.currency !== undefined) used.push(c.pricing.currency);
    else if (figures.price) used.push(figures.price.currency);
  }
  for (const cur of used) {
    if (cur !== plan.currency && plan.exchangeRates[cur] === undefined) {
      throw new InputError(`${where}: exchangeRates.${cur}: missing; give the value of 1 ${cur} in ${plan.currency} (e.g. exchangeRates: { ${cur}: 0.14 })`);
    }
  }
  return plan;
}

export function loadPlanFile(path: string): Plan {
  return validatePlanObject(parseYamlInput(readInputText(path, 'plan file'), path), path);
}
