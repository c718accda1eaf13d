// The price and power of one device that a plan charges, on one basis for every candidate (the plan's `costBasis`):
// `server` (the default: what a buyer pays and feeds, the whole server's price and power ÷ its devices — chassis,
// CPUs, NICs, power supplies) or `chip` (the accelerator alone). The plan file's own figures (`serverPrice` on the
// server basis, `chipPrice` on the chip basis, `powerWatts` per device) come first, else the catalog's; a figure the
// basis needs and neither gives is an input error naming the field to add, never a silent fallback to the other
// basis. Each figure keeps its source and whether the catalog marks it `assumed` (an estimate, not a published one).
import { InputError } from '../../engine/index.ts';
import type { ChipSpec, SystemSpec } from '../../topology/index.ts';
import { getChip, getSystem } from '../../topology/index.ts';

export type CostBasis = 'server' | 'chip';

/** What the cost figures read of a plan (plan-schema.ts's Plan has it; kept structural to avoid an import cycle). */
export interface CostFigureInput {
  costBasis: CostBasis;
  currency: string;
  candidates: readonly Candidate[];
}

interface Candidate {
  system: string;
  powerWatts?: number | undefined;
  pricing: { kind: 'capital'; serverPrice?: number | undefined; chipPrice?: number | undefined; currency?: string | undefined } | { kind: 'rental'; currency: string };
}

export interface CostFigure {
  value: number;
  source: string;
  /** The catalog marks the figure `assumed: true`: an estimate, not a published figure. */
  assumed: boolean;
}

export interface DeviceCostFigures {
  basis: CostBasis;
  /** Capital price of one device in `currency`; absent with rental pricing (the plan's per device-hour price). */
  price?: CostFigure & { currency: string };
  /** Watts per device (before PUE). */
  watts: CostFigure;
}

function capitalPrice(plan: CostFigureInput, candidate: Candidate, index: number, system: SystemSpec, chip: ChipSpec): DeviceCostFigures['price'] {
  const p = candidate.pricing;
  if (p.kind !== 'capital') return undefined;
  const field = `candidates.${index}.pricing`;
  const per = system.devicesPerServer;
  if (plan.costBasis === 'server') {
    if (p.chipPrice !== undefined) throw new InputError(`${field}.chipPrice: the plan's costBasis is server; give serverPrice (per server) instead, or set costBasis: chip`, `${field}.chipPrice`);
    if (p.serverPrice !== undefined) return { value: p.serverPrice / per, currency: p.currency ?? plan.currency, source: `plan file: serverPrice ÷ ${per} devices`, assumed: false };
    if (system.price === undefined) {
      throw new InputError(`${field}.serverPrice: the catalog has no server price for ${system.name}; give one (per server, in pricing.currency), or set costBasis: chip to price the chips alone`, `${field}.serverPrice`);
    }
    return { value: system.price.value / per, currency: system.price.currency, source: `${system.name} server price ÷ ${per} devices: ${system.price.source}`, assumed: system.price.assumed ?? false };
  }
  if (p.serverPrice !== undefined) throw new InputError(`${field}.serverPrice: the plan's costBasis is chip; give chipPrice (per device) instead, or set costBasis: server`, `${field}.serverPrice`);
  if (p.chipPrice !== undefined) return { value: p.chipPrice, currency: p.currency ?? plan.currency, source: 'plan file: chipPrice', assumed: false };
  if (chip.price === undefined) {
    throw new InputError(`${field}.chipPrice: the catalog has no price for the ${chip.name} chip; give one (per device, in pricing.currency), or set costBasis: server`, `${field}.chipPrice`);
  }
  return { value: chip.price.value, currency: chip.price.currency, source: `${chip.name} chip price: ${chip.price.source}`, assumed: chip.price.assumed ?? false };
}

function deviceWatts(plan: CostFigureInput, candidate: Candidate, index: number, system: SystemSpec, chip: ChipSpec): CostFigure {
  if (candidate.powerWatts !== undefined) return { value: candidate.powerWatts, source: 'plan file: powerWatts', assumed: false };
  if (plan.costBasis === 'chip') return { value: chip.powerWatts.value, source: `${chip.name} chip power: ${chip.powerWatts.source}`, assumed: chip.powerWatts.assumed ?? false };
  const per = system.devicesPerServer;
  if (system.powerWatts === undefined) {
    throw new InputError(`candidates.${index}.powerWatts: the catalog has no server power for ${system.name}; give the watts per device (server power ÷ ${per}), or set costBasis: chip`, `candidates.${index}.powerWatts`);
  }
  return { value: system.powerWatts.value / per, source: `${system.name} server power ÷ ${per} devices: ${system.powerWatts.source}`, assumed: system.powerWatts.assumed ?? false };
}

/** Candidate `index`'s device price and power on the plan's basis; an InputError names the field a basis lacks. */
export function deviceCostFigures(plan: CostFigureInput, index: number): DeviceCostFigures {
  const candidate = plan.candidates[index] as Candidate;
  const system = getSystem(candidate.system);
  const chip = getChip(system.chip);
  const price = capitalPrice(plan, candidate, index, system, chip);
  return { basis: plan.costBasis, ...(price ? { price } : {}), watts: deviceWatts(plan, candidate, index, system, chip) };
}

/** True when a catalog estimate (not a published figure) enters the device's cost. */
export function usesAssumedFigure(figures: DeviceCostFigures): boolean {
  return (figures.price?.assumed ?? false) || figures.watts.assumed;
}
