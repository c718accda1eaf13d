// The moesim command line (commander): parses arguments, runs a command, and turns every failure into a
// one-line message and an exit code (2 for bad input or usage, 1 for internal errors).
import { Command, CommanderError } from 'commander';
import { benchCommand } from './command-bench.ts';
import { catalogCommand } from './command-catalog.ts';
import { collectiveCommand } from './command-collective.ts';
import { runCommand } from './command-run.ts';
import { validateCommand } from './command-validate.ts';
import { EXIT_OK, EXIT_USAGE, reportError } from './errors.ts';
import type { CliIo } from './io.ts';
import { processIo } from './io.ts';

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('moesim')
    .description('Discrete-event performance simulator for Mixture-of-Experts training clusters')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run "moesim --help" for usage)');

  program
    .command('run')
    .description('simulate one training step of a scenario and write its report to output/<name>/')
    .argument('<scenario>', 'scenario YAML file')
    .option('-o, --out <dir>', 'report directory (default: output/<scenario name>)')
    .option('--backend <name>', 'tfjs backend for routing: wasm | cpu | node')
    .option('--no-trace', 'do not write trace.json')
    .option('-q, --quiet', 'no progress bar and no printed summary')
    .option('--json', 'print summary.json to stdout (human messages go to stderr)')
    .option('--record-routing <dir>', 'also write the routing decisions as a routing trace (manifest.json + .npy) to <dir>')
    .action(async (file: string, opts: { out?: string; backend?: string; trace: boolean; quiet?: boolean; json?: boolean; recordRouting?: string }) => {
      setExit(await runCommand(file, { ...opts, quiet: opts.quiet ?? false, json: opts.json ?? false }, io));
    });

  program
    .command('validate')
    .description('check a scenario file (schema, presets, router, parallelism) without running it')
    .argument('<scenario>', 'scenario YAML file')
    .action((file: string) => setExit(validateCommand(file, io)));

  program
    .command('catalog')
    .description('list the hardware presets, or show one')
    .argument('[name]', 'a system or chip preset name')
    .option('--json', 'machine-readable output')
    .action((name: string | undefined, opts: { json?: boolean }) => setExit(catalogCommand(name, { json: opts.json ?? false }, io)));

  program
    .command('bench')
    .description('run a benchmark and print its figures (engine: hold model with 1,000 pending events)')
    .argument('<name>', 'benchmark: engine')
    .option('--json', 'print the figures as JSON')
    .option('--events <n>', 'events to simulate')
    .action((name: string, opts: { json?: boolean; events?: string }) => setExit(benchCommand(name, { json: opts.json ?? false, ...(opts.events ? { events: opts.events } : {}) }, io)));

  program
    .command('collective')
    .description('time one collective over every device of a cluster and print algbw and busbw (nccl-tests definitions)')
    .requiredOption('--cluster <preset>', 'system preset (see moesim catalog)')
    .requiredOption('--nodes <n>', 'number of servers')
    .requiredOption('--op <op>', 'allreduce | allgather | reducescatter | alltoall | broadcast | sendrecv')
    .requiredOption('--size <bytes>', 'nccl-tests size, e.g. 256MiB, 1GB, 4096 (KB/MB/GB = 10^3, KiB/MiB/GiB = 2^10)')
    .option('--algo <name>', 'algorithm (default: what HCCL or NCCL would pick for the topology)')
    .option('--model <name>', 'network model: analytical | flow', 'analytical')
    .option('--json', 'print one JSON line')
    .action((opts: { cluster: string; nodes: string; op: string; size: string; algo?: string; model?: string; json?: boolean }) =>
      setExit(collectiveCommand({ ...opts, json: opts.json ?? false }, io)),
    );

  return program;
}

/** Run the CLI with node-style argv (argv[0] = node, argv[1] = script); returns the process exit code. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    return reportError(err, io.stderr);
  }
}
