// Loads and validates the hardware catalog (one YAML file per chip and per system) and looks presets up by name.
// The default catalog lives in <repo>/catalog, found relative to this module, and is loaded once.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../../engine/index.ts';
import { chipSpecSchema, formatIssues, systemSpecSchema } from './schema.ts';
import type { ChipSpec, SystemSpec } from './schema.ts';

export interface Catalog {
  /** The directory the catalog was read from (holds chips/ and systems/). */
  readonly directory: string;
  readonly chips: ReadonlyMap<string, ChipSpec>;
  readonly systems: ReadonlyMap<string, SystemSpec>;
}

/** <repo>/catalog, located from this file so it works from any working directory. */
export function defaultCatalogDirectory(): string {
  return fileURLToPath(new URL('../../../catalog/', import.meta.url));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function yamlFilesIn(directory: string): string[] {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch (error) {
    throw new InputError(`catalog directory ${directory} cannot be read: ${(error as Error).message}`);
  }
  return names.filter((n) => n.endsWith('.yaml') || n.endsWith('.yml')).sort();
}

/** Reads every YAML file of one kind, validates it, and checks that `name` matches the file name. */
function loadKind<S extends z.ZodType>(root: string, sub: string, schema: S): Map<string, z.infer<S>> {
  const directory = join(root, sub);
  const specs = new Map<string, z.infer<S>>();
  for (const fileName of yamlFilesIn(directory)) {
    const path = join(directory, fileName);
    const shown = relative(process.cwd(), path) || path;
    let raw: unknown;
    try {
      raw = parseYaml(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new InputError(`${shown}: not valid YAML: ${(error as Error).message}`);
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new InputError(formatIssues(shown, parsed.error));
    const spec = parsed.data as z.infer<S> & { name: string };
    const expected = basename(fileName, extname(fileName));
    if (spec.name !== expected) {
      throw new InputError(`${shown}: name: "${spec.name}" must match the file name "${expected}"`, 'name');
    }
    specs.set(spec.name, deepFreeze(spec));
  }
  return specs;
}

/** Loads and validates a catalog directory (default: the repository's catalog/). Throws naming file and field. */
export function loadCatalog(directory: string = defaultCatalogDirectory()): Catalog {
  const chips = loadKind(directory, 'chips', chipSpecSchema);
  const systems = loadKind(directory, 'systems', systemSpecSchema);
  for (const system of systems.values()) {
    if (!chips.has(system.chip)) {
      throw new InputError(
        `${join(directory, 'systems', system.name)}.yaml: chip: unknown chip "${system.chip}"; ` +
          `known chips: ${[...chips.keys()].join(', ')}`,
        'chip',
      );
    }
  }
  for (const chip of chips.values()) {
    if (chip.variantOf !== undefined && !chips.has(chip.variantOf)) {
      throw new InputError(`${join(directory, 'chips', chip.name)}.yaml: variantOf: unknown chip "${chip.variantOf}"`);
    }
  }
  return { directory, chips, systems };
}

let defaultCatalog: Catalog | undefined;

/** The repository catalog, loaded on first use. */
export function getDefaultCatalog(): Catalog {
  defaultCatalog ??= loadCatalog();
  return defaultCatalog;
}

/** Names of the system presets, sorted. */
export function listPresets(catalog: Catalog = getDefaultCatalog()): string[] {
  return [...catalog.systems.keys()].sort();
}

/** Names of the chips, sorted. */
export function listChips(catalog: Catalog = getDefaultCatalog()): string[] {
  return [...catalog.chips.keys()].sort();
}

/** A system preset by name; an unknown name throws listing the accepted ones. The result is frozen. */
export function getSystem(name: string, catalog: Catalog = getDefaultCatalog()): SystemSpec {
  const system = catalog.systems.get(name);
  if (system === undefined) {
    throw new InputError(`unknown system preset "${name}"; accepted presets: ${listPresets(catalog).join(', ')}`, 'preset');
  }
  return system;
}

/** A chip by name; an unknown name throws listing the accepted ones. The result is frozen. */
export function getChip(name: string, catalog: Catalog = getDefaultCatalog()): ChipSpec {
  const chip = catalog.chips.get(name);
  if (chip === undefined) {
    throw new InputError(`unknown chip "${name}"; accepted chips: ${listChips(catalog).join(', ')}`, 'chip');
  }
  return chip;
}
