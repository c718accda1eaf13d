// The moesim command line (commander): parses arguments, runs a command, and turns every failure into a
// one-line message and an exit code (2 for bad input or usage, 1 for internal errors).
import { Command, CommanderError } from 'commander';
import { registerBenchCommand } from './command-bench.ts';
import { registerCatalogCommand } from './command-catalog.ts';
import { registerCollectiveCommand } from './command-collective.ts';
import { registerCompareCommand } from './command-compare.ts';
import { registerPlanCommand } from './command-plan.ts';
import { registerRouteCommand } from './command-route.ts';
import { registerRunCommand } from './command-run.ts';
import { registerMergeCommand, registerSweepCommand } from './command-sweep.ts';
import { registerValidatePapersCommand } from './command-validate-papers.ts';
import { registerValidateCommand } from './command-validate.ts';
import { EXIT_OK, EXIT_USAGE, reportError } from './errors.ts';
import type { CliIo, SetExit } from './io.ts';
import { processIo } from './io.ts';

/** The commands in the order --help lists them; each command file registers its own options and action. */
const COMMANDS: ((program: Command, io: CliIo, setExit: SetExit) => void)[] = [
  registerRunCommand, registerCompareCommand, registerSweepCommand, registerMergeCommand, registerValidateCommand, registerValidatePapersCommand,
  registerPlanCommand, registerCatalogCommand, registerBenchCommand, registerRouteCommand, registerCollectiveCommand,
];

function buildProgram(io: CliIo, setExit: SetExit): Command {
  const program = new Command('moesim')
    .description('Discrete-event performance simulator for Mixture-of-Experts training clusters')
    .version('0.1.0')
    .exitOverride()
    // A usage error is one line like every other error: "moesim: error: <commander's message> (run … for usage)".
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: (message, write) => write(usageLine(message)) });

  for (const register of COMMANDS) register(program, io, setExit);

  return program;
}

/** Commander's "error: …" message as the CLI's one error line. */
function usageLine(message: string): string {
  const text = message.replace(/^error: /, '').replace(/\s+/g, ' ').trim();
  return `moesim: error: ${text} (run "moesim --help" for usage)\n`;
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
