// InputError: a problem with what the user gave (scenario, preset, flag, file), as opposed to a bug.
// The CLI prints its message on one line and exits with code 2, never with a stack trace.

export class InputError extends Error {
  /** Dotted path of the offending field when there is one (e.g. "cluster.servers"). */
  readonly field: string | undefined;

  constructor(message: string, field?: string) {
    super(message);
    this.name = 'InputError';
    this.field = field;
  }
}
