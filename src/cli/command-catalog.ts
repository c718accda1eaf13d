// `moesim catalog [name] [--json] [-q]`: list the hardware and model presets, or show one with every figure and its
// source (-q prints nothing: the exit code says whether the preset exists).
import type { Command } from 'commander';
import { stringify as toYaml } from 'yaml';
import { InputError } from '../engine/index.ts';
import { toJsonText } from '../report/index.ts';
import { getChip, getSystem, listChips, listPresets } from '../topology/index.ts';
import { listModelPresets, loadModelPreset, modelPresetSource } from '../workloads/index.ts';
import type { CliIo, SetExit } from './io.ts';

export function catalogCommand(name: string | undefined, options: { json: boolean; quiet?: boolean }, io: CliIo): number {
  const out = (text: string): void => {
    if (options.json || !options.quiet) io.stdout(text);
  };
  const systems = listPresets();
  const chips = listChips();
  if (name === undefined) {
    const listing = { systems, chips, models: listModelPresets() };
    if (options.json) out(toJsonText(listing));
    else {
      out(
        `systems: ${systems.join(', ')}\nchips:   ${chips.join(', ')}\nmodels:  ${listing.models.join(', ')}\n` +
          '(moesim catalog <name> shows one entry with the source of every figure)\n',
      );
    }
    return 0;
  }
  const models = listModelPresets();
  if (models.includes(name)) {
    // A model preset's sources are its YAML header comment, so the text view prints the file as it is.
    out(options.json ? toJsonText(loadModelPreset(name)) : modelPresetSource(name));
    return 0;
  }
  let entry: unknown;
  if (systems.includes(name)) entry = getSystem(name);
  else if (chips.includes(name)) entry = getChip(name);
  else throw new InputError(`catalog: unknown preset "${name}"; systems: ${systems.join(', ')}; chips: ${chips.join(', ')}; models: ${models.join(', ')}`);
  out(options.json ? toJsonText(entry) : toYaml(entry));
  return 0;
}

/** Adds `moesim catalog` to the CLI. */
export function registerCatalogCommand(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('catalog')
    .description('list the hardware presets, or show one')
    .argument('[name]', 'a system or chip preset name')
    .option('--json', 'machine-readable output')
    .option('-q, --quiet', 'print nothing (the exit code says whether the preset exists)')
    .action((name: string | undefined, opts: { json?: boolean; quiet?: boolean }) => setExit(catalogCommand(name, { json: opts.json ?? false, quiet: opts.quiet ?? false }, io)));
}
