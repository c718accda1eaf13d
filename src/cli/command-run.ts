// `moesim run <scenario>`: route, simulate one step, write the report and print the summary.
import type { Command } from 'commander';
import { join } from 'node:path';
import { InputError } from '../engine/index.ts';
import { RUN_REPORT_LAYOUT, checkReportTarget, summaryTable, toJsonText, writeRunReport } from '../report/index.ts';
import { loadScenarioFile, resolveScenario, runScenario } from '../sim/index.ts';
import { TF_BACKENDS } from '../routing/index.ts';
import { parseBackend } from './cli-options.ts';
import type { CliIo, SetExit } from './io.ts';
import { createProgress, progressEnabled } from './progress.ts';

export interface RunCommandOptions {
  out?: string;
  backend?: string;
  trace: boolean;
  quiet: boolean;
  json: boolean;
  /** Directory to write the routing trace to (docs/ROUTING-TRACES.md). */
  recordRouting?: string;
  /** Write into a directory that holds other files too. */
  force?: boolean;
}

export async function runCommand(file: string, options: RunCommandOptions, io: CliIo): Promise<number> {
  const scenario = loadScenarioFile(file);
  if (options.backend !== undefined) {
    scenario.backend = parseBackend(options.backend);
  }
  if (!options.trace) scenario.output.trace = false;
  if (options.recordRouting !== undefined) {
    if (scenario.routing?.replay !== undefined) throw new InputError('--record-routing: this scenario replays a routing trace (routing.replay); there is nothing new to record', 'routing.replay');
    scenario.routing = { ...scenario.routing, record: options.recordRouting };
  }
  const resolved = resolveScenario(scenario);
  const dir = options.out ?? scenario.output.dir ?? join('output', scenario.name);
  const field = options.out !== undefined ? '--out' : 'output.dir';
  checkReportTarget(dir, RUN_REPORT_LAYOUT, { force: options.force, field }); // before the simulation, not after it
  const progress = createProgress('routing', progressEnabled(options.quiet || options.json));
  let result;
  try {
    result = await runScenario(resolved, { onRoutingProgress: (done, total) => progress.update(done, total) });
  } finally {
    progress.stop();
  }
  for (const note of result.notes) io.stderr(`moesim: note: ${note}\n`);
  const written = writeRunReport(result, dir, { trace: scenario.output.trace, force: options.force, field });
  if (options.json) {
    io.stdout(toJsonText(result.summary));
    if (!options.quiet) io.stderr(`wrote ${written.files.join(', ')}\n`);
  } else if (!options.quiet) {
    io.stdout(`${summaryTable(result.summary)}\n\nwrote ${written.files.join(', ')}\n`);
  }
  return 0;
}

/** Adds `moesim run` to the CLI. */
export function registerRunCommand(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('run')
    .description('simulate one training step of a scenario and write its report to output/<name>/')
    .argument('<scenario>', 'scenario YAML file')
    .option('-o, --out <dir>', 'report directory (default: output/<scenario name>)')
    .option('--backend <name>', `tfjs backend for routing: ${TF_BACKENDS.join(' | ')}`)
    .option('--no-trace', 'do not write trace.json')
    .option('-q, --quiet', 'no progress bar and no printed summary')
    .option('--json', 'print summary.json to stdout (human messages go to stderr)')
    .option('--record-routing <dir>', 'also write the routing decisions as a routing trace (manifest.json + .npy) to <dir>')
    .option('--force', 'write the report into a directory that holds other files too (they are left as they are)')
    .action(async (file: string, opts: { out?: string; backend?: string; trace: boolean; quiet?: boolean; json?: boolean; recordRouting?: string; force?: boolean }) => {
      setExit(await runCommand(file, { ...opts, quiet: opts.quiet ?? false, json: opts.json ?? false }, io));
    });
}
