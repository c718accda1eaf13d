// What a planned configuration costs: training days from its simulated tokens/s, capital cost amortised over the
// pricing period (or rental per device-hour), energy (device power × PUE) and its price, per million tokens too;
// and the Pareto front over (days, cost, energy). Pure arithmetic, in the plan's currency, from the device's price
// and power on the plan's cost basis (plan-cost-figures.ts).
import { InputError } from '../../engine/index.ts';
import type { DeviceCostFigures } from './plan-cost-figures.ts';
import type { Plan } from './plan-schema.ts';

type Candidate = Plan['candidates'][number];

export interface PlanCosts {
  trainingDays: number;
  meetsDeadline: boolean;
  /** Capital share (amortised) or rental, in the plan's currency. */
  hardwareCost: number;
  energyKWh: number;
  energyCost: number;
  totalCost: number;
  costPerMillionTokens: number;
  kWhPerMillionTokens: number;
  /** Facility energy of one step, kWh. */
  kWhPerStep: number;
}

/** `amount` in `currency`, converted to the plan's currency. */
export function toPlanCurrency(plan: Plan, amount: number, currency: string): number {
  if (currency === plan.currency) return amount;
  const rate = plan.exchangeRates[currency];
  if (rate === undefined) throw new InputError(`exchangeRates.${currency}: missing; give the value of 1 ${currency} in ${plan.currency}`);
  return amount * rate;
}

/** Capital price of one device in the plan's currency (undefined with rental pricing). */
export function devicePriceInPlanCurrency(plan: Plan, figures: DeviceCostFigures): number | undefined {
  return figures.price ? toPlanCurrency(plan, figures.price.value, figures.price.currency) : undefined;
}

export function planCosts(plan: Plan, candidate: Candidate, figures: DeviceCostFigures, devices: number, tokensPerSecond: number, stepTime_s: number): PlanCosts {
  const seconds = plan.tokens / tokensPerSecond;
  const hours = seconds / 3600;
  const trainingDays = hours / 24;
  const p = candidate.pricing;
  const price = devicePriceInPlanCurrency(plan, figures);
  if (p.kind === 'capital' && price === undefined) throw new Error('planCosts: capital pricing without a device price');
  const hardwareCost = p.kind === 'capital'
    ? devices * (price as number) * (trainingDays / (p.years * 365))
    : devices * hours * toPlanCurrency(plan, p.perDeviceHour, p.currency);
  const kW = (devices * figures.watts.value * plan.energy.pue) / 1000;
  const energyKWh = kW * hours;
  const energyCost = energyKWh * toPlanCurrency(plan, plan.energy.pricePerKWh, plan.energy.currency);
  const totalCost = hardwareCost + energyCost;
  const millions = plan.tokens / 1e6;
  return {
    trainingDays, meetsDeadline: trainingDays <= plan.deadlineDays, hardwareCost, energyKWh, energyCost, totalCost,
    costPerMillionTokens: totalCost / millions, kWhPerMillionTokens: energyKWh / millions, kWhPerStep: (kW * stepTime_s) / 3600,
  };
}

/** Indices of the points no other point beats or equals on every objective while beating it on one (all minimised). */
export function paretoIndices(points: readonly (readonly number[])[]): number[] {
  const dominates = (a: readonly number[], b: readonly number[]): boolean => a.every((x, i) => x <= b[i]!) && a.some((x, i) => x < b[i]!);
  return points.flatMap((p, i) => (points.some((q, j) => j !== i && dominates(q, p)) ? [] : [i]));
}
