// `moesim validate <scenario> [--json] [-q]`: every check a run makes before simulating (schema, presets, router,
// parallelism). Prints one "ok" line, or with --json the resolved essentials as one JSON object; -q prints nothing
// (the exit code says whether the scenario is valid).
import type { Command } from 'commander';
import { toJsonText } from '../report/index.ts';
import { loadScenarioFile, resolveScenario } from '../sim/index.ts';
import type { CliIo, SetExit } from './io.ts';

export function validateCommand(file: string, options: { json: boolean; quiet: boolean }, io: CliIo): number {
  const resolved = resolveScenario(loadScenarioFile(file));
  const { scenario, cluster, model, layout, router } = resolved;
  if (options.json) {
    io.stdout(toJsonText({
      ok: true, scenario: scenario.name, cluster: { preset: scenario.cluster.preset, servers: cluster.servers, devices: cluster.devices, chip: cluster.chip.name },
      model: model.name, parallelism: { tp: layout.tp, pp: layout.pp, dp: layout.dp, ep: layout.ep }, router: router.name,
    }));
  } else if (!options.quiet) {
    io.stdout(
      `ok: ${file}: "${scenario.name}": ${cluster.servers} × ${scenario.cluster.preset} (${cluster.devices} × ${cluster.chip.name}), ` +
        `${model.name}, tp ${layout.tp} · pp ${layout.pp} · dp ${layout.dp} · ep ${layout.ep}, router ${router.name}\n`,
    );
  }
  return 0;
}

/** Adds `moesim validate` to the CLI. */
export function registerValidateCommand(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('validate')
    .description('check a scenario file (schema, presets, router, parallelism) without running it')
    .argument('<scenario>', 'scenario YAML file')
    .option('--json', 'print the resolved essentials (cluster, model, parallelism, router) as JSON')
    .option('-q, --quiet', 'print nothing (the exit code says whether the scenario is valid)')
    .action((file: string, opts: { json?: boolean; quiet?: boolean }) => setExit(validateCommand(file, { json: opts.json ?? false, quiet: opts.quiet ?? false }, io)));
}
