// Scenario fabric settings (`cluster.fabric`): plain numbers laid over the preset's fabric, which may also switch
// its topology. A number replaces a figure's value (the source records the scenario and the old figure); a field
// the new topology needs and the preset lacks is taken from the settings, else defaulted where a neutral default
// exists (oversubscription 1, uplinks at the NIC port rate, aggregation uplinks like leaf uplinks; all marked
// assumed), else it is an error naming the field to add. Fields the new topology does not have are dropped.
import { z } from 'zod';
import { InputError } from '../../engine/index.ts';
import { fabricTopologies, fabricVariantSchemas, formatIssues, systemSpecSchema } from './schema.ts';
import type { Figure, SystemSpec } from './schema.ts';

const positive = () => z.number().finite().positive();
const nonNegative = () => z.number().finite().nonnegative();
const count = () => z.number().int().positive();
const uplinkSettingsSchema = z.strictObject({ portBandwidth: positive().optional(), latency: nonNegative().optional() });

export const fabricSettingsSchema = z.strictObject({
  topology: z.enum(fabricTopologies).optional(),
  nicsPerServer: count().optional(),
  nic: z.strictObject({ bandwidth: positive().optional(), latency: nonNegative().optional(), efficiency: positive().max(1).optional() }).optional(),
  switchLatency: nonNegative().optional(),
  serversPerLeaf: count().optional(),
  leafOversubscription: positive().optional(),
  leafUplink: uplinkSettingsSchema.optional(),
  spines: count().optional(),
  leavesPerPod: count().optional(),
  aggregationsPerPod: count().optional(),
  aggregationOversubscription: positive().optional(),
  aggregationUplink: uplinkSettingsSchema.optional(),
  coresPerPlane: count().optional(),
});
export type FabricSettings = z.input<typeof fabricSettingsSchema>;

type FigureLike = { value: number; source: string };
type Fields = Record<string, unknown>;

const DEFAULT_RATIO: Figure = {
  value: 1,
  source: 'moesim default for a tier the preset does not describe: non-blocking (1:1)',
  assumed: true,
};
const DEFAULT_TRUNK_LATENCY: Figure = {
  value: 1e-7,
  source: 'moesim default for a tier the preset does not describe: 0.1 µs switch-to-switch cable latency',
  assumed: true,
};

function isFigure(value: unknown): value is FigureLike {
  return value !== null && typeof value === 'object' && typeof (value as FigureLike).value === 'number';
}

function scenarioFigure(value: number, current: unknown, field: string): Figure {
  const source = isFigure(current) ? `scenario ${field} (was ${current.value}: ${current.source})` : `scenario ${field}`;
  return { value, source };
}

/** Lays numeric sub-fields (`given`) over a mapping of figures (`base`). */
function mergeFigures(base: Fields, given: Record<string, number | undefined>, field: string): Fields {
  const out: Fields = { ...base };
  for (const [key, value] of Object.entries(given)) {
    if (value !== undefined) out[key] = scenarioFigure(value, base[key], `${field}.${key}`);
  }
  return out;
}

/** The default of a field the preset lacks, or undefined when it has none. */
function defaultFor(key: string, next: Fields): unknown {
  if (key === 'leafOversubscription' || key === 'aggregationOversubscription') return DEFAULT_RATIO;
  if (key === 'leafUplink') {
    const nic = next['nic'] as { bandwidth: FigureLike };
    const portBandwidth = {
      value: nic.bandwidth.value,
      source: 'moesim default for a tier the preset does not describe: uplink ports at the NIC port line rate',
      assumed: true,
    };
    return { portBandwidth, latency: DEFAULT_TRUNK_LATENCY };
  }
  if (key === 'aggregationUplink') {
    const leaf = next['leafUplink'] as Record<string, FigureLike> | undefined;
    if (leaf === undefined) return undefined;
    const copy = (f: FigureLike): Figure => ({ value: f.value, source: `moesim default: as leafUplink (${f.source})`, assumed: true });
    return { portBandwidth: copy(leaf['portBandwidth'] as FigureLike), latency: copy(leaf['latency'] as FigureLike) };
  }
  return undefined;
}

/** Returns the system with `settings` laid over its fabric, validated. `where` prefixes field names in errors. */
export function applyFabricSettings(system: SystemSpec, settings: unknown, where = 'cluster.fabric'): SystemSpec {
  const parsed = fabricSettingsSchema.safeParse(settings);
  if (!parsed.success) throw new InputError(formatIssues(where, parsed.error), where);
  const given = parsed.data as Fields;
  const current = system.fabric as unknown as Fields;
  const topology = parsed.data.topology ?? system.fabric.topology;
  const variant = fabricVariantSchemas[topology];
  const fields = Object.keys(variant.shape);
  for (const key of Object.keys(given)) {
    if (given[key] !== undefined && !fields.includes(key)) {
      const accepted = fields.filter((f) => f !== 'topology').join(', ');
      throw new InputError(`${where}.${key}: topology "${topology}" has no such field; its fields: ${accepted}`, `${where}.${key}`);
    }
  }
  const next: Fields = { topology };
  const missing: string[] = [];
  for (const key of fields) {
    if (key === 'topology') continue;
    const value = given[key];
    const old = current[key];
    let result: unknown;
    if (key === 'nicsPerServer') result = value ?? old;
    else if (typeof value === 'number') result = scenarioFigure(value, old, `${where}.${key}`);
    else if (value !== undefined) {
      const base = (old ?? defaultFor(key, next)) as Fields | undefined;
      result = mergeFigures(base ?? {}, value as Record<string, number | undefined>, `${where}.${key}`);
    } else result = old ?? defaultFor(key, next);
    if (result !== undefined) next[key] = result;
    else if (!(variant.shape as Record<string, z.ZodType>)[key]?.safeParse(undefined).success) missing.push(key);
  }
  if (missing.length > 0) {
    throw new InputError(
      `${where}: topology "${topology}" needs ${missing.join(', ')}, which preset "${system.name}" ` +
        `(${system.fabric.topology}) does not give; add ${missing.map((m) => `${where}.${m}`).join(', ')}`,
      `${where}.${missing[0] as string}`,
    );
  }
  const result = systemSpecSchema.safeParse({ ...system, fabric: next });
  if (!result.success) throw new InputError(formatIssues(`${where} on system "${system.name}"`, result.error), where);
  return result.data;
}
