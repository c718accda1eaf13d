// Scenario overrides of catalog figures: a deep partial of plain numbers laid over a chip or system spec.
// A number replaces a figure's value (its source then records the override and the old figure) or a plain
// count; the result is re-validated with the catalog schema, so a bad override fails naming its field.
import { InputError } from '../../engine/index.ts';
import { chipSpecSchema, formatIssues, systemSpecSchema } from './schema.ts';
import type { ChipSpec, Figure, Money, SystemSpec } from './schema.ts';

/** Deep partial of a spec in which every figure or count may be replaced by a plain number. */
export type NumericOverrides<T> = T extends Figure | Money | number
  ? number
  : T extends string | boolean
    ? never
    : T extends readonly unknown[]
      ? never
      : T extends object
        ? { readonly [K in keyof T]?: NumericOverrides<T[K]> }
        : never;

export type SystemOverrides = NumericOverrides<SystemSpec>;
export type ChipOverrides = NumericOverrides<ChipSpec>;

/** Optional figures a scenario may add when the preset lacks them (a new figure needs only a value and a source). */
const ADDABLE_FIGURES = new Set(['powerWatts', 'l2CacheBytes', 'achievedBandwidth', 'memoryReserve', 'overlapSlowdown', 'hostLinkBandwidth']);
/**
 * Optional groups of figures a scenario may add: a flat flash-attention efficiency replaces a chip's measured
 * attention table (GPUs) with the scenario's own figures, so every chip's attention can be overridden.
 */
const ADDABLE_GROUPS: Record<string, readonly string[]> = { attentionEfficiency: ['forward', 'backward'], fp8: ['peakFlops', 'gemmEfficiency'] };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isFigureLike(value: unknown): value is { value: number; source: string } {
  return isPlainObject(value) && typeof value['value'] === 'number' && typeof value['source'] === 'string';
}

/** Lays `overrides` over a (cloned) `target` in place; `path` is the dotted path for error messages. */
function overlay(target: Record<string, unknown>, overrides: unknown, path: string): void {
  if (!isPlainObject(overrides)) {
    throw new InputError(`${path}: expected a mapping of field names to numbers, got ${JSON.stringify(overrides)}`, path);
  }
  for (const [key, override] of Object.entries(overrides)) {
    const field = `${path}.${key}`;
    const current = target[key];
    if (override === undefined) continue;
    if (current === undefined) {
      if (ADDABLE_FIGURES.has(key) && typeof override === 'number') {
        target[key] = { value: override, source: 'scenario override' };
        continue;
      }
      const group = ADDABLE_GROUPS[key];
      if (group !== undefined && isPlainObject(override)) {
        const missing = group.filter((k) => override[k] === undefined);
        if (missing.length > 0) throw new InputError(`${field}: this chip has none to override, so give every one of ${group.join(' and ')} (missing ${missing.join(', ')})`, field);
        const unknown = Object.keys(override).filter((k) => !group.includes(k));
        if (unknown.length > 0) throw new InputError(`${field}.${unknown[0]}: no such field here; fields that can be overridden: ${group.join(', ')}`, `${field}.${unknown[0]}`);
        target[key] = Object.fromEntries(group.map((k) => {
          const value = override[k];
          if (typeof value !== 'number' || !Number.isFinite(value)) throw new InputError(`${field}.${k}: expected a finite number, got ${JSON.stringify(value)}`, `${field}.${k}`);
          return [k, { value, source: 'scenario override' }];
        }));
        continue;
      }
      const known = Object.keys(target).join(', ');
      throw new InputError(`${field}: no such field here; fields that can be overridden: ${known}`, field);
    }
    if (isFigureLike(current) || typeof current === 'number') {
      if (typeof override !== 'number' || !Number.isFinite(override)) {
        throw new InputError(`${field}: expected a finite number, got ${JSON.stringify(override)}`, field);
      }
      target[key] = isFigureLike(current)
        ? { ...current, value: override, source: `scenario override (was ${current.value}: ${current.source})` }
        : override;
      continue;
    }
    if (isPlainObject(current)) {
      overlay(current, override, field);
      continue;
    }
    throw new InputError(`${field}: "${String(current)}" is not a number and cannot be overridden`, field);
  }
}

/** Returns a new system spec with the overrides applied and validated. The input is not modified. */
export function applyOverrides(system: SystemSpec, overrides: SystemOverrides, where = 'overrides'): SystemSpec {
  const clone = structuredClone(system) as unknown as Record<string, unknown>;
  overlay(clone, overrides, where);
  const parsed = systemSpecSchema.safeParse(clone);
  if (!parsed.success) throw new InputError(formatIssues(`${where} on system "${system.name}"`, parsed.error), where);
  return parsed.data;
}

/** Returns a new chip spec with the overrides applied and validated. The input is not modified. */
export function applyChipOverrides(chip: ChipSpec, overrides: ChipOverrides, where = 'overrides.chip'): ChipSpec {
  const clone = structuredClone(chip) as unknown as Record<string, unknown>;
  overlay(clone, overrides, where);
  const parsed = chipSpecSchema.safeParse(clone);
  if (!parsed.success) throw new InputError(formatIssues(`${where} on chip "${chip.name}"`, parsed.error), where);
  return parsed.data;
}
