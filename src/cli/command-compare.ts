// `moesim compare <scenario> --routers a,b,c`: run the scenario under each router (same tokens, same seed), print
// the comparison table (or compare.json with --json) and write compare.csv and compare.json.
import type { Command } from 'commander';
import { join } from 'node:path';
import { checkReportDir, compareJson, compareTable, writeCompareReport } from '../report/index.ts';
import { loadScenarioFile, parseRouterList } from '../sim/index.ts';
import { compareRouters } from '../studies/index.ts';
import { TF_BACKENDS } from '../routing/index.ts';
import { parseBackend } from './cli-options.ts';
import type { CliIo, SetExit } from './io.ts';
import type { Progress } from './progress.ts';
import { createProgress, progressEnabled } from './progress.ts';

export interface CompareCommandOptions {
  routers: string;
  out?: string;
  backend?: string;
  quiet: boolean;
  json: boolean;
}

export const COMPARE_HELP = `
Routers: a comma-separated list; the first is the baseline of the speed-up column. A router with the scenario's
router name keeps the scenario's parameters, any other starts from its defaults. Override parameters inline:
  --routers gshard,switch:capacityFactor=1.1,gshard:capacityFactor=2:secondExpert=always,hash:capacityFactor=null
Values read as numbers, true/false, null, or else strings; dotted keys set nested fields (capacity.kind=...).
Writes compare.csv and compare.json to output/<scenario name>/compare/ (or --out).`;

export async function compareCommand(file: string, options: CompareCommandOptions, io: CliIo): Promise<number> {
  const choices = parseRouterList(options.routers);
  const scenario = loadScenarioFile(file);
  if (options.backend !== undefined) {
    scenario.backend = parseBackend(options.backend);
  }
  const dir = options.out ?? join(scenario.output.dir ?? join('output', scenario.name), 'compare');
  checkReportDir(dir, options.out !== undefined ? '--out' : 'output.dir'); // before the runs, not after them
  const showProgress = progressEnabled(options.quiet || options.json);
  let progress: Progress | undefined;
  let result;
  try {
    result = await compareRouters(scenario, choices, {
      onRouterStart: (i, count, router) => {
        progress?.stop();
        progress = createProgress(`routing ${router.label} (${i + 1}/${count})`, showProgress);
      },
      onRoutingProgress: (done, total) => progress?.update(done, total),
    });
  } finally {
    progress?.stop();
  }
  for (const note of result.notes) io.stderr(`moesim: note: ${note}\n`);
  const written = writeCompareReport(result, dir);
  if (options.json) {
    io.stdout(compareJson(result));
    if (!options.quiet) io.stderr(`wrote ${written.files.join(', ')}\n`);
  } else if (!options.quiet) {
    io.stdout(`${compareTable(result)}\n\nwrote ${written.files.join(', ')}\n`);
  }
  return 0;
}

/** Adds `moesim compare` to the CLI. */
export function registerCompareCommand(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('compare')
    .description('run a scenario under several routers (same tokens, same seed) and compare step time, load, drops, all-to-all and memory')
    .argument('<scenario>', 'scenario YAML file')
    .requiredOption('--routers <list>', 'comma-separated routers, e.g. gshard,switch,hash (the first is the speed-up baseline)')
    .option('-o, --out <dir>', 'directory for compare.csv and compare.json (default: output/<scenario name>/compare)')
    .option('--backend <name>', `tfjs backend for routing: ${TF_BACKENDS.join(' | ')}`)
    .option('-q, --quiet', 'no progress bar and no printed table')
    .option('--json', 'print compare.json to stdout (human messages go to stderr)')
    .addHelpText('after', COMPARE_HELP)
    .action(async (file: string, opts: { routers: string; out?: string; backend?: string; quiet?: boolean; json?: boolean }) => {
      setExit(await compareCommand(file, { ...opts, quiet: opts.quiet ?? false, json: opts.json ?? false }, io));
    });
}
