// How the CLI reports failures: input problems on one line each with exit code 2, bugs on one line with exit code 1.
import { InputError, ProcessError } from '../engine/index.ts';

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_USAGE = 2;

/** Print an error without a stack trace (unless MOESIM_DEBUG=1) and return the exit code to use. */
export function reportError(err: unknown, stderr: (text: string) => void): number {
  const debug = process.env.MOESIM_DEBUG === '1';
  let cause: unknown = err;
  while (cause instanceof ProcessError && cause.cause !== undefined) cause = cause.cause;
  if (cause instanceof InputError) {
    // Several problems (a scenario with two mistakes): one line each, every line with the prefix, so each stands alone.
    stderr(cause.message.split('\n').map((line) => `moesim: error: ${line}\n`).join(''));
    if (debug && cause.stack) stderr(`${cause.stack}\n`);
    return EXIT_USAGE;
  }
  const message = err instanceof Error ? err.message : String(err);
  stderr(`moesim: internal error: ${message}\n`);
  stderr(debug && err instanceof Error && err.stack ? `${err.stack}\n` : 'moesim: set MOESIM_DEBUG=1 to see the stack trace, and please report this as a bug\n');
  return EXIT_INTERNAL;
}
