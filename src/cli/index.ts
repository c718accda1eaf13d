// Public door of src/cli: the moesim command line as a function (argv in, exit code out).
export { main } from './main.ts';
export type { CliIo } from './io.ts';
export { processIo } from './io.ts';
